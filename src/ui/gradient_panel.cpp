// Gradient flow: per-layer gradient magnitude as bars for the current step and over the
// training steps on a log scale — sigmoid's layers spread over many decades, ReLU's stay
// together. One or two runs of a few layers show as overlaid lines (colour = layer, pattern =
// run); more runs or deeper networks as one layer × step heatmap per run on a shared log colour
// scale, so 64 layers × 4 runs stay readable and cost one textured quad each.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gfx/image_texture.h"
#include "ui/i18n.h"
#include "ui/panels.h"
#include "ui/plot.h"

namespace gradscope::ui {
namespace {

// Up to this many runs and layers per run the overlaid lines stay readable.
constexpr int kMaxLineRuns = 2;
constexpr int kMaxLineLayers = 12;

const char* measureName(GradientMeasure m) {
  switch (m) {
    case GradientMeasure::WeightGradNorm:
      return "‖dL/dW‖";
    case GradientMeasure::MeanAbsDz:
      return tr("gradient.mean_dz");
    case GradientMeasure::UpdateRatio:
      return "‖ΔW‖ / ‖W‖";
    case GradientMeasure::SignAgreement:
      return "|Σ sign(dL/dW)| / fan-in";
    case GradientMeasure::NormGradNorm:
      return "‖dL/dγ, dL/dβ‖";
  }
  return "";
}

// A measure's values of the last step and its history, per layer (per hidden layer for the
// norms' parameters: the output layer has no norm, and a run without a norm has none).
struct Measured {
  const std::vector<float>* now;
  const std::vector<SeriesData>* history;
};

Measured measured(const RunSnapshot& r, GradientMeasure m) {
  switch (m) {
    case GradientMeasure::WeightGradNorm:
      return {&r.gradNorm, &r.gradNormSeries};
    case GradientMeasure::MeanAbsDz:
      return {&r.meanAbsDz, &r.meanAbsDzSeries};
    case GradientMeasure::UpdateRatio:
      return {&r.updateRatio, &r.updateRatioSeries};
    case GradientMeasure::SignAgreement:
      return {&r.signAgreement, &r.signAgreementSeries};
    case GradientMeasure::NormGradNorm:
      break;
  }
  return {&r.normGradNorm, &r.normGradNormSeries};
}

const std::vector<float>& current(const RunSnapshot& r, GradientMeasure m) {
  return *measured(r, m).now;
}

const std::vector<SeriesData>& history(const RunSnapshot& r, GradientMeasure m) {
  return *measured(r, m).history;
}

// Sign agreement is a share in [0, 1], charted on a linear 0…1 scale; the others span decades
// and are charted on log scales.
bool isShare(GradientMeasure m) { return m == GradientMeasure::SignAgreement; }

bool anyNorm(const Snapshot& snap) {
  for (const auto& run : snap.runs)
    if (!run.normGradNorm.empty()) return true;
  return false;
}

std::string layerName(int l, int layers) {
  char buf[64];
  if (l == layers - 1) return tr("gradient.output_layer_short");
  std::snprintf(buf, sizeof buf, tr("ui.layer_n"), l + 1);
  return buf;
}

// A run's layer as the panel names it: a watched run's parameter tensor ("fc1.weight"),
// else "Layer 3" or "Output".
std::string layerName(const RunSnapshot& run, int l) {
  if (l >= 0 && l < static_cast<int>(run.layerNames.size()))
    return run.layerNames[static_cast<size_t>(l)];
  return layerName(l, run.layerCount);
}

bool diverged(const RunSnapshot& r) { return r.state == RunState::Diverged; }

// A run's name as the panel shows it: marked when the run diverged (its values are stale).
std::string runTitle(const RunSnapshot& run) {
  return diverged(run) ? trMessage(run.label) + " · " + tr("gradient.diverged")
                       : trMessage(run.label);
}

// The layer × step images, rebuilt at most a few times a second while training runs.
struct FlowImages {
  std::uint64_t version = 0;
  double builtAt = -1;
  GradientMeasure measure = GradientMeasure::WeightGradNorm;
  int columns = 0;
  double x0 = 0, x1 = 1;     // step range
  double lo = 1e-8, hi = 1;  // colour range (log)
  bool haveRange = false;
  bool log = true;                         // the colour scale (linear for a share)
  std::vector<std::vector<float>> values;  // per run: layers × columns, output layer first
  std::vector<int> layers;
  // Textures outlive nothing: they are freed with the GL context at exit.
  std::vector<gfx::ImageTexture*> textures;
};

ImU32 heatColor(float v, double lo, double hi, bool log) {
  if (!std::isfinite(v)) return IM_COL32(0, 0, 0, 0);
  if (log && v <= 0) return IM_COL32(20, 20, 24, 255);  // exactly no gradient
  const double t = plot::toUnit(std::clamp<double>(v, lo, hi), lo, hi, log);
  return plot::colormap(plot::Colormap::Viridis, t);
}

void buildImages(const Snapshot& snap, GradientMeasure m, int columns, FlowImages& im) {
  const size_t runs = snap.runs.size();
  // One step range for every run, so the same column is the same step in each chart; a
  // diverged run's (its series may go on past the divergence) sets it only if no run trains.
  bool anyLive = false;
  for (const auto& run : snap.runs) anyLive |= !diverged(run);
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0;
  int points = 0;
  for (const auto& run : snap.runs)
    for (const auto& s : history(run, m))
      if (!s.empty() && !(diverged(run) && anyLive)) {
        x0 = std::min<double>(x0, s.x(0));
        x1 = std::max<double>(x1, s.x(s.size() - 1));
        points = std::max(points, s.size());
      }
  if (!(x1 >= x0)) x0 = 0, x1 = 1;
  if (x1 <= x0) x1 = x0 + 1;
  columns = std::clamp(std::min(columns, points), 1, 1024);
  im.values.resize(runs);
  im.layers.assign(runs, 0);
  static std::vector<float> bins;
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  double staleLo = lo, staleHi = 0;  // diverged runs' range: used only if no other run has one
  for (size_t r = 0; r < runs; ++r) {
    const auto& series = history(snap.runs[r], m);
    const int layers = static_cast<int>(series.size());
    im.layers[r] = layers;
    auto& v = im.values[r];
    v.assign(static_cast<size_t>(layers) * columns, std::numeric_limits<float>::quiet_NaN());
    for (int l = 0; l < layers; ++l) {
      binSeries(series[static_cast<size_t>(l)], x0, x1, columns, bins);
      std::copy(bins.begin(), bins.end(), v.begin() + static_cast<long>(layers - 1 - l) * columns);
    }
    double& a = diverged(snap.runs[r]) ? staleLo : lo;
    double& b = diverged(snap.runs[r]) ? staleHi : hi;
    for (float f : v)
      if (std::isfinite(f) && f > 0) a = std::min<double>(a, f), b = std::max<double>(b, f);
  }
  if (!(hi > 0)) lo = staleLo, hi = staleHi;
  im.haveRange = hi > 0;
  if (im.haveRange) {
    if (hi <= lo) lo /= 2, hi *= 2;
    im.lo = lo, im.hi = hi;
  }
  im.log = !isShare(m);
  if (!im.log) im.lo = 0, im.hi = 1, im.haveRange = true;
  im.x0 = x0, im.x1 = x1, im.columns = columns, im.measure = m;
  while (im.textures.size() < runs) im.textures.push_back(new gfx::ImageTexture);
  static std::vector<std::uint32_t> rgba;
  for (size_t r = 0; r < runs; ++r) {
    const auto& v = im.values[r];
    if (v.empty()) continue;
    rgba.resize(v.size());
    const bool stale = diverged(snap.runs[r]);
    for (size_t i = 0; i < v.size(); ++i) {
      const ImU32 c = heatColor(v[i], im.lo, im.hi, im.log);
      rgba[i] = stale && (c >> 24) ? staleColor(c) : c;
    }
    im.textures[r]->upload(rgba.data(), columns, im.layers[r]);
  }
}

// A horizontal colour ramp `width` wide on the current line, from `lo` to `hi` on `map`.
void colourRamp(float width, ImU32 (*color)(double)) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  for (int i = 0; i < 32; ++i)
    dl->AddRectFilled(ImVec2(p.x + width * i / 32, p.y + h * 0.2f),
                      ImVec2(p.x + width * (i + 1) / 32 + 0.5f, p.y + h * 0.8f), color(i / 31.0));
  ImGui::Dummy(ImVec2(width, h));
}

// Text that moves to the next line when it no longer fits on this one.
void flowText(const char* text, float spacing, bool disabled = true) {
  sameLineIfFits(ImGui::CalcTextSize(text).x, spacing);
  if (disabled)
    ImGui::TextDisabled("%s", text);
  else
    ImGui::TextUnformatted(text);
}

void drawHeader(const Snapshot& snap, UiState& state, bool lines, const FlowImages& im) {
  const float spacing = ImGui::GetFontSize() * 1.2f;
  int choice = static_cast<int>(state.gradientMeasure);
  ImGui::RadioButton("‖dL/dW‖", &choice, 0);
  tooltip(tr("tip.gradnorm"));
  ImGui::SameLine();
  ImGui::RadioButton(trId("gradient.mean_dz").c_str(), &choice, 1);
  tooltip(tr("tip.mean_dz"));
  ImGui::SameLine();
  ImGui::RadioButton(trId("gradient.update_ratio").c_str(), &choice, 2);
  tooltip(tr("tip.update_ratio"));
  sameLineIfFits(ImGui::CalcTextSize(tr("gradient.sign_agreement")).x + ImGui::GetFrameHeight() +
                     ImGui::GetStyle().ItemInnerSpacing.x,
                 ImGui::GetStyle().ItemSpacing.x);
  ImGui::RadioButton(tr("gradient.sign_agreement"), &choice, 3);
  tooltip(tr("tip.sign_agreement"));
  // The norms' γ and β, offered while some run has a norm.
  constexpr int kNormChoice = static_cast<int>(GradientMeasure::NormGradNorm);
  if (anyNorm(snap)) {
    const char* normLabel = tr("gradient.norm_params");
    sameLineIfFits(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
                       ImGui::CalcTextSize(normLabel).x,
                   ImGui::GetStyle().ItemSpacing.x);
    ImGui::RadioButton(normLabel, &choice, kNormChoice);
    tooltip(tr("tip.norm_grad_norm"));
  } else if (choice == kNormChoice) {
    choice = 0;
  }
  state.gradientMeasure = static_cast<GradientMeasure>(choice);
  const GradientMeasure m = state.gradientMeasure;
  const char* smoothing = tr("gradient.smoothing");
  const float sliderW = ImGui::GetFontSize() * 7;
  if (lines) {
    sameLineIfFits(
        sliderW + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(smoothing).x,
        ImGui::GetFontSize());
    ImGui::SetNextItemWidth(sliderW);
    ImGui::SliderFloat(trId("gradient.smoothing").c_str(), &state.smoothing, 0.0f, 0.99f, "%.2f",
                       ImGuiSliderFlags_AlwaysClamp);
    tooltip(tr("tip.smoothing"));
  }

  // The first/last ratio per run: how many decades the gradient loses on its way back. With
  // smoothing on (lines view), the ratio of the smoothed curves' latest values (what the chart
  // shows); a single mini-batch step's ratio jumps around by a decade.
  // (Not for the sign agreement, a share rather than a magnitude passed back.)
  const bool smoothed = lines && state.smoothing > 0;
  const bool ratios = m != GradientMeasure::SignAgreement;
  if (ratios)
    ImGui::TextDisabled("%s", smoothed ? tr("gradient.ratio_smoothed") : tr("gradient.ratio"));
  for (size_t r = 0; ratios && r < snap.runs.size(); ++r) {
    const auto& run = snap.runs[r];
    const auto& g = current(run, m);
    const auto& series = history(run, m);
    if (g.empty() || series.empty()) continue;
    double ratio = g.back() > 0 ? g.front() / g.back() : NAN;
    if (smoothed && series.front().size() > 0 && series.back().size() > 0) {
      static std::vector<float> sx, first, last;
      smoothSeries(series.front(), state.smoothing, !isShare(m), 400, sx, first);
      smoothSeries(series.back(), state.smoothing, !isShare(m), 400, sx, last);
      ratio = last.back() > 0 ? first.back() / last.back() : NAN;
    }
    // 0/0: no gradient reaches even the output layer (every unit of a layer dead).
    const std::string value = run.step == 0       ? "–"
                              : std::isnan(ratio) ? tr("gradient.no_gradient")
                                                  : plot::formatValue(ratio);
    const std::string text = runTitle(run) + " " + value;
    sameLineIfFits(ImGui::CalcTextSize(text.c_str()).x, spacing);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(runColor(run, static_cast<int>(r))), "%s",
                       text.c_str());
    if (ImGui::IsItemHovered()) {
      char buf[512];
      std::snprintf(buf, sizeof buf, tr("gradient.ratio_tip"), measureName(m), run.step);
      ImGui::SetTooltip("%s", buf);
    }
  }

