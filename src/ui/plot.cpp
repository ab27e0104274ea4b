// The plot module: axes with ticks, items, legend, crosshair readout, zoom and pan, drawn on
// ImGui's draw list. State per plot (limits, hidden items) lives in a table keyed by the
// plot's ImGui ID, as ImPlot keeps it in its context.
#include "ui/plot.h"

#include "ui/i18n.h"

#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "ui/text_fit.h"

namespace gradscope::plot {

using ui::noteText;
using ui::textAudit;

//-----------------------------------------------------------------------------
// [SECTION] Pure helpers
//-----------------------------------------------------------------------------

std::string formatTick(double value, double step) {
  if (std::abs(value) < step * 1e-9) value = 0.0;  // −0 and rounding residue
  const double mag = std::max(std::abs(value), step);
  char buf[32];
  if (mag >= 1e6 || (mag < 1e-3 && mag > 0)) {
    std::snprintf(buf, sizeof buf, "%.3g", value);
  } else {
    const int digits = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 6);
    std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  }
  return buf;
}

std::string formatValue(double value) {
  char buf[32];
  const double a = std::abs(value);
  if (value == 0.0)
    return "0";
  else if (!std::isfinite(value))
    std::snprintf(buf, sizeof buf, "%s", std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf");
  else if (a < 1e-3 || a >= 1e5)
    std::snprintf(buf, sizeof buf, "%.3e", value);
  else
    std::snprintf(buf, sizeof buf, "%.4g", value);
  return buf;
}

std::vector<Tick> linearTicks(double lo, double hi, int target) {
  std::vector<Tick> ticks;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || target < 1) return ticks;
  const double raw = (hi - lo) / target;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / p;
  const double step = (f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0) * p;
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (int i = 0; i < 1000; ++i) {
    const double v = first + i * step;
    if (v > hi + step * 1e-9) break;
    ticks.push_back({v, true, formatTick(v, step)});
  }
  return ticks;
}

std::vector<Tick> logTicks(double lo, double hi, int target) {
  std::vector<Tick> ticks;
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return ticks;
  const int k0 = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  const int k1 = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
  const int decades = std::max(1, k1 - k0);
  const int every = std::max(1, (decades + target - 1) / std::max(target, 1));
  for (int k = k0; k <= k1; ++k) {
    const double v = std::pow(10.0, k);
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
      const bool major = ((k % every) + every) % every == 0;
      char buf[16];
      std::snprintf(buf, sizeof buf, "1e%d", k);
      ticks.push_back({v, major, major ? std::string(k == 0 ? "1" : buf) : std::string()});
    }
    if (decades <= 6)
      for (int m = 2; m <= 9; ++m) {
        const double mv = m * v;
        if (mv >= lo && mv <= hi) ticks.push_back({mv, false, {}});
      }
  }
  return ticks;
}

double toUnit(double v, double lo, double hi, bool log10) {
  if (log10) return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  return (v - lo) / (hi - lo);
}

double fromUnit(double t, double lo, double hi, bool log10) {
  if (log10) return std::pow(10.0, std::log10(lo) + t * (std::log10(hi) - std::log10(lo)));
  return lo + t * (hi - lo);
}

void decimateColumns(const ImVec2* pts, int count, std::vector<ImVec2>& out) {
  int i = 0;
  while (i < count) {
    const float column = std::floor(pts[i].x);
    int lo = i, hi = i, j = i;
    while (j + 1 < count && std::floor(pts[j + 1].x) == column) {
      ++j;
      if (pts[j].y < pts[lo].y) lo = j;
      if (pts[j].y > pts[hi].y) hi = j;
    }
    // The column's extremes in the order they occur: at most two points per pixel column, one
    // when they are within a pixel of each other.
    out.push_back(pts[std::min(lo, hi)]);
    if (lo != hi && pts[hi].y - pts[lo].y >= 1.0f) out.push_back(pts[std::max(lo, hi)]);
    i = j + 1;
  }
}

void smoothEma(const float* values, int count, double weight, bool logDomain,
               std::vector<float>& out) {
  out.resize(static_cast<size_t>(std::max(count, 0)));
  // TensorBoard's smoothing: an exponential moving average with its start-up bias removed.
  double ema = 0.0, norm = 0.0;
  for (int i = 0; i < count; ++i) {
    const double v = values[i];
    const bool usable = std::isfinite(v) && (!logDomain || v > 0);
    if (!usable) {
      out[static_cast<size_t>(i)] = values[i];
      continue;
    }
    const double x = logDomain ? std::log10(v) : v;
    ema = weight * ema + (1.0 - weight) * x;
    norm = weight * norm + (1.0 - weight);
    const double s = ema / norm;
    out[static_cast<size_t>(i)] = static_cast<float>(logDomain ? std::pow(10.0, s) : s);
  }
}

