// Shared panel helpers: number formatting and the layer/run colours.
#include <gtest/gtest.h>

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
