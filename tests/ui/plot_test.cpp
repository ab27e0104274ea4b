// The plot module's pure parts: ticks, labels, axis mapping, decimation, colormaps.
#include "ui/plot.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gradscope::plot {
namespace {

TEST(Ticks, LinearTicksAreNiceAndCoverTheRange) {
  auto t = linearTicks(-8, 8, 8);
  ASSERT_FALSE(t.empty());
  EXPECT_DOUBLE_EQ(t.front().value, -8);
  EXPECT_DOUBLE_EQ(t.back().value, 8);
  EXPECT_EQ(t.size(), 9u);  // step 2
  EXPECT_EQ(t[4].label, "0");
  auto small = linearTicks(0.0, 0.25, 5);
  EXPECT_DOUBLE_EQ(small[1].value, 0.05);
  EXPECT_EQ(small[1].label, "0.05");
  auto odd = linearTicks(0.13, 0.91, 4);
  for (const auto& k : odd) {
    EXPECT_GE(k.value, 0.13);
    EXPECT_LE(k.value, 0.91);
  }
  EXPECT_EQ(odd.front().label, "0.2");
  EXPECT_TRUE(linearTicks(1, 1, 5).empty());
  EXPECT_TRUE(linearTicks(0, std::nan(""), 5).empty());
}

TEST(Ticks, LogTicksAreDecades) {
  auto t = logTicks(1e-7, 1e-1, 10);
  std::vector<double> majors;
  for (const auto& k : t)
    if (k.major) majors.push_back(k.value);
  ASSERT_EQ(majors.size(), 7u);
  EXPECT_DOUBLE_EQ(majors.front(), 1e-7);
  EXPECT_NEAR(majors.back(), 1e-1, 1e-17);
  EXPECT_EQ(t.front().label, "1e-7");
  // Few decades: minor ticks at 2..9 × 10^k.
  auto few = logTicks(1, 100, 10);
  int minors = 0;
  for (const auto& k : few) minors += !k.major;
  EXPECT_EQ(minors, 16);
  // Many decades: labels thinned to about the target count.
  auto many = logTicks(1e-30, 1, 5);
  int labelled = 0;
  for (const auto& k : many) labelled += k.major;
  EXPECT_LE(labelled, 6);
  EXPECT_GE(labelled, 4);
  EXPECT_TRUE(logTicks(0, 1, 5).empty());
  EXPECT_TRUE(logTicks(-1, 1, 5).empty());
}

TEST(Ticks, Formatting) {
  EXPECT_EQ(formatTick(0.30000000000000004, 0.1), "0.3");
  EXPECT_EQ(formatTick(-1e-17, 0.1), "0.0");
  EXPECT_EQ(formatTick(2000, 500), "2000");
  EXPECT_EQ(formatTick(2e7, 5e6), "2e+07");
  EXPECT_EQ(formatValue(0.25), "0.25");
  EXPECT_EQ(formatValue(9.5367431640625e-07), "9.537e-07");
  EXPECT_EQ(formatValue(0), "0");
  EXPECT_EQ(formatValue(INFINITY), "inf");
}

TEST(Mapping, LinearAndLogRoundTrip) {
  EXPECT_DOUBLE_EQ(toUnit(5, 0, 10, false), 0.5);
  EXPECT_NEAR(toUnit(1e-3, 1e-6, 1, true), 0.5, 1e-12);
  for (double t : {0.0, 0.1, 0.77, 1.0}) {
    EXPECT_NEAR(toUnit(fromUnit(t, -3, 7, false), -3, 7, false), t, 1e-12);
    EXPECT_NEAR(toUnit(fromUnit(t, 1e-9, 1e2, true), 1e-9, 1e2, true), t, 1e-12);
  }
}

TEST(Decimation, KeepsEveryColumnsExtremesInOrder) {
  std::vector<ImVec2> in;
  for (int i = 0; i < 1000; ++i) in.push_back(ImVec2(i * 0.01f, std::sin(i * 0.37f) * 50.0f));
  in[503].y = 900.0f;  // a spike inside column 5
  in[777].y = -900.0f;
  std::vector<ImVec2> out;
  decimateColumns(in.data(), static_cast<int>(in.size()), out);
  EXPECT_LE(out.size(), 20u);  // 10 columns × at most 2 points
  EXPECT_GE(out.size(), 10u);
  bool spike = false, dip = false;
  for (size_t i = 1; i < out.size(); ++i) EXPECT_GE(out[i].x, out[i - 1].x);
  for (const auto& p : out) spike |= p.y == 900.0f, dip |= p.y == -900.0f;
  EXPECT_TRUE(spike);
  EXPECT_TRUE(dip);
  EXPECT_LT(out.front().x, 1.0f);  // the first column is there
  EXPECT_GE(out.back().x, 9.0f);   // and the last
  // Sparse data passes through unchanged.
  std::vector<ImVec2> sparse{{0, 1}, {1.5f, 2}, {3, 0}}, o2;
  decimateColumns(sparse.data(), 3, o2);
  ASSERT_EQ(o2.size(), 3u);
}

TEST(Smoothing, DebiasedEmaInLinearAndLogDomains) {
  const float flat[] = {2, 2, 2, 2};
  std::vector<float> out;
  smoothEma(flat, 4, 0.9, false, out);
  for (float v : out) EXPECT_FLOAT_EQ(v, 2.0f);  // no start-up bias toward 0
  const float steps[] = {1, 3};
  smoothEma(steps, 2, 0.5, false, out);
  EXPECT_FLOAT_EQ(out[0], 1.0f);
  EXPECT_FLOAT_EQ(out[1], (0.25f * 1 + 0.5f * 3) / 0.75f);  // (w(1−w)·1 + (1−w)·3) / (1 − w²)
  const float decades[] = {1e-6f, 1e-2f};
  smoothEma(decades, 2, 0.5, true, out);
  EXPECT_NEAR(std::log10(out[1]), (0.25 * -6 + 0.5 * -2) / 0.75, 1e-5);  // geometric
  const float gaps[] = {1.0f, NAN, 0.0f, 1.0f};
  smoothEma(gaps, 4, 0.9, true, out);
  EXPECT_TRUE(std::isnan(out[1]));
  EXPECT_EQ(out[2], 0.0f);
  EXPECT_FLOAT_EQ(out[3], 1.0f);
  smoothEma(steps, 2, 0.0, false, out);
  EXPECT_EQ(out[1], 3.0f);  // weight 0: the data itself
}

TEST(Smoothing, ForDisplayGroupsToThePlotWidth) {
  std::vector<float> xs(1000), ys(1000), ox, oy;
  for (int i = 0; i < 1000; ++i) xs[i] = float(i), ys[i] = i % 2 ? 1e-2f : 1e-6f;  // a min/max band
  smoothForDisplay(xs.data(), ys.data(), 1000, 0.0, true, 100.0f, ox, oy);
  ASSERT_EQ(ox.size(), 100u);
  EXPECT_EQ(ox.back(), 999.0f);
  for (float v : oy) EXPECT_NEAR(std::log10(v), -4.0, 1e-4);  // geometric mean of the pair
  smoothForDisplay(xs.data(), ys.data(), 50, 0.0, false, 100.0f, ox, oy);
  EXPECT_EQ(ox.size(), 50u);  // sparse data: every point
}

TEST(Colormap, EndsAndMonotoneLuminance) {
  EXPECT_EQ(colormap(Colormap::Viridis, 0.0), IM_COL32(68, 1, 84, 255));
  EXPECT_EQ(colormap(Colormap::Viridis, 1.0), IM_COL32(253, 231, 37, 255));
  EXPECT_EQ(colormap(Colormap::Viridis, -5.0), colormap(Colormap::Viridis, 0.0));
  EXPECT_EQ(colormap(Colormap::Viridis, std::nan("")), colormap(Colormap::Viridis, 0.0));
  EXPECT_EQ(colormap(Colormap::Viridis, 7.0), colormap(Colormap::Viridis, 1.0));
  double last = -1;
  for (int i = 0; i <= 20; ++i) {
    const ImU32 c = colormap(Colormap::Viridis, i / 20.0);
    const double lum =
        0.2126 * (c & 0xFF) + 0.7152 * ((c >> 8) & 0xFF) + 0.0722 * ((c >> 16) & 0xFF);
    EXPECT_GT(lum, last);  // a sequential map: layer order reads as brightness order
    last = lum;
  }
}

}  // namespace
}  // namespace gradscope::plot