void smoothForDisplay(const float* xs, const float* ys, int count, double weight, bool logDomain,
                      float pixels, std::vector<float>& outX, std::vector<float>& outY) {
  // Groups of k consecutive points become their mean (geometric on log axes: the stored
  // series keep min/max pairs, and a plain subsample would alias between them), then the
  // groups are smoothed as TensorBoard smooths the points it shows.
  const int k = std::max(1, static_cast<int>(std::ceil(count / std::max(1.0 * pixels, 1.0))));
  outX.clear();
  static std::vector<float> grouped;
  grouped.clear();
  for (int i = 0; i < count; i += k) {
    const int end = std::min(count, i + k);
    double sum = 0;
    int used = 0;
    for (int j = i; j < end; ++j) {
      const float v = ys[j];
      if (!std::isfinite(v) || (logDomain && v <= 0)) continue;
      sum += logDomain ? std::log10(v) : v;
      ++used;
    }
    outX.push_back(xs[end - 1]);
    grouped.push_back(
        used == 0 ? ys[end - 1]
                  : static_cast<float>(logDomain ? std::pow(10.0, sum / used) : sum / used));
  }
  smoothEma(grouped.data(), static_cast<int>(grouped.size()), weight, logDomain, outY);
}

ImU32 colormap(Colormap map, double t) {
  using Stops = std::array<std::array<float, 3>, 5>;
  static constexpr Stops viridis{{{0.267f, 0.005f, 0.329f},
                                  {0.230f, 0.322f, 0.546f},
                                  {0.128f, 0.567f, 0.551f},
                                  {0.369f, 0.789f, 0.383f},
                                  {0.993f, 0.906f, 0.144f}}};
  static constexpr Stops plasma{{{0.050f, 0.030f, 0.528f},
                                 {0.494f, 0.012f, 0.658f},
                                 {0.798f, 0.280f, 0.470f},
                                 {0.973f, 0.585f, 0.254f},
                                 {0.940f, 0.975f, 0.131f}}};
  static constexpr Stops redBlue{{{0.698f, 0.094f, 0.169f},
                                  {0.937f, 0.541f, 0.384f},
                                  {0.969f, 0.969f, 0.969f},
                                  {0.404f, 0.663f, 0.812f},
                                  {0.129f, 0.400f, 0.675f}}};
  const Stops& s = map == Colormap::Viridis ? viridis : map == Colormap::Plasma ? plasma : redBlue;
  if (!(t >= 0.0)) t = 0.0;  // also NaN
  t = std::min(t, 1.0);
  const double pos = t * (s.size() - 1);
  const size_t k = std::min(static_cast<size_t>(pos), s.size() - 2);
  const float f = static_cast<float>(pos - k);
  auto channel = [&](int c) {
    const float v = s[k][c] + f * (s[k + 1][c] - s[k][c]);
    return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
  };
  return IM_COL32(channel(0), channel(1), channel(2), 255);
}

ImU32 paletteColor(int n) {
  static constexpr std::array<ImU32, 10> palette{
      IM_COL32(94, 156, 236, 255),  IM_COL32(240, 134, 62, 255),  IM_COL32(96, 196, 120, 255),
      IM_COL32(226, 92, 92, 255),   IM_COL32(172, 132, 222, 255), IM_COL32(190, 150, 110, 255),
      IM_COL32(232, 138, 200, 255), IM_COL32(160, 160, 160, 255), IM_COL32(206, 206, 90, 255),
      IM_COL32(80, 200, 210, 255)};
  return palette[static_cast<size_t>(n) % palette.size()];
}

//-----------------------------------------------------------------------------
// [SECTION] Plotting API
//-----------------------------------------------------------------------------