  const float h = ImGui::GetTextLineHeight();
  const float rampW = ImGui::GetFontSize() * 8;
  if (lines) {
    // Key: colour = layer along a sequential map, line pattern = run.
    static int s_layers = 2;
    s_layers = 2;
    for (const auto& run : snap.runs) s_layers = std::max(s_layers, run.layerCount);
    ImGui::TextDisabled("%s", tr("gradient.key_input"));
    ImGui::SameLine();
    colourRamp(rampW, [](double t) {
      return layerColor(static_cast<int>(std::lround(t * (s_layers - 1))), s_layers);
    });
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr("gradient.key_output"));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (size_t r = 0; r < snap.runs.size(); ++r) {
      const std::string label = runTitle(snap.runs[r]);
      const float lw = ImGui::GetFontSize() * 2.2f;
      const float itemW =
          lw + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(label.c_str()).x;
      sameLineIfFits(itemW, spacing);
      const ImVec2 q = ImGui::GetCursorScreenPos();
      const ImU32 c = diverged(snap.runs[r]) ? ImGui::GetColorU32(ImGuiCol_TextDisabled)
                                             : ImGui::GetColorU32(ImGuiCol_Text);
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
      if (diverged(snap.runs[r]))
        ImGui::TextDisabled("%s", label.c_str());
      else
        ImGui::TextUnformatted(label.c_str());
    }
    long clipped = 0;
    for (const auto& run : snap.runs) clipped += run.clippedSteps;
    if (clipped > 0) {
      flowText(tr("gradient.clipped_key"), spacing);
      tooltip(tr("tip.clip_norm"));
    }
  } else {
    // Key: the heatmaps' shared log colour scale.
    ImGui::TextDisabled("%s", tr("gradient.key_heat"));
    if (im.haveRange) {
      flowText(plot::formatValue(im.lo).c_str(), ImGui::GetStyle().ItemSpacing.x);
      sameLineIfFits(rampW, ImGui::GetStyle().ItemSpacing.x);
      colourRamp(rampW, [](double t) { return plot::colormap(plot::Colormap::Viridis, t); });
      flowText(plot::formatValue(im.hi).c_str(), ImGui::GetStyle().ItemSpacing.x);
    }
    if (im.log) {
      flowText(tr("gradient.key_log"), spacing);
      flowText(tr("gradient.key_zero"), spacing);
    }
    flowText(tr("gradient.key_rows"), spacing);
  }
}

