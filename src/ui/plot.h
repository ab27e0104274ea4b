// gradscope's plot module, shaped like ImPlot's API (ImPlot is not packaged here) and drawn
// on Dear ImGui's draw list:
//
//   if (plot::begin("Gradient flow")) {
//     plot::setupAxis(plot::Axis::Y, "‖dL/dW‖", plot::AxisFlags::Log10);
//     plot::line("layer 1", xs, ys, count, offset, stride);
//     plot::end();
//   }
//
// Data is pointer + count + offset + stride, so ring buffers plot without copies.
// Mouse: wheel zooms around the cursor, left-drag pans, double-click fits the data.
//
// [SECTION] Pure helpers (ticks, axis mapping, colormaps) — unit-tested without a window
// [SECTION] Plotting API
#pragma once

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

namespace gradscope::plot {

//-----------------------------------------------------------------------------
// [SECTION] Pure helpers
//-----------------------------------------------------------------------------

struct Point {
  double x, y;
};

struct Tick {
  double value;
  bool major;         // labelled
  std::string label;  // empty for minor ticks
};

// "Nice" linear ticks (1, 2, 5 × 10^k steps) covering [lo, hi], about `target` of them.
std::vector<Tick> linearTicks(double lo, double hi, int target);
// Decade ticks 10^k on [lo, hi] (lo > 0), labelled "1e-3"; minor ticks 2..9·10^k when few
// decades are shown; every n-th decade labelled when there are many.
std::vector<Tick> logTicks(double lo, double hi, int target);
// Label of a linear tick for a given step: as few digits as the step needs.
std::string formatTick(double value, double step);
// A value for a readout: 4 significant digits, scientific notation when tiny or huge.
std::string formatValue(double value);

// Maps v in [lo, hi] to [0, 1]: linearly, or linearly in log10 (v, lo, hi > 0).
double toUnit(double v, double lo, double hi, bool log10);
double fromUnit(double t, double lo, double hi, bool log10);

// Pixel-column decimation for drawing a long polyline whose x never decreases: each run of
// points in the same pixel column collapses to its lowest and highest point (in order), so
// the drawn shape keeps every extreme with at most two points per column. Appends to `out`.
void decimateColumns(const ImVec2* points, int count, std::vector<ImVec2>& out);

// TensorBoard-style smoothing: a de-biased exponential moving average with `weight` in [0, 1)
// (0: none), of log10(value) when `logDomain` (a geometric mean, right for log axes).
// Non-finite (and, in the log domain, non-positive) values pass through untouched.
void smoothEma(const float* values, int count, double weight, bool logDomain,
               std::vector<float>& out);

// The same smoothing for drawing at a given width: with more than one point per pixel, each
// group of k points becomes its mean (geometric when logDomain) before the EMA, so the cost
// of drawing follows the plot's width, not the series' length. Fills outX/outY.
void smoothForDisplay(const float* xs, const float* ys, int count, double weight, bool logDomain,
                      float pixels, std::vector<float>& outX, std::vector<float>& outY);

enum class Colormap { Viridis, Plasma, RedBlue };
// t in [0, 1] → RGBA colour (alpha 255).
ImU32 colormap(Colormap map, double t);

//-----------------------------------------------------------------------------
// [SECTION] Plotting API
//-----------------------------------------------------------------------------

enum class Axis { X, Y };

enum class AxisFlags : unsigned {
  None = 0,
  Log10 = 1u << 0,    // logarithmic; values ≤ 0 are not drawn
  AutoFit = 1u << 1,  // fit to the data every frame
  NoTickLabels = 1u << 2,
};
constexpr AxisFlags operator|(AxisFlags a, AxisFlags b) {
  return static_cast<AxisFlags>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}
constexpr bool any(AxisFlags a, AxisFlags b) {
  return (static_cast<unsigned>(a) & static_cast<unsigned>(b)) != 0;
}

enum class Cond { Once, Always };

enum class PlotFlags : unsigned {
  None = 0,
  NoLegend = 1u << 0,
  NoMouse = 1u << 1,  // no zoom, pan or crosshair
};
constexpr bool any(PlotFlags a, PlotFlags b) {
  return (static_cast<unsigned>(a) & static_cast<unsigned>(b)) != 0;
}

enum class Pattern : std::uint8_t { Solid, Dashed, Dotted, DashDot };

struct LineStyle {
  ImU32 color = 0;  // 0: next colour of the default palette
  float thickness = 2.0f;
  Pattern pattern = Pattern::Solid;
  bool fit = true;  // false: drawn, but the axes' auto-fit ignores it (a diverged run's values)
};

// The pattern that tells run `n` of a comparison apart (solid, dashed, dotted, dash-dot).
Pattern runPattern(int n);

// Starts a plot filling `size` (−1 or 0 = all available width / a default height). Returns
// false when it is clipped away; then do not call end().
bool begin(const char* title, ImVec2 size = ImVec2(-1, 0), PlotFlags flags = PlotFlags::None);
void setupAxis(Axis axis, const char* label, AxisFlags flags = AxisFlags::None);
void setupAxisLimits(Axis axis, double min, double max, Cond cond = Cond::Once);
void end();

// A value getter for item data: returns point `index` of `data`.
using Getter = Point (*)(const void* data, int index);

void lineG(const char* label, Getter getter, const void* data, int count,
           const LineStyle& style = {});
// xs[i], ys[i] for i = offset .. offset + count − 1 (wrapping around `count`), `stride` bytes
// apart.
void line(const char* label, const float* xs, const float* ys, int count, int offset = 0,
          int stride = sizeof(float), const LineStyle& style = {});
void line(const char* label, const double* xs, const double* ys, int count, int offset = 0,
          int stride = sizeof(double), const LineStyle& style = {});
// Vertical bars centred on xs with the given width (data units), from `base` up to ys (on a
// log y axis, from the bottom of the plot).
void bars(const char* label, const double* xs, const double* ys, int count, double width,
          double base, ImU32 color, bool fit = true);
// A texture stretched over the data rectangle [x0, x1] × [y0, y1] (uv (0,0) at x0, y1: the
// texture's first row on top), e.g. a heatmap computed on the CPU.
void image(ImTextureID texture, double x0, double x1, double y0, double y1, bool fit = true);
// Shades x ∈ [x0, x1] across the plot's height (e.g. saturated regions).
void shadeX(double x0, double x1, ImU32 color);
// A histogram of pre-computed bins over [lo, hi], drawn as filled columns scaled so the tallest
// reaches `heightFraction` of the y range, from its bottom.
void histogram(const char* label, const float* counts, int bins, double lo, double hi,
               double heightFraction, ImU32 color);
void hline(double y, ImU32 color, float thickness = 1.0f, Pattern pattern = Pattern::Solid);
void vline(double x, ImU32 color, float thickness = 1.0f, Pattern pattern = Pattern::Solid);
// Text at a data position (pixel offset added).
void text(double x, double y, const char* text, ImU32 color, ImVec2 pixelOffset = ImVec2(0, 0));
// The palette colour a plot would give its n-th item.
ImU32 paletteColor(int n);

// Forgets every plot's zoom, pan and hidden legend entries: each fits its data again.
void resetViews();

// Inside begin/end: the axis' current range {min, max} (what this frame draws).
Point axisRange(Axis axis);
// Inside begin/end: whether the mouse is over the plot area and where, in data units.
bool isHovered();
Point mousePosition();

}  // namespace gradscope::plot