namespace {

struct AxisState {
  double min = 0.0, max = 1.0;
  AxisFlags flags = AxisFlags::None;
  std::string label;
  double fitMin = 0, fitMax = 0;
  bool fitSeen = false;
  bool fitNext = true;  // fit to the data at the end of this frame
  bool log() const { return any(flags, AxisFlags::Log10); }
  void include(double v) {
    if (!std::isfinite(v) || (log() && v <= 0)) return;
    if (!fitSeen) fitMin = fitMax = v, fitSeen = true;
    fitMin = std::min(fitMin, v);
    fitMax = std::max(fitMax, v);
  }
};

struct LegendEntry {
  std::string label;
  ImU32 color;
  Pattern pattern;
};

struct Readout {
  std::string label;
  ImU32 color;
  double x, y;
};

struct PlotState {
  AxisState x, y;
  bool initialized = false;
  bool userView = false;  // zoomed or panned: AutoFit pauses until a double-click
  std::unordered_set<std::string> hidden;
  // Per frame:
  PlotFlags flags = PlotFlags::None;
  std::string title;
  ImRect frame, area;
  bool locked = false;
  bool hovered = false;
  int items = 0;
  std::vector<LegendEntry> legend;
  std::vector<Readout> readouts;
  bool fitting = false;
};

std::unordered_map<ImGuiID, PlotState> g_plots;
PlotState* g_plot = nullptr;

// The clip rectangle of `dl` within the plot's frame: a title, tick, label or legend must fit
// the chart, not only the window (it would cover the panel beside it).
ImVec4 frameClip(const ImDrawList* dl, const PlotState& p) {
  const ImVec4 c = dl->_ClipRectStack.back();
  return ImVec4(std::max(c.x, p.frame.Min.x), std::max(c.y, p.frame.Min.y),
                std::min(c.z, p.frame.Max.x), std::min(c.w, p.frame.Max.y));
}

// A text of the plot: ImDrawList::AddText, audited against frameClip (ui/text_fit.h).
void plotText(ImDrawList* dl, const PlotState& p, ImVec2 pos, ImU32 color, const char* text) {
  if (textAudit()) {
    const ImVec2 size = ImGui::CalcTextSize(text);
    noteText(text, nullptr, pos, ImVec2(pos.x + size.x, pos.y + size.y), frameClip(dl, p));
  }
  dl->AddText(pos, color, text);
}
std::vector<ImVec2> g_scratch, g_decimated;

ImU32 withAlpha(ImU32 c, int alpha) {
  return (c & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

void sanitize(AxisState& a) {
  if (a.log()) {
    if (!(a.min > 0)) a.min = a.max > 0 ? a.max * 1e-3 : 1e-3;
    if (!(a.max > a.min)) a.max = a.min * 10.0;
  } else if (!(a.max > a.min)) {
    const double c = std::isfinite(a.min) ? a.min : 0.0;
    a.min = c - 0.5, a.max = c + 0.5;
  }
  if (!std::isfinite(a.min) || !std::isfinite(a.max)) a.min = a.log() ? 1e-3 : 0.0, a.max = 1.0;
}

void applyFit(AxisState& a) {
  if (!a.fitSeen) return;
  double lo = a.fitMin, hi = a.fitMax;
  if (a.log()) {
    if (hi <= lo) lo /= 3.0, hi *= 3.0;
    const double pad = std::pow(10.0, 0.04 * std::max(std::log10(hi / lo), 0.5));
    a.min = lo / pad, a.max = hi * pad;
  } else {
    if (hi <= lo) lo -= 0.5, hi += 0.5;
    const double pad = 0.04 * (hi - lo);
    a.min = lo - pad, a.max = hi + pad;
  }
  sanitize(a);
}

float pxX(const PlotState& p, double v) {
  return p.area.Min.x +
         static_cast<float>(toUnit(v, p.x.min, p.x.max, p.x.log()) * p.area.GetWidth());
}
float pxY(const PlotState& p, double v) {
  return p.area.Max.y -
         static_cast<float>(toUnit(v, p.y.min, p.y.max, p.y.log()) * p.area.GetHeight());
}

// Lays out the plot area and draws the frame, grid and ticks; done once, before the first item.
void lock() {
  PlotState& p = *g_plot;
  if (p.locked) return;
  p.locked = true;
  sanitize(p.x);
  sanitize(p.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float th = ImGui::GetTextLineHeight();
  const float pad = style.ItemInnerSpacing.x;

  const int yTarget = std::max(2, static_cast<int>(p.frame.GetHeight() / (th * 3.0f)));
  auto yTicks =
      p.y.log() ? logTicks(p.y.min, p.y.max, yTarget) : linearTicks(p.y.min, p.y.max, yTarget);
  float yLabelWidth = 0;
  if (!any(p.y.flags, AxisFlags::NoTickLabels))
    for (const auto& t : yTicks)
      yLabelWidth = std::max(yLabelWidth, ImGui::CalcTextSize(t.label.c_str()).x);

  // The y label runs up the left side when the area is tall enough for it; otherwise it sits
  // level above the area's top-left corner (never clipped, never cut).
  const ImVec2 yLabelSize = ImGui::CalcTextSize(p.y.label.c_str());
  const float bottom = p.frame.Max.y - pad - (p.x.label.empty() ? 0 : th + pad) -
                       (any(p.x.flags, AxisFlags::NoTickLabels) ? 0 : th + pad);
  float top = p.frame.Min.y + (p.title.empty() ? pad : th + pad * 1.5f);
  const bool yLabelUp = !p.y.label.empty() && yLabelSize.x <= bottom - top;
  const bool yLabelLevel = !p.y.label.empty() && !yLabelUp;
  float titleX = 0;
  if (yLabelLevel) {
    // Beside the title when both fit on its line, else on a line of its own.
    const float titleW = ImGui::CalcTextSize(p.title.c_str()).x;
    const float centred = p.frame.GetCenter().x - titleW * 0.5f;
    const float after = p.frame.Min.x + pad + yLabelSize.x + pad * 3;
    if (p.title.empty())
      top = p.frame.Min.y + th + pad * 1.5f;
    else if (after + titleW <= p.frame.Max.x - pad)
      titleX = std::max(centred, after);
    else
      top += th;
  }
  const float left = p.frame.Min.x + pad + (yLabelUp ? th + pad : 0) + yLabelWidth + pad;
  const float right = p.frame.Max.x - pad * 2;
  p.area =
      ImRect(ImVec2(left, top), ImVec2(std::max(right, left + 10), std::max(bottom, top + 10)));

  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  // Only the data area gets a fill: the frame shows the window's own background, which saves
  // a full layer of blending for software renderers.
  dl->AddRectFilled(p.area.Min, p.area.Max, ImGui::GetColorU32(ImGuiCol_FrameBg));
  if (!p.title.empty()) {
    const ImVec2 ts = ImGui::CalcTextSize(p.title.c_str());
    const float x =
        titleX > 0 ? titleX : std::max(p.frame.GetCenter().x - ts.x * 0.5f, p.frame.Min.x + pad);
    plotText(dl, p, ImVec2(x, p.frame.Min.y + pad * 0.5f), text, p.title.c_str());
  }
  const ImU32 gridMajor = withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 40);
  const ImU32 gridMinor = withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 16);
  float lastLabelY = std::numeric_limits<float>::infinity();
  for (const auto& t : yTicks) {
    const float y = pxY(p, t.value);
    if (y < p.area.Min.y - 0.5f || y > p.area.Max.y + 0.5f) continue;
    dl->AddLine(ImVec2(p.area.Min.x, y), ImVec2(p.area.Max.x, y), t.major ? gridMajor : gridMinor);
    // A label that would touch the one before it (a short chart) is skipped; its line stays.
    if (t.major && !any(p.y.flags, AxisFlags::NoTickLabels) &&
        std::abs(y - lastLabelY) >= th + pad * 0.5f) {
      const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
      plotText(dl, p, ImVec2(p.area.Min.x - pad - ts.x, y - ts.y * 0.5f), dim, t.label.c_str());
      lastLabelY = y;
    }
  }
  const int xTarget = std::max(2, static_cast<int>(p.area.GetWidth() / (th * 6.0f)));
  auto xTicks =
      p.x.log() ? logTicks(p.x.min, p.x.max, xTarget) : linearTicks(p.x.min, p.x.max, xTarget);
  float labelEnd = -std::numeric_limits<float>::infinity();
  for (const auto& t : xTicks) {
    const float x = pxX(p, t.value);
    if (x < p.area.Min.x - 0.5f || x > p.area.Max.x + 0.5f) continue;
    dl->AddLine(ImVec2(x, p.area.Min.y), ImVec2(x, p.area.Max.y), t.major ? gridMajor : gridMinor);
    if (t.major && !any(p.x.flags, AxisFlags::NoTickLabels)) {
      // Centred on the tick, but kept inside the frame (the last one would run off its right
      // edge) and skipped where it would touch the label before it.
      const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
      const float lx =
          std::clamp(x - ts.x * 0.5f, p.frame.Min.x, std::max(p.frame.Min.x, p.frame.Max.x - ts.x));
      if (lx < labelEnd + pad * 2) continue;
      plotText(dl, p, ImVec2(lx, p.area.Max.y + pad * 0.5f), dim, t.label.c_str());
      labelEnd = lx + ts.x;
    }
  }
  if (!p.x.label.empty()) {
    const ImVec2 ts = ImGui::CalcTextSize(p.x.label.c_str());
    // Centred under the data, but kept inside the frame where the frame is narrow.
    const float lx = std::clamp(p.area.GetCenter().x - ts.x * 0.5f, p.frame.Min.x + pad,
                                std::max(p.frame.Min.x + pad, p.frame.Max.x - pad - ts.x));
    plotText(dl, p, ImVec2(lx, p.frame.Max.y - pad - th), text, p.x.label.c_str());
  }
  if (yLabelLevel) {
    plotText(dl, p, ImVec2(p.frame.Min.x + pad, p.area.Min.y - th - pad * 0.5f), text,
             p.y.label.c_str());
  } else if (yLabelUp) {
    // Rotated y label: draw horizontally, then rotate its vertices by −90° around its centre.
    const int v0 = dl->VtxBuffer.Size;
    const ImVec2 ts = ImGui::CalcTextSize(p.y.label.c_str());
    const ImVec2 c(p.frame.Min.x + pad + th * 0.5f, p.area.GetCenter().y);
    // AddText culls glyphs outside the clip rectangle before we rotate them: the label's
    // start, left of the window while horizontal, would be lost. Lay it out against no clip
    // rectangle; once rotated it lies in the frame, and the draw command's clipping holds.
    ImGui::GetFont()->RenderText(dl, ImGui::GetFontSize(),
                                 ImVec2(c.x - ts.x * 0.5f, c.y - ts.y * 0.5f), text,
                                 ImVec4(-1e6f, -1e6f, 1e6f, 1e6f), p.y.label.c_str(), nullptr);
    for (int i = v0; i < dl->VtxBuffer.Size; ++i) {
      ImVec2& v = dl->VtxBuffer[i].pos;
      const ImVec2 d(v.x - c.x, v.y - c.y);
      v = ImVec2(c.x + d.y, c.y - d.x);
    }
    if (textAudit())
      noteText(p.y.label.c_str(), nullptr, ImVec2(c.x - ts.y * 0.5f, c.y - ts.x * 0.5f),
               ImVec2(c.x + ts.y * 0.5f, c.y + ts.x * 0.5f), frameClip(dl, p));
  }
  dl->PushClipRect(p.area.Min, p.area.Max, true);
}

void addLegend(const char* label, ImU32 color, Pattern pattern) {
  if (label && label[0] && label[0] != '#') g_plot->legend.push_back({label, color, pattern});
}

bool hiddenItem(const char* label) { return label && g_plot->hidden.count(label) > 0; }

void drawPolyline(const std::vector<ImVec2>& pts, const LineStyle& s, ImU32 color) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (s.pattern == Pattern::Solid) {
    if (pts.size() >= 2)
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), color, 0, s.thickness);
    return;
  }
  // On/off lengths in pixels, alternating, starting with "on". Each "on" stretch is one
  // polyline (not a line per segment): dense patterned lines stay cheap to draw.
  static constexpr float dashed[] = {7, 5}, dotted[] = {2, 4}, dashDot[] = {8, 4, 2, 4};
  const float* seq = s.pattern == Pattern::Dashed   ? dashed
                     : s.pattern == Pattern::Dotted ? dotted
                                                    : dashDot;
  const int seqLen = s.pattern == Pattern::DashDot ? 4 : 2;
  static std::vector<ImVec2> stretch;
  stretch.clear();
  auto flush = [&]() {
    if (stretch.size() >= 2)
      dl->AddPolyline(stretch.data(), static_cast<int>(stretch.size()), color, 0, s.thickness);
    stretch.clear();
  };
  int k = 0;
  float left = seq[0];  // what remains of the current on/off piece
  if (!pts.empty()) stretch.push_back(pts[0]);
  for (size_t i = 1; i < pts.size(); ++i) {
    ImVec2 a = pts[i - 1];
    const ImVec2 b = pts[i];
    float len = std::sqrt(ImLengthSqr(ImVec2(b.x - a.x, b.y - a.y)));
    const ImVec2 dir = len > 0 ? ImVec2((b.x - a.x) / len, (b.y - a.y) / len) : ImVec2(0, 0);
    while (len > 0) {
      const float step = std::min(len, left);
      const ImVec2 e(a.x + dir.x * step, a.y + dir.y * step);
      if (k % 2 == 0) stretch.push_back(e);
      a = e;
      len -= step;
      left -= step;
      if (left <= 0) {
        k = (k + 1) % seqLen;
        left = seq[k];
        if (k % 2 == 1)
          flush();
        else
          stretch.push_back(e);
      }
    }
  }
  flush();
}

}  // namespace

