// Shared panel helpers: number formatting and the layer/run colours.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "ui/panels.h"

namespace gradscope::ui {
namespace {

TEST(PanelCommon, GroupsThousands) {
  EXPECT_EQ(groupThousands(0), "0");
  EXPECT_EQ(groupThousands(999), "999");
  EXPECT_EQ(groupThousands(1000), "1,000");
  EXPECT_EQ(groupThousands(12345678), "12,345,678");
  EXPECT_EQ(groupThousands(-45000), "-45,000");
}

TEST(PanelCommon, LayerColoursGetBrighterTowardTheOutput) {
  auto luminance = [](ImU32 c) {
    return 0.2126 * (c & 0xFF) + 0.7152 * ((c >> 8) & 0xFF) + 0.0722 * ((c >> 16) & 0xFF);
  };
  for (int l = 1; l < 10; ++l)
    EXPECT_GT(luminance(layerColor(l, 10)), luminance(layerColor(l - 1, 10)));
  EXPECT_EQ(layerColor(0, 1), layerColor(5, 1));  // a single layer: no division by zero
  EXPECT_NE(runColor(0), runColor(1));
  EXPECT_EQ(runColor(4), runColor(0));
}

}  // namespace
}  // namespace gradscope::ui

namespace gradscope::ui {
namespace {

float charWidth(const std::string& s) { return static_cast<float>(s.size()); }

TEST(PanelCommon, WrapsAtSpacesOnly) {
  const auto lines = wrapLines("the max is 0.25 here\nnext", 12, charWidth);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "the max is");
  EXPECT_EQ(lines[1], "0.25 here");  // "0.25" is never split
  EXPECT_EQ(lines[2], "next");
  // A word longer than the width stands alone on its line.
  const auto longWord = wrapLines("a 0.0000000000001 b", 5, charWidth);
  EXPECT_EQ(longWord.size(), 3u);
  EXPECT_EQ(wrapLines("", 10, charWidth).size(), 1u);
}

}  // namespace
}  // namespace gradscope::ui

// The number keys change the selected run of the session being edited. Right after a preset
// with fewer runs opens, the selection still follows the trainer's older snapshot (4 runs
// here) while the edit holds the new preset's 2: the run changed must be one of those 2, not
// memory past the end of the edit's runs.
TEST(UiState, TheSelectedEditRunStaysInsideTheEditsRuns) {
  gradscope::ui::UiState s;
  s.edit.runs.resize(2);
  s.selectedRun = 3;
  ASSERT_NE(s.selectedEditRun(), nullptr);
  EXPECT_EQ(s.selectedEditRun(), &s.edit.runs[1]);
  s.selectedRun = 0;
  EXPECT_EQ(s.selectedEditRun(), &s.edit.runs[0]);
  s.selectedRun = -1;
  EXPECT_EQ(s.selectedEditRun(), &s.edit.runs[0]);
  s.edit.runs.clear();
  EXPECT_EQ(s.selectedEditRun(), nullptr);
}

