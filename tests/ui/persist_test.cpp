// UI settings round trip, tolerance of damaged files, recent files.
#include "ui/persist.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace gradscope::ui {
namespace {

TEST(Persist, SettingsRoundTrip) {
  UiState a;
  a.visible[2] = false;
  a.smoothing = 0.5f;
  a.hotSwap = false;
  a.lossLogY = false;
  a.boundaryShowTest = true;
  a.gradientMeasure = GradientMeasure::MeanAbsDz;
  a.pictureFolder = "/tmp/shots";
  a.recentFiles = {"/a.json", "/b.json"};
  UiState b;
  uiSettingsFromJson(uiSettingsToJson(a), b);
  EXPECT_EQ(b.visible, a.visible);
  EXPECT_EQ(b.smoothing, 0.5f);
  EXPECT_FALSE(b.hotSwap);
  EXPECT_FALSE(b.lossLogY);
  EXPECT_TRUE(b.boundaryShowTest);
  EXPECT_EQ(b.gradientMeasure, GradientMeasure::MeanAbsDz);
  EXPECT_EQ(b.pictureFolder, "/tmp/shots");
  EXPECT_EQ(b.recentFiles, a.recentFiles);
}

TEST(Persist, DamagedSettingsLoseOnlyThemselves) {
  UiState s;
  uiSettingsFromJson("{not json", s);
  EXPECT_EQ(s.smoothing, UiState{}.smoothing);
  uiSettingsFromJson(
      R"({"smoothing": "high", "hot_swap": false, "gradient_measure": 9, "panels": {"loss": 3}})",
      s);
  EXPECT_EQ(s.smoothing, UiState{}.smoothing);
  EXPECT_FALSE(s.hotSwap);
  EXPECT_EQ(s.gradientMeasure, GradientMeasure::WeightGradNorm);
  EXPECT_TRUE(s.visible[static_cast<size_t>(Panel::Loss)]);
  uiSettingsFromJson(R"({"smoothing": 7})", s);
  EXPECT_LE(s.smoothing, 0.99f);
}

TEST(Persist, RecentFilesNewestFirstWithoutDuplicates) {
  UiState s;
  for (int i = 0; i < 10; ++i) addRecentFile(s, "/f" + std::to_string(i));
  addRecentFile(s, "/f5");
  ASSERT_EQ(s.recentFiles.size(), 8u);
  EXPECT_EQ(s.recentFiles[0], "/f5");
  EXPECT_EQ(s.recentFiles[1], "/f9");
  EXPECT_EQ(std::count(s.recentFiles.begin(), s.recentFiles.end(), "/f5"), 1);
}

TEST(Persist, ConfigDirFollowsXdg) {
  setenv("XDG_CONFIG_HOME", "/tmp/gradscope-xdg-test", 1);
  EXPECT_EQ(configDir(), std::filesystem::path("/tmp/gradscope-xdg-test/gradscope"));
  setenv("XDG_CONFIG_HOME", "relative/not/allowed", 1);  // the spec wants absolute paths
  setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(configDir(), std::filesystem::path("/home/someone/.config/gradscope"));
}

}  // namespace
}  // namespace gradscope::ui