bool begin(const char* title, ImVec2 size, PlotFlags flags) {
  const ImGuiID id = ImGui::GetID(title);
  PlotState& p = g_plots[id];
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0) size.x = std::max(avail.x, 50.0f);
  if (size.y < 0) size.y = std::max(avail.y, 80.0f);
  if (size.y == 0) size.y = std::max(ImGui::GetTextLineHeight() * 16.0f, 80.0f);
  ImGui::PushID(static_cast<int>(id));
  const bool visible = ImGui::InvisibleButton(
      "##plot", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  (void)visible;
  ImGui::PopID();
  const ImRect frame(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  if (!ImGui::IsItemVisible()) return false;
  g_plot = &p;
  p.flags = flags;
  const char* hash = std::strstr(title, "##");
  p.title = hash ? std::string(title, hash) : std::string(title);
  p.frame = frame;
  p.locked = false;
  p.items = 0;
  p.legend.clear();
  p.readouts.clear();
  p.hovered = ImGui::IsItemHovered() && !any(flags, PlotFlags::NoMouse);
  if (p.hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
    p.x.fitNext = p.y.fitNext = true, p.userView = false;
  p.x.flags = p.y.flags = AxisFlags::None;
  p.x.label.clear();
  p.y.label.clear();
  p.x.fitSeen = p.y.fitSeen = false;
  return true;
}

void setupAxis(Axis axis, const char* label, AxisFlags flags) {
  AxisState& a = axis == Axis::X ? g_plot->x : g_plot->y;
  a.label = label ? label : "";
  a.flags = flags;
}

void setupAxisLimits(Axis axis, double min, double max, Cond cond) {
  PlotState& p = *g_plot;
  if (cond == Cond::Always || !p.initialized) {
    AxisState& a = axis == Axis::X ? p.x : p.y;
    a.min = min, a.max = max;
    a.fitNext = false;
  }
}

void lineG(const char* label, Getter getter, const void* data, int count, const LineStyle& style) {
  PlotState& p = *g_plot;
  const ImU32 color = style.color ? style.color : paletteColor(p.items);
  ++p.items;
  addLegend(label, color, style.pattern);
  p.fitting =
      p.x.fitNext || p.y.fitNext ||
      ((any(p.x.flags, AxisFlags::AutoFit) || any(p.y.flags, AxisFlags::AutoFit)) && !p.userView);
  for (int i = 0; i < count && p.fitting && style.fit; ++i) {
    const Point q = getter(data, i);
    if (!std::isfinite(q.x) || !std::isfinite(q.y)) continue;
    if (p.x.log() && q.x <= 0) continue;
    if (p.y.log() && q.y <= 0) continue;
    p.x.include(q.x);
    p.y.include(q.y);
  }
  lock();
  if (hiddenItem(label) || count <= 0) return;

  // Runs of drawable points become polylines, decimated to pixel columns when dense.
  const bool dense = count > 2 * p.area.GetWidth();
  g_scratch.clear();
  auto flush = [&]() {
    if (g_scratch.size() >= 2) {
      if (dense) {
        g_decimated.clear();
        decimateColumns(g_scratch.data(), static_cast<int>(g_scratch.size()), g_decimated);
        drawPolyline(g_decimated, style, color);
      } else {
        drawPolyline(g_scratch, style, color);
      }
    }
    g_scratch.clear();
  };
  const bool readout = p.hovered && label && label[0] != '#';
  const double mouseX =
      readout ? fromUnit((ImGui::GetIO().MousePos.x - p.area.Min.x) / p.area.GetWidth(), p.x.min,
                         p.x.max, p.x.log())
              : 0.0;
  double bestDist = std::numeric_limits<double>::infinity();
  Point best{0, 0};
  for (int i = 0; i < count; ++i) {
    const Point q = getter(data, i);
    const bool ok = std::isfinite(q.x) && std::isfinite(q.y) && !(p.x.log() && q.x <= 0) &&
                    !(p.y.log() && q.y <= 0);
    if (!ok) {
      flush();
      continue;
    }
    // Clamp far-off values so float pixel coordinates stay sane when zoomed in.
    const float px = std::clamp(pxX(p, q.x), p.area.Min.x - 1e4f, p.area.Max.x + 1e4f);
    const float py = std::clamp(pxY(p, q.y), p.area.Min.y - 1e4f, p.area.Max.y + 1e4f);
    g_scratch.push_back(ImVec2(px, py));
    if (readout && std::abs(q.x - mouseX) < bestDist) bestDist = std::abs(q.x - mouseX), best = q;
  }
  flush();
  if (readout && std::isfinite(bestDist)) p.readouts.push_back({label, color, best.x, best.y});
}

namespace {
template <typename T>
struct Strided {
  const T* xs;
  const T* ys;
  int count, offset, stride;
};
template <typename T>
Point stridedGetter(const void* data, int i) {
  const auto* s = static_cast<const Strided<T>*>(data);
  const int k = (s->offset + i) % s->count;
  const auto* x = reinterpret_cast<const T*>(reinterpret_cast<const char*>(s->xs) +
                                             static_cast<size_t>(k) * s->stride);
  const auto* y = reinterpret_cast<const T*>(reinterpret_cast<const char*>(s->ys) +
                                             static_cast<size_t>(k) * s->stride);
  return {static_cast<double>(*x), static_cast<double>(*y)};
}
}  // namespace

void line(const char* label, const float* xs, const float* ys, int count, int offset, int stride,
          const LineStyle& style) {
  const Strided<float> s{xs, ys, count, offset, stride};
  lineG(label, &stridedGetter<float>, &s, count, style);
}

void line(const char* label, const double* xs, const double* ys, int count, int offset, int stride,
          const LineStyle& style) {
  const Strided<double> s{xs, ys, count, offset, stride};
  lineG(label, &stridedGetter<double>, &s, count, style);
}

void bars(const char* label, const double* xs, const double* ys, int count, double width,
          double base, ImU32 color, bool fit) {
  PlotState& p = *g_plot;
  ++p.items;
  addLegend(label, color, Pattern::Solid);
  for (int i = 0; i < count && fit; ++i) {
    p.x.include(xs[i] - width * 0.5);
    p.x.include(xs[i] + width * 0.5);
    p.y.include(ys[i]);
    if (!p.y.log()) p.y.include(base);  // log bars rise from the bottom of the plot
  }
  lock();
  if (hiddenItem(label)) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int i = 0; i < count; ++i) {
    if (!std::isfinite(ys[i]) || (p.y.log() && ys[i] <= 0)) continue;
    const float x0 = pxX(p, xs[i] - width * 0.5), x1 = pxX(p, xs[i] + width * 0.5);
    const float y0 = std::min(pxY(p, ys[i]), p.area.Max.y);
    const float y1 = p.y.log() ? p.area.Max.y : std::min(pxY(p, base), p.area.Max.y + 1);
    dl->AddRectFilled(ImVec2(x0, std::min(y0, y1)), ImVec2(x1, std::max(y0, y1)), color);
  }
}

void image(ImTextureID texture, double x0, double x1, double y0, double y1, bool fit) {
  PlotState& p = *g_plot;
  ++p.items;
  if (fit) {
    p.x.include(x0), p.x.include(x1);
    p.y.include(y0), p.y.include(y1);
  }
  lock();
  if (!texture) return;
  ImGui::GetWindowDrawList()->AddImage(texture, ImVec2(pxX(p, x0), pxY(p, y1)),
                                       ImVec2(pxX(p, x1), pxY(p, y0)));
}

void shadeX(double x0, double x1, ImU32 color) {
  lock();
  PlotState& p = *g_plot;
  const float a = std::clamp(pxX(p, x0), p.area.Min.x, p.area.Max.x);
  const float b = std::clamp(pxX(p, x1), p.area.Min.x, p.area.Max.x);
  if (b > a)
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(a, p.area.Min.y), ImVec2(b, p.area.Max.y),
                                              color);
}