namespace gradscope::plot {
namespace {

// Runs `frames` frames of one plot in a window-less ImGui context and returns the y range the
// last frame drew with.
template <typename Items>
Point yRangeAfter(int frames, Items items) {
  ImGuiContext* ctx = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(800, 600);
  io.DeltaTime = 1.0f / 60;
  unsigned char* pixels;
  int w, h;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  Point range{0, 0};
  for (int f = 0; f < frames; ++f) {
    ImGui::NewFrame();
    ImGui::SetNextWindowSize(ImVec2(600, 400));
    ImGui::Begin("w");
    if (begin("p", ImVec2(500, 300))) {
      setupAxis(Axis::X, "x", AxisFlags::AutoFit);
      setupAxis(Axis::Y, "y", AxisFlags::Log10 | AxisFlags::AutoFit);
      range = axisRange(Axis::Y);
      items();
      end();
    }
    ImGui::End();
    ImGui::Render();
  }
  ImGui::DestroyContext(ctx);
  return range;
}

TEST(PlotFit, ItemsWithFitOffAreDrawnButDoNotMoveTheAxes) {
  static const float xs[] = {0, 1, 2}, small[] = {1, 2, 3}, huge[] = {1e12f, 1e12f, 1e12f};
  const Point both = yRangeAfter(3, [] {
    line("a", xs, small, 3);
    line("b", xs, huge, 3);
  });
  EXPECT_GT(both.y, 1e11);  // a fitted huge line stretches the axis
  const Point one = yRangeAfter(3, [] {
    line("a", xs, small, 3);
    LineStyle stale;
    stale.fit = false;
    line("b", xs, huge, 3, 0, sizeof(float), stale);
    static const double bx[] = {1}, by[] = {1e15};
    bars("c", bx, by, 1, 0.5, 0, IM_COL32_WHITE, false);
  });
  EXPECT_LT(one.y, 10.0);  // fit=false: only the small line sets it
  EXPECT_GT(one.y, 3.0);
  EXPECT_LT(one.x, 1.0);
}

}  // namespace
}  // namespace gradscope::plot