void drawBars(const Snapshot& snap, GradientMeasure m, ImVec2 size) {
  const std::string title = std::string(tr("gradient.this_step")) + "##bars";
  if (!plot::begin(title.c_str(), size, plot::PlotFlags::NoLegend)) return;
  plot::setupAxis(plot::Axis::X, tr("gradient.layer_axis"));
  const bool share = isShare(m);
  plot::setupAxis(plot::Axis::Y, measureName(m),
                  share ? plot::AxisFlags::None : plot::AxisFlags::Log10);
  const int runs = static_cast<int>(snap.runs.size());
  int layers = 0;
  for (const auto& run : snap.runs) layers = std::max(layers, run.layerCount);
  plot::setupAxisLimits(plot::Axis::X, 0.4, layers + 0.6, plot::Cond::Always);
  bool anyLive = false;
  for (const auto& run : snap.runs) anyLive |= !diverged(run) && !current(run, m).empty();
  // The y range from this step's own values (an auto-fit would follow a frame late, and one
  // mini-batch's gradients jump by decades from step to step: bars ran off the top or fell
  // below the bottom). A diverged run's last values do not set it while another run trains.
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const auto& run : snap.runs) {
    if (diverged(run) && anyLive) continue;
    for (float v : current(run, m))
      if (std::isfinite(v) && v > 0) lo = std::min<double>(lo, v), hi = std::max<double>(hi, v);
  }
  if (share) {
    plot::setupAxisLimits(plot::Axis::Y, 0, 1.05, plot::Cond::Always);
  } else if (hi > 0) {
    if (hi <= lo) lo /= 3, hi *= 3;
    const double pad = std::pow(10.0, 0.05 * std::max(std::log10(hi / lo), 0.5));
    plot::setupAxisLimits(plot::Axis::Y, lo / pad, hi * pad, plot::Cond::Always);
  }
  const double width = 0.8 / std::max(runs, 1);
  std::vector<double> xs, ys;
  for (int r = 0; r < runs; ++r) {
    const auto& run = snap.runs[static_cast<size_t>(r)];
    const auto& g = current(run, m);
    xs.clear(), ys.clear();
    for (size_t l = 0; l < g.size(); ++l) {
      xs.push_back(l + 1 - 0.4 + width * (r + 0.5));
      ys.push_back(g[l]);
    }
    // A diverged run's last values (often inf or 1e30) must not squash the others' bars.
    plot::bars(trMessage(run.label).c_str(), xs.data(), ys.data(), static_cast<int>(xs.size()),
               width * 0.9, share ? 0.0 : 1e-30, runColor(run, r), !(diverged(run) && anyLive));
  }
  // The layer under the mouse, named per run (a watched run's parameter tensors by name).
  if (plot::isHovered() && layers > 0) {
    const int l = std::clamp(static_cast<int>(std::lround(plot::mousePosition().x)), 1, layers) - 1;
    ImGui::BeginTooltip();
    for (int r = 0; r < runs; ++r) {
      const auto& run = snap.runs[static_cast<size_t>(r)];
      const auto& g = current(run, m);
      if (l >= static_cast<int>(g.size())) continue;
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(runColor(run, r)), "%s · %s: %s",
                         trMessage(run.label).c_str(), layerName(run, l).c_str(),
                         plot::formatValue(g[static_cast<size_t>(l)]).c_str());
    }
    ImGui::EndTooltip();
  }
  plot::end();
}