void histogram(const char* label, const float* counts, int bins, double lo, double hi,
               double heightFraction, ImU32 color) {
  PlotState& p = *g_plot;
  ++p.items;
  addLegend(label, color, Pattern::Solid);
  lock();
  if (hiddenItem(label) || bins <= 0) return;
  float peak = 0;
  for (int i = 0; i < bins; ++i) peak = std::max(peak, counts[i]);
  if (peak <= 0) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double w = (hi - lo) / bins;
  for (int i = 0; i < bins; ++i) {
    if (counts[i] <= 0) continue;
    const float x0 = pxX(p, lo + i * w), x1 = pxX(p, lo + (i + 1) * w);
    const float h = static_cast<float>(counts[i] / peak * heightFraction) * p.area.GetHeight();
    dl->AddRectFilled(ImVec2(x0, p.area.Max.y - h),
                      ImVec2(std::max(x1 - 1.0f, x0 + 1.0f), p.area.Max.y), color);
  }
}

void hline(double y, ImU32 color, float thickness, Pattern pattern) {
  lock();
  PlotState& p = *g_plot;
  if (p.y.log() && y <= 0) return;
  const float py = pxY(p, y);
  drawPolyline({ImVec2(p.area.Min.x, py), ImVec2(p.area.Max.x, py)},
               LineStyle{color, thickness, pattern}, color);
}