namespace gradscope::ui {
namespace {

SeriesData makeSeries(const std::vector<float>& xs, const std::vector<float>& ys) {
  SeriesData s;
  for (size_t i = 0; i < xs.size(); i += kSeriesChunk) {
    auto c = std::make_shared<SeriesChunk>();
    const size_t end = std::min(xs.size(), i + kSeriesChunk);
    c->x.assign(xs.begin() + static_cast<long>(i), xs.begin() + static_cast<long>(end));
    c->y.assign(ys.begin() + static_cast<long>(i), ys.begin() + static_cast<long>(end));
    s.chunks.push_back(c);
  }
  s.count = static_cast<int>(xs.size());
  return s;
}

TEST(PanelCommon, BinsASeriesToColumnsAcrossChunks) {
  // 1000 points (four chunks), step i, value i: each of 10 bins over [0, 1000) holds 100
  // consecutive steps, whose mean is the bin's middle.
  std::vector<float> xs, ys;
  for (int i = 0; i < 1000; ++i) xs.push_back(static_cast<float>(i)), ys.push_back(i);
  std::vector<float> out;
  binSeries(makeSeries(xs, ys), 0, 1000, 10, out);
  ASSERT_EQ(out.size(), 10u);
  for (int c = 0; c < 10; ++c) EXPECT_FLOAT_EQ(out[static_cast<size_t>(c)], c * 100 + 49.5f);
}

TEST(PanelCommon, BinningHoldsBetweenPointsAndLeavesTheOutsideEmpty) {
  // Points at steps 20 and 50 over [0, 100] in 10 bins: bins 2 and 5 hold them, 3–4 repeat
  // bin 2 (the value the series held there), the rest are outside the series: NaN.
  // A non-finite value is skipped.
  std::vector<float> out;
  binSeries(makeSeries({20, 30, 50}, {1.0f, NAN, 4.0f}), 0, 100, 10, out);
  ASSERT_EQ(out.size(), 10u);
  for (int c : {0, 1, 6, 7, 8, 9}) EXPECT_TRUE(std::isnan(out[static_cast<size_t>(c)])) << c;
  EXPECT_EQ(out[2], 1.0f);
  EXPECT_EQ(out[3], 1.0f);
  EXPECT_EQ(out[4], 1.0f);
  EXPECT_EQ(out[5], 4.0f);
  // The last step lands in the last bin, not past it; an empty series gives NaN everywhere.
  binSeries(makeSeries({0, 100}, {2, 3}), 0, 100, 4, out);
  EXPECT_EQ(out[0], 2.0f);
  EXPECT_EQ(out[3], 3.0f);
  binSeries(SeriesData{}, 0, 1, 3, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(std::isnan(out[1]));
}

TEST(PanelCommon, GroupsCellsToAMinimumSize) {
  EXPECT_EQ(groupSize(10, 300, 3), 1);   // 30 px each
  EXPECT_EQ(groupSize(64, 150, 3), 2);   // 50 cells of 3 px → pairs
  EXPECT_EQ(groupSize(256, 100, 1), 3);  // 100 rows for 256 units
  EXPECT_EQ(groupSize(256, 0, 1), 1);    // nothing to fit into: no division by zero
  for (int count : {1, 7, 64, 256})
    for (float px : {5.0f, 37.0f, 120.0f, 600.0f}) {
      const int k = groupSize(count, px, 3);
      const int cells = (count + k - 1) / k;
      EXPECT_GE(px / cells, 3.0f - 1e-4f) << count << " in " << px;  // never too small
      if (k > 1) {
        EXPECT_LT(px / ((count + k - 2) / (k - 1)), 3.0f);  // and no coarser than needed
      }
    }
}

TEST(PanelCommon, LabelStrideKeepsLabelsApart) {
  EXPECT_EQ(labelStride(30, 10, 4), 1);
  EXPECT_EQ(labelStride(6, 10, 4), 3);  // "3!9!8.8!": 64 columns of 6 px, labels every 3rd
  EXPECT_EQ(labelStride(7, 10, 4), 2);
  EXPECT_EQ(labelStride(0, 10, 4), 1);
  for (float slot : {1.0f, 2.5f, 6.0f, 13.0f})
    for (float w : {7.0f, 20.0f}) {
      const int k = labelStride(slot, w, 3);
      EXPECT_GE(k * slot, w + 3 - 1e-3f);  // neighbours' labels never overlap
      if (k > 1) {
        EXPECT_LT((k - 1) * slot, w + 3);
      }
    }
}

TEST(PanelCommon, StaleColoursAreGreyer) {
  const ImU32 c = runColor(0), g = staleColor(c);
  const int r = c & 0xFF, b = (c >> 16) & 0xFF, gr = g & 0xFF, gb = (g >> 16) & 0xFF;
  EXPECT_LT(std::abs(gr - gb), std::abs(r - b));                      // less saturated
  EXPECT_LT(gr + ((g >> 8) & 0xFF) + gb, r + ((c >> 8) & 0xFF) + b);  // and darker
  EXPECT_EQ(g >> 24, c >> 24);
}

}  // namespace
}  // namespace gradscope::ui