void drawLines(const Snapshot& snap, const UiState& state, ImVec2 size) {
  const GradientMeasure m = state.gradientMeasure;
  const std::string title = std::string(tr("gradient.over_training")) + "##lines";
  if (!plot::begin(title.c_str(), size, plot::PlotFlags::NoLegend)) return;
  stepAxis(snap);
  if (isShare(m)) {
    plot::setupAxis(plot::Axis::Y, measureName(m));
    plot::setupAxisLimits(plot::Axis::Y, 0, 1.05, plot::Cond::Always);
  } else {
    plot::setupAxis(plot::Axis::Y, measureName(m),
                    plot::AxisFlags::Log10 | plot::AxisFlags::AutoFit);
  }
  bool anyLive = false;
  for (const auto& run : snap.runs) anyLive |= !diverged(run);
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
    const bool stale = diverged(run);
    for (size_t l = 0; l < series.size(); ++l) {
      const auto& s = series[l];
      const std::string label = layerName(run, static_cast<int>(l)) + " · " + trMessage(run.label);
      const ImU32 c = layerColor(static_cast<int>(l), run.layerCount);
      const plot::LineStyle style{stale ? staleColor(c) : c, stale ? 1.5f : 2.0f,
                                  plot::runPattern(static_cast<int>(r)), !(stale && anyLive)};
      if (state.smoothing > 0) {
        smoothSeries(s, state.smoothing, !isShare(m), pixels, smoothX, smoothY);
        plot::line(label.c_str(), smoothX.data(), smoothY.data(), static_cast<int>(smoothX.size()),
                   0, sizeof(float), style);
      } else {
        seriesLine(label.c_str(), s, style);
      }
    }
  }
  plot::end();
}