void vline(double x, ImU32 color, float thickness, Pattern pattern) {
  lock();
  PlotState& p = *g_plot;
  if (p.x.log() && x <= 0) return;
  const float px = pxX(p, x);
  drawPolyline({ImVec2(px, p.area.Min.y), ImVec2(px, p.area.Max.y)},
               LineStyle{color, thickness, pattern}, color);
}

Pattern runPattern(int n) {
  static constexpr Pattern patterns[] = {Pattern::Solid, Pattern::Dashed, Pattern::Dotted,
                                         Pattern::DashDot};
  return patterns[static_cast<size_t>(n) % 4];
}

void text(double x, double y, const char* str, ImU32 color, ImVec2 offset) {
  lock();
  PlotState& p = *g_plot;
  plotText(ImGui::GetWindowDrawList(), p, ImVec2(pxX(p, x) + offset.x, pxY(p, y) + offset.y), color,
           str);
}

Point axisRange(Axis axis) {
  const AxisState& a = axis == Axis::X ? g_plot->x : g_plot->y;
  return {a.min, a.max};
}

bool isHovered() { return g_plot && g_plot->hovered; }

Point mousePosition() {
  const PlotState& p = *g_plot;
  const ImVec2 m = ImGui::GetIO().MousePos;
  return {fromUnit((m.x - p.area.Min.x) / p.area.GetWidth(), p.x.min, p.x.max, p.x.log()),
          fromUnit((p.area.Max.y - m.y) / p.area.GetHeight(), p.y.min, p.y.max, p.y.log())};
}

