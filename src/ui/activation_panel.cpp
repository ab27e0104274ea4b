// Activation: f(x) and f'(x) of the chosen activation, others optionally overlaid, the
// maximum of f' marked and the saturated regions (f' < 1% of its maximum) shaded; live, the
// histogram of a running network's pre-activations z on top — where the units really sit.

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "ui/i18n.h"
#include "ui/panels.h"
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
  ImGui::TextDisabled("%s", tr("controls.activation"));
  tooltip(tr("tip.activation_list"));
  if (ImGui::BeginListBox("##activations",
                          ImVec2(width, ImGui::GetTextLineHeightWithSpacing() * 13.4f))) {
    int n = 0;
    for (const auto& info : activationTable()) {
      const bool selected = info.id == v.selected;
      char label[64];
      std::snprintf(label, sizeof label, "%s", std::string(info.name).c_str());
      if (ImGui::Selectable(label, selected)) v.selected = info.id, v.followRun = false;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(info.formula).c_str());
      if (selected) ImGui::SetItemDefaultFocus();
      ++n;
    }
    ImGui::EndListBox();
  }
}

}  // namespace

void drawActivationPanel(const Snapshot& snap, UiState& state) {
  ActivationView& v = state.activation;
  const RunSnapshot* run = nullptr;
  if (!snap.runs.empty())
    run = &snap.runs[static_cast<size_t>(
        std::clamp(state.selectedRun, 0, static_cast<int>(snap.runs.size()) - 1))];
  const LayerStats* live = nullptr;
  if (run && run->eval && !run->eval->layers.empty()) {
    v.histogramLayer =
        std::clamp(v.histogramLayer, 0, static_cast<int>(run->eval->layers.size()) - 1);
    live = &run->eval->layers[static_cast<size_t>(v.histogramLayer)];
    if (v.followRun) {
      const auto& cfg = run->config;
      const auto it = cfg.layerActivations.find(v.histogramLayer);
      const ActivationChoice a = it != cfg.layerActivations.end() ? it->second : cfg.activation;
      v.selected = a.activation;
      if (!activationInfo(a.activation).paramName.empty())
        v.params[static_cast<size_t>(a.activation)] = a.param;
    }
  }
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
    std::snprintf(fmt, sizeof fmt, "%s = %s", std::string(info.paramName).c_str(),
                  integer ? "%.0f" : "%.3g");
    if (ImGui::SliderFloat("##param", &p, static_cast<float>(info.paramMin),
                           static_cast<float>(info.paramMax), fmt,
                           integer ? ImGuiSliderFlags_AlwaysClamp
                                   : ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic))
      param = integer ? std::round(p) : p;
  }
  ImGui::SliderFloat("##range", &v.xRange, 1.0f, 20.0f, tr("activation.x_range"),
                     ImGuiSliderFlags_AlwaysClamp);
  tooltip(tr("tip.x_range"));
  ImGui::Checkbox(trId("activation.show_derivative").c_str(), &v.showDerivative);
  tooltip(tr("tip.show_derivative"));
  ImGui::Checkbox(trId("activation.follow_run").c_str(), &v.followRun);
  tooltip(tr("tip.follow_run"));
  if (run && run->eval && !run->eval->layers.empty()) {
    int layer = v.histogramLayer + 1;
    if (ImGui::SliderInt("##layer", &layer, 1, static_cast<int>(run->eval->layers.size()),
                         tr("activation.z_of_layer")))
      v.histogramLayer = layer - 1;
    tooltip(tr("tip.histogram_layer"));
  }
  ImGui::PopItemWidth();
  const bool overlay = ImGui::TreeNode("activation.overlay", "%s", tr("activation.overlay"));
  tooltip(tr("tip.overlay"));
  if (overlay) {
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
  wrappedText(std::string(info.formula));
  char text[512];
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  std::snprintf(text, sizeof text, tr("activation.max_slope"), plot::formatValue(maxD).c_str(),
                plot::formatValue(std::pow(maxD, 10)).c_str());
  wrappedText(text);
  ImGui::PopStyleColor();
  if (live && run) {
    std::snprintf(text, sizeof text, tr("activation.layer_stats"), trMessage(run->label).c_str(),
                  v.histogramLayer + 1, run->eval->step, 100.0 * live->saturation, live->dead,
                  live->units, 100.0 * live->sparsity);
    wrappedText(text);
  }
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
    plot::hline(maxD, IM_COL32(240, 134, 62, 160), 1.0f, plot::Pattern::Dashed);
    char label[64];
    std::snprintf(label, sizeof label, tr("activation.max_label"), plot::formatValue(maxD).c_str());
    // Above its line, or below it where the line is near the top of the chart.
    const bool nearTop = maxD > lo + 0.7 * (hi - lo);
    plot::text(-v.xRange, maxD, label, IM_COL32(240, 134, 62, 230),
               ImVec2(6, nearTop ? 2.0f : -ImGui::GetTextLineHeight() - 2));

    if (live) {
      char label[96];
      std::snprintf(label, sizeof label, tr("activation.histogram"), v.histogramLayer + 1);
      plot::histogram(label, live->histogram.data(), kHistogramBins, live->histLo, live->histHi,
                      0.6, IM_COL32(150, 160, 180, 90));
    }
    int colour = 2;
    for (const auto& other : activationTable()) {
      if (other.id == v.selected || !v.overlay[static_cast<size_t>(other.id)]) continue;
      const Curve o = sample(other.id, v.params[static_cast<size_t>(other.id)], v.xRange);
      const ImU32 oc = (plot::paletteColor(colour++) & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 150);
      plot::line(std::string(other.name).c_str(), o.x.data(), o.f.data(), kSamples, 0,
                 sizeof(double), {oc, 2.0f, plot::Pattern::Solid});
    }
    const std::string fName = std::string(info.name) + "  f(x)";
    plot::line(fName.c_str(), c.x.data(), c.f.data(), kSamples, 0, sizeof(double),
               {plot::paletteColor(0), 3.0f, plot::Pattern::Solid});
    if (v.showDerivative) {
      const std::string dName = std::string(info.name) + "  f'(x)";
      plot::line(dName.c_str(), c.x.data(), c.d.data(), kSamples, 0, sizeof(double),
                 {plot::paletteColor(1), 3.0f, plot::Pattern::Dashed});
    }
    plot::end();
  }
  ImGui::EndGroup();
}

}  // namespace gradscope::ui
