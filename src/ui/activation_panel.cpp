// The activation panel (see activation_panel.h).
#include "ui/activation_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "ui/plot.h"

namespace gradscope::ui {
namespace {

constexpr int kSamples = 481;

struct Curve {
  std::vector<double> x, f, d;
};

Curve sample(Activation a, double param, double range) {
  Curve c;
  c.x.resize(kSamples), c.f.resize(kSamples), c.d.resize(kSamples);
  for (int i = 0; i < kSamples; ++i) {
    const double x = -range + 2.0 * range * i / (kSamples - 1);
    c.x[i] = x;
    c.f[i] = activate(a, x, param);
    c.d[i] = activateDerivative(a, x, param);
  }
  return c;
}

void activationList(ActivationView& v, float width) {
  ImGui::TextDisabled("Activation");
  if (ImGui::BeginListBox("##activations", ImVec2(width, ImGui::GetTextLineHeightWithSpacing() * 13.4f))) {
    int n = 0;
    for (const auto& info : activationTable()) {
      const bool selected = info.id == v.selected;
      char label[64];
      std::snprintf(label, sizeof label, "%s", std::string(info.name).c_str());
      if (ImGui::Selectable(label, selected)) v.selected = info.id;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(info.formula).c_str());
      if (selected) ImGui::SetItemDefaultFocus();
      ++n;
    }
    ImGui::EndListBox();
  }
}

}  // namespace

void drawActivationPanel(UiState& state) {
  ActivationView& v = state.activation;
  const auto& info = activationInfo(v.selected);
  double& param = v.params[static_cast<size_t>(v.selected)];

  const float listWidth = ImGui::GetFontSize() * 11.0f;
  ImGui::BeginGroup();
  ImGui::PushItemWidth(listWidth);
  activationList(v, listWidth);
  if (!info.paramName.empty()) {
    float p = static_cast<float>(param);
    const bool integer = v.selected == Activation::Maxout;
    char fmt[48];
    std::snprintf(fmt, sizeof fmt, "%s = %s", std::string(info.paramName).c_str(), integer ? "%.0f" : "%.3g");
    if (ImGui::SliderFloat("##param", &p, static_cast<float>(info.paramMin), static_cast<float>(info.paramMax), fmt,
                           integer ? ImGuiSliderFlags_AlwaysClamp : ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic))
      param = integer ? std::round(p) : p;
  }
  ImGui::SliderFloat("##range", &v.xRange, 1.0f, 20.0f, "x range ±%.1f", ImGuiSliderFlags_AlwaysClamp);
  ImGui::Checkbox("Show f'(x)", &v.showDerivative);
  ImGui::PopItemWidth();
  if (ImGui::TreeNode("Overlay others")) {
    for (const auto& other : activationTable()) {
      if (other.id == v.selected) continue;
      ImGui::Checkbox(std::string(other.name).c_str(), &v.overlay[static_cast<size_t>(other.id)]);
    }
    ImGui::TreePop();
  }
  ImGui::EndGroup();
  ImGui::SameLine();

  ImGui::BeginGroup();
  const double maxD = maxDerivative(v.selected, param);
  ImGui::Text("%s", std::string(info.formula).c_str());
  ImGui::TextDisabled("max f'(x) = %s   ·   the activation factor of 10 such layers is at most (max f')¹⁰ = %s",
                      plot::formatValue(maxD).c_str(), plot::formatValue(std::pow(maxD, 10)).c_str());
  const Curve c = sample(v.selected, param, v.xRange);
  if (plot::begin("##activation-plot", ImVec2(-1, -1))) {
    plot::setupAxis(plot::Axis::X, "x");
    plot::setupAxis(plot::Axis::Y, "f(x), f'(x)");
    plot::setupAxisLimits(plot::Axis::X, -v.xRange, v.xRange, plot::Cond::Always);
    // y shows the whole of f and f' near the origin; unbounded branches are cut at ±3.
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < kSamples; ++i)
      lo = std::min({lo, c.f[i], c.d[i]}), hi = std::max({hi, c.f[i], c.d[i]});
    lo = std::max(lo, -3.0), hi = std::min(hi, 3.0);
    const double pad = 0.08 * (hi - lo);
    plot::setupAxisLimits(plot::Axis::Y, lo - pad, hi + pad, plot::Cond::Always);

    // Saturated: f'(x) below 1% of its maximum — a gradient passing here all but vanishes.
    const ImU32 shade = IM_COL32(226, 92, 92, 38);
    int start = -1;
    for (int i = 0; i <= kSamples; ++i) {
      const bool sat = i < kSamples && c.d[i] < 0.01 * maxD;
      if (sat && start < 0) start = i;
      if (!sat && start >= 0) {
        plot::shadeX(c.x[start], c.x[std::min(i, kSamples - 1)], shade);
        start = -1;
      }
    }
    plot::hline(0.0, IM_COL32(200, 200, 200, 70));
    plot::vline(0.0, IM_COL32(200, 200, 200, 70));
    plot::hline(maxD, IM_COL32(240, 134, 62, 160), 1.0f, true);
    char label[64];
    std::snprintf(label, sizeof label, "max f' = %s", plot::formatValue(maxD).c_str());
    plot::text(-v.xRange, maxD, label, IM_COL32(240, 134, 62, 230), ImVec2(6, -ImGui::GetTextLineHeight() - 2));

    int colour = 2;
    for (const auto& other : activationTable()) {
      if (other.id == v.selected || !v.overlay[static_cast<size_t>(other.id)]) continue;
      const Curve o = sample(other.id, v.params[static_cast<size_t>(other.id)], v.xRange);
      const ImU32 oc = (plot::paletteColor(colour++) & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 150);
      plot::line(std::string(other.name).c_str(), o.x.data(), o.f.data(), kSamples, 0, sizeof(double),
                 {oc, 1.5f, false});
    }
    const std::string fName = std::string(info.name) + "  f(x)";
    plot::line(fName.c_str(), c.x.data(), c.f.data(), kSamples, 0, sizeof(double), {plot::paletteColor(0), 2.5f, false});
    if (v.showDerivative) {
      const std::string dName = std::string(info.name) + "  f'(x)";
      plot::line(dName.c_str(), c.x.data(), c.d.data(), kSamples, 0, sizeof(double), {plot::paletteColor(1), 2.5f, true});
    }
    plot::end();
  }
  ImGui::EndGroup();
}

}  // namespace gradscope::ui
