// Gradient flow: per-layer gradient magnitude as bars for the current step and as lines over
// the training steps on a log scale — sigmoid's layers spread over many decades, ReLU's stay
// together.
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

const char* measureName(GradientMeasure m) {
  switch (m) {
    case GradientMeasure::WeightGradNorm:
      return "‖dL/dW‖";
    case GradientMeasure::MeanAbsDz:
      return "mean |dL/dz|";
    case GradientMeasure::UpdateRatio:
      return "‖ΔW‖ / ‖W‖";
  }
  return "";
}

const std::vector<float>& current(const RunSnapshot& r, GradientMeasure m) {
  return m == GradientMeasure::WeightGradNorm ? r.gradNorm
         : m == GradientMeasure::MeanAbsDz    ? r.meanAbsDz
                                              : r.updateRatio;
}

const std::vector<SeriesData>& history(const RunSnapshot& r, GradientMeasure m) {
  return m == GradientMeasure::WeightGradNorm ? r.gradNormSeries
         : m == GradientMeasure::MeanAbsDz    ? r.meanAbsDzSeries
                                              : r.updateRatioSeries;
}

std::string layerName(int l, int layers) {
  return l == layers - 1 ? "output" : "layer " + std::to_string(l + 1);
}

}  // namespace

void drawGradientPanel(const Snapshot& snap, UiState& state) {
  const GradientMeasure m = state.gradientMeasure;
  int choice = static_cast<int>(m);
  ImGui::RadioButton("‖dL/dW‖", &choice, 0);
  tooltip(tr("tip.gradnorm"));
  ImGui::SameLine();
  ImGui::RadioButton("mean |dL/dz|", &choice, 1);
  tooltip(tr("tip.mean_dz"));
  ImGui::SameLine();
  ImGui::RadioButton("update ratio", &choice, 2);
  tooltip(tr("tip.update_ratio"));
  state.gradientMeasure = static_cast<GradientMeasure>(choice);
  ImGui::SameLine(0, ImGui::GetFontSize());
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  ImGui::SliderFloat("smoothing", &state.smoothing, 0.0f, 0.99f, "%.2f",
                     ImGuiSliderFlags_AlwaysClamp);
  tooltip(tr("tip.smoothing"));

  // The first/last ratio per run: how many decades the gradient loses on its way back. With
  // smoothing on, the ratio of the smoothed curves' latest values (what the chart shows);
  // a single mini-batch step's ratio jumps around by a decade.
  ImGui::TextDisabled(state.smoothing > 0 ? "first / last layer (smoothed):"
                                          : "first / last layer:");
  for (size_t r = 0; r < snap.runs.size(); ++r) {
    const auto& run = snap.runs[r];
    const auto& g = current(run, m);
    const auto& series = history(run, m);
    if (g.empty() || series.empty()) continue;
    double ratio = g.back() > 0 ? g.front() / g.back() : NAN;
    if (state.smoothing > 0 && series.front().size() > 0 && series.back().size() > 0) {
      static std::vector<float> sx, first, last;
      smoothSeries(series.front(), state.smoothing, true, 400, sx, first);
      smoothSeries(series.back(), state.smoothing, true, 400, sx, last);
      ratio = last.back() > 0 ? first.back() / last.back() : NAN;
    }
    ImGui::SameLine(0, ImGui::GetFontSize() * 1.2f);
    // 0/0: no gradient reaches even the output layer (every unit of a layer dead).
    const std::string value = run.step == 0       ? "–"
                              : std::isnan(ratio) ? "no gradient"
                                                  : plot::formatValue(ratio);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(runColor(static_cast<int>(r))), "%s %s",
                       run.label.c_str(), value.c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "%s of the input-side layer divided by the output layer's at step %ld.\n"
          "Around 1: the gradient reaches the first layer intact. 1e-6: it vanished on the way.",
          measureName(m), run.step);
  }

  // Key: colour = layer along a sequential map, line pattern = run.
  {
    int layers = 0;
    for (const auto& run : snap.runs) layers = std::max(layers, run.layerCount);
    ImGui::TextDisabled("colour: input layer");
    ImGui::SameLine();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight(), w = ImGui::GetFontSize() * 8;
    for (int i = 0; i < 32; ++i)
      dl->AddRectFilled(ImVec2(p.x + w * i / 32, p.y + h * 0.2f),
                        ImVec2(p.x + w * (i + 1) / 32 + 0.5f, p.y + h * 0.8f),
                        layerColor(i * std::max(layers - 1, 1) / 31, std::max(layers, 2)));
    ImGui::Dummy(ImVec2(w, h));
    ImGui::SameLine();
    ImGui::TextDisabled("output layer");
    for (size_t r = 0; r < snap.runs.size(); ++r) {
      ImGui::SameLine(0, ImGui::GetFontSize() * 1.2f);
      const ImVec2 q = ImGui::GetCursorScreenPos();
      const float lw = ImGui::GetFontSize() * 2.2f;
      const ImU32 c = ImGui::GetColorU32(ImGuiCol_Text);
      // A short sample of the run's line pattern.
      const plot::Pattern pat = plot::runPattern(static_cast<int>(r));
      const float seg = pat == plot::Pattern::Solid    ? lw
                        : pat == plot::Pattern::Dotted ? 2.5f
                                                       : 6.0f;
      for (float x = 0; x < lw; x += seg + (pat == plot::Pattern::Solid ? 0 : 4))
        dl->AddLine(ImVec2(q.x + x, q.y + h * 0.5f),
                    ImVec2(q.x + std::min(x + seg, lw), q.y + h * 0.5f), c, 2.0f);
      ImGui::Dummy(ImVec2(lw, h));
      ImGui::SameLine();
      ImGui::TextUnformatted(snap.runs[r].label.c_str());
    }
    long clipped = 0;
    for (const auto& run : snap.runs) clipped += run.clippedSteps;
    if (clipped > 0) {
      ImGui::SameLine(0, ImGui::GetFontSize() * 1.2f);
      ImGui::TextDisabled("shaded: clipped steps");
      tooltip(tr("tip.clip_norm"));
    }
  }

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float barsWidth = std::max(avail.x * 0.3f, 180.0f);

  // Bars: this step, one group per layer, one bar per run.
  if (plot::begin("This step##bars", ImVec2(barsWidth, avail.y), plot::PlotFlags::NoLegend)) {
    plot::setupAxis(plot::Axis::X, "layer (input → output)");
    plot::setupAxis(plot::Axis::Y, measureName(m),
                    plot::AxisFlags::Log10 | plot::AxisFlags::AutoFit);
    const int runs = static_cast<int>(snap.runs.size());
    int layers = 0;
    for (const auto& run : snap.runs) layers = std::max(layers, run.layerCount);
    plot::setupAxisLimits(plot::Axis::X, 0.4, layers + 0.6, plot::Cond::Always);
    const double width = 0.8 / std::max(runs, 1);
    std::vector<double> xs, ys;
    for (int r = 0; r < runs; ++r) {
      const auto& g = current(snap.runs[r], m);
      xs.clear(), ys.clear();
      for (size_t l = 0; l < g.size(); ++l) {
        xs.push_back(l + 1 - 0.4 + width * (r + 0.5));
        ys.push_back(g[l]);
      }
      const std::string label = snap.runs[r].label;
      plot::bars(label.c_str(), xs.data(), ys.data(), static_cast<int>(xs.size()), width * 0.9,
                 1e-30, runColor(r));
    }
    plot::end();
  }
  ImGui::SameLine();

  // Lines: every layer over the steps, colour by layer, pattern by run.
  if (plot::begin("Over training##lines", ImVec2(-1, avail.y), plot::PlotFlags::NoLegend)) {
    plot::setupAxis(plot::Axis::X, "step", plot::AxisFlags::AutoFit);
    plot::setupAxis(plot::Axis::Y, measureName(m),
                    plot::AxisFlags::Log10 | plot::AxisFlags::AutoFit);
    static std::vector<float> smoothX, smoothY;
    // Smoothed curves need no more than a point every two pixels; fewer vertices keep software
    // rendering fast.
    const float pixels = ImGui::GetContentRegionAvail().x * 0.5f;
    // Steps whose gradients were clipped, shaded in the run's colour behind the lines; spans
    // closer than about two pixels merge so a run that clips every other step stays one band.
    for (size_t r = 0; r < snap.runs.size(); ++r) {
      const SeriesData& c = snap.runs[r].clippedSeries;
      if (snap.runs[r].clippedSteps == 0 || c.empty()) continue;
      const double gap = std::max(1.0, double(c.x(c.size() - 1)) / std::max(1.0, double(pixels)));
      const ImU32 color = (runColor(static_cast<int>(r)) & 0x00FFFFFFu) | (40u << 24);
      double x0 = -1, x1 = -1;
      for (int i = 0; i < c.size(); ++i) {
        if (c.y(i) < 0.5f) continue;
        const double x = c.x(i);
        if (x0 >= 0 && x - x1 > gap) plot::shadeX(x0 - gap / 2, x1 + gap / 2, color), x0 = -1;
        if (x0 < 0) x0 = x;
        x1 = x;
      }
      if (x0 >= 0) plot::shadeX(x0 - gap / 2, x1 + gap / 2, color);
    }
    for (size_t r = 0; r < snap.runs.size(); ++r) {
      const auto& run = snap.runs[r];
      const auto& series = history(run, m);
      for (size_t l = 0; l < series.size(); ++l) {
        const auto& s = series[l];
        const std::string label =
            layerName(static_cast<int>(l), run.layerCount) + " · " + run.label;
        const plot::LineStyle style{layerColor(static_cast<int>(l), run.layerCount), 2.0f,
                                    plot::runPattern(static_cast<int>(r))};
        if (state.smoothing > 0) {
          smoothSeries(s, state.smoothing, true, pixels, smoothX, smoothY);
          plot::line(label.c_str(), smoothX.data(), smoothY.data(),
                     static_cast<int>(smoothX.size()), 0, sizeof(float), style);
        } else {
          seriesLine(label.c_str(), s, style);
        }
      }
    }
    plot::end();
  }
}

}  // namespace gradscope::ui