void end() {
  lock();
  PlotState& p = *g_plot;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PopClipRect();
  dl->AddRect(p.area.Min, p.area.Max, withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 60));
  const ImGuiIO& io = ImGui::GetIO();
  const float th = ImGui::GetTextLineHeight();

  // Legend, top-right inside the area; a click hides or shows an item.
  if (!p.legend.empty() && !any(p.flags, PlotFlags::NoLegend)) {
    float w = 0;
    for (const auto& e : p.legend) w = std::max(w, ImGui::CalcTextSize(e.label.c_str()).x);
    const float sw = th * 1.6f, pad = 4.0f;
    const ImVec2 box(w + sw + pad * 3, p.legend.size() * th + pad * 2);
    const ImVec2 o(p.area.Max.x - box.x - 6, p.area.Min.y + 6);
    dl->AddRectFilled(o, ImVec2(o.x + box.x, o.y + box.y),
                      withAlpha(ImGui::GetColorU32(ImGuiCol_WindowBg), 215), 3.0f);
    for (size_t i = 0; i < p.legend.size(); ++i) {
      const auto& e = p.legend[i];
      const float y = o.y + pad + i * th;
      const bool hidden = p.hidden.count(e.label) > 0;
      const ImU32 c = hidden ? withAlpha(e.color, 70) : e.color;
      const ImVec2 a(o.x + pad, y + th * 0.5f), b(o.x + pad + sw, y + th * 0.5f);
      drawPolyline({a, b}, LineStyle{c, 3.0f, e.pattern}, c);
      plotText(
          dl, p, ImVec2(o.x + pad * 2 + sw, y),
          hidden ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : ImGui::GetColorU32(ImGuiCol_Text),
          e.label.c_str());
      const ImRect row(ImVec2(o.x, y), ImVec2(o.x + box.x, y + th));
      if (p.hovered && row.Contains(io.MousePos) && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        if (hidden)
          p.hidden.erase(e.label);
        else
          p.hidden.insert(e.label);
      }
    }
  }

  // Zoom (wheel) around the cursor and pan (left drag), in axis units so log axes behave.
  if (p.hovered && p.area.Contains(io.MousePos)) {
    const double tx = (io.MousePos.x - p.area.Min.x) / p.area.GetWidth();
    const double ty = (p.area.Max.y - io.MousePos.y) / p.area.GetHeight();
    if (io.MouseWheel != 0.0f) {
      const double f = std::pow(0.85, io.MouseWheel);
      auto zoom = [&](AxisState& a, double t) {
        const double lo = fromUnit(t - t * f, a.min, a.max, a.log());
        const double hi = fromUnit(t + (1 - t) * f, a.min, a.max, a.log());
        if (std::isfinite(lo) && std::isfinite(hi) && hi > lo) a.min = lo, a.max = hi;
      };
      zoom(p.x, tx);
      zoom(p.y, ty);
      p.userView = true;
    }
    // Crosshair and readout.
    dl->AddLine(ImVec2(io.MousePos.x, p.area.Min.y), ImVec2(io.MousePos.x, p.area.Max.y),
                withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 90));
    dl->AddLine(ImVec2(p.area.Min.x, io.MousePos.y), ImVec2(p.area.Max.x, io.MousePos.y),
                withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 90));
    const Point m = mousePosition();
    ImGui::BeginTooltip();
    ImGui::Text("x %s   y %s", formatValue(m.x).c_str(), formatValue(m.y).c_str());
    for (const auto& r : p.readouts) {
      ImGui::ColorButton("##c", ImGui::ColorConvertU32ToFloat4(r.color),
                         ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoDragDrop,
                         ImVec2(th, th));
      ImGui::SameLine();
      ImGui::Text(ui::tr("plot.readout"), r.label.c_str(), formatValue(r.y).c_str(),
                  formatValue(r.x).c_str());
    }
    ImGui::EndTooltip();
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f) &&
      !any(p.flags, PlotFlags::NoMouse)) {
    const ImVec2 d = io.MouseDelta;
    auto pan = [&](AxisState& a, double dt) {
      const double lo = fromUnit(dt, a.min, a.max, a.log()),
                   hi = fromUnit(1 + dt, a.min, a.max, a.log());
      if (std::isfinite(lo) && std::isfinite(hi) && hi > lo) a.min = lo, a.max = hi;
    };
    pan(p.x, -d.x / p.area.GetWidth());
    pan(p.y, d.y / p.area.GetHeight());
    if (d.x != 0 || d.y != 0) p.userView = true;
  }

  // Fit for the next frame from what the items showed in this one.
  const bool autoX = any(p.x.flags, AxisFlags::AutoFit) && !p.userView;
  const bool autoY = any(p.y.flags, AxisFlags::AutoFit) && !p.userView;
  if (p.x.fitNext || autoX) applyFit(p.x);
  if (p.y.fitNext || autoY) applyFit(p.y);
  if (p.x.fitSeen) p.x.fitNext = false;
  if (p.y.fitSeen) p.y.fitNext = false;
  p.initialized = true;
  g_plot = nullptr;
}

void resetViews() {
  for (auto& [id, p] : g_plots) {
    p.userView = false;
    p.x.fitNext = p.y.fitNext = true;
    p.hidden.clear();
  }
}

}  // namespace gradscope::plot