// One layer × step heatmap per run, in a grid of one or two columns sharing the step axis
// (labelled under the bottom row only); scrolled when the panel is too short for all of them.
void drawHeatmaps(const Snapshot& snap, GradientMeasure m, ImVec2 size, FlowImages& im) {
  const int runs = static_cast<int>(snap.runs.size());
  if (runs == 0) return;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float th = ImGui::GetTextLineHeight();
  const float gap = style.ItemSpacing.x;
  const int cols = runs >= 3 && size.x >= ImGui::GetFontSize() * 28 ? 2 : 1;
  const int rows = (runs + cols - 1) / cols;
  // Every chart gets its title and at least four text lines of rows; the bottom row also the
  // step axis' ticks and label.
  const float axisH = (th + style.ItemInnerSpacing.x) * 2;
  const float minH = th * 5.5f;
  const float fitH = (size.y - axisH - style.ItemSpacing.y * (rows - 1)) / rows;
  const bool scroll = fitH < minH;
  const float chartH = std::max(fitH, minH);
  if (scroll && !ImGui::BeginChild("##heatmaps", size, false)) {
    ImGui::EndChild();
    return;
  }
  const float width = scroll ? ImGui::GetContentRegionAvail().x : size.x;
  const ImVec2 cell((width - gap * (cols - 1)) / cols, chartH);
  const double now = ImGui::GetTime();
  const int columns = std::max(8, static_cast<int>(cell.x / 2));
  const bool newer = im.version != snap.version;
  if (im.measure != m || im.columns == 0 || im.values.size() != snap.runs.size() ||
      (newer && now - im.builtAt > 0.25) || std::abs(columns - im.columns) > 8) {
    buildImages(snap, m, columns, im);
    im.version = snap.version, im.builtAt = now;
  }
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  for (int r = 0; r < runs; ++r) {
    const auto& run = snap.runs[static_cast<size_t>(r)];
    const bool bottomRow = r / cols == rows - 1 || r + cols >= runs;
    ImGui::SetCursorScreenPos(ImVec2(origin.x + (r % cols) * (cell.x + gap),
                                     origin.y + (r / cols) * (cell.y + style.ItemSpacing.y)));
    const std::string title = runTitle(run) + "##heat" + std::to_string(r);
    if (!plot::begin(title.c_str(), ImVec2(cell.x, cell.y + (bottomRow ? axisH : 0)),
                     plot::PlotFlags::NoLegend))
      continue;
    const int layers =
        r < static_cast<int>(im.layers.size()) ? im.layers[static_cast<size_t>(r)] : 0;
    if (bottomRow)
      plot::setupAxis(plot::Axis::X, tr("gradient.step"));
    else
      plot::setupAxis(plot::Axis::X, nullptr, plot::AxisFlags::NoTickLabels);
    plot::setupAxis(plot::Axis::Y, nullptr);
    plot::setupAxisLimits(plot::Axis::X, im.x0, im.x1, plot::Cond::Always);
    plot::setupAxisLimits(plot::Axis::Y, 0.5, std::max(layers, 1) + 0.5, plot::Cond::Always);
    if (layers > 0)
      plot::image(reinterpret_cast<ImTextureID>(im.textures[static_cast<size_t>(r)]->id()), im.x0,
                  im.x1, 0.5, layers + 0.5, false);
    if (plot::isHovered() && layers > 0) {
      const plot::Point p = plot::mousePosition();
      const int l = std::clamp(static_cast<int>(std::lround(p.y)), 1, layers);
      const int c = std::clamp(static_cast<int>((p.x - im.x0) / (im.x1 - im.x0) * im.columns), 0,
                               im.columns - 1);
      const float v =
          im.values[static_cast<size_t>(r)][static_cast<size_t>(layers - l) * im.columns + c];
      const double s0 = im.x0 + (im.x1 - im.x0) * c / im.columns;
      const double s1 = im.x0 + (im.x1 - im.x0) * (c + 1) / im.columns;
      char buf[256];
      std::snprintf(buf, sizeof buf, tr("gradient.heat_tip"), layerName(run, l - 1).c_str(),
                    groupThousands(std::lround(s0)).c_str(),
                    groupThousands(std::lround(s1)).c_str(), measureName(m),
                    std::isfinite(v) ? plot::formatValue(v).c_str() : "–");
      ImGui::BeginTooltip();
      ImGui::TextUnformatted(buf);
      ImGui::EndTooltip();
    }
    plot::end();
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(width, rows * (cell.y + style.ItemSpacing.y) - style.ItemSpacing.y + axisH));
  if (scroll) ImGui::EndChild();
}

}  // namespace

void drawGradientPanel(const Snapshot& snap, UiState& state) {
  static FlowImages images;
  int layers = 0;
  for (const auto& run : snap.runs) layers = std::max(layers, run.layerCount);
  const bool lines = static_cast<int>(snap.runs.size()) <= kMaxLineRuns && layers <= kMaxLineLayers;
  drawHeader(snap, state, lines, images);

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float barsWidth = std::max(avail.x * 0.3f, 180.0f);
  drawBars(snap, state.gradientMeasure, ImVec2(barsWidth, avail.y));
  ImGui::SameLine();
  const ImVec2 rest(ImGui::GetContentRegionAvail().x, avail.y);
  if (lines)
    drawLines(snap, state, rest);
  else
    drawHeatmaps(snap, state.gradientMeasure, rest, images);
}

}  // namespace gradscope::ui
