// The image views' pure part: tile layout, the diverging scale, per-tile weight scaling, grey
// data images, and the grid shape that fits a panel.
#include "ui/image_tiles.h"

#include <gtest/gtest.h>

namespace gradscope::ui {
namespace {

std::array<std::uint8_t, 3> pixel(const TileAtlas& a, int x, int y) {
  const std::uint8_t* p = &a.rgba[(static_cast<size_t>(y) * a.width + x) * 4];
  EXPECT_TRUE(p[3] == 255 || (p[0] == 0 && p[1] == 0 && p[2] == 0));
  return {p[0], p[1], p[2]};
}

TEST(ImageTiles, DivergingScaleEndsAndMiddle) {
  EXPECT_EQ(divergingColor(-1.0f), (std::array<std::uint8_t, 3>{33, 102, 172}));
  EXPECT_EQ(divergingColor(0.0f), (std::array<std::uint8_t, 3>{236, 236, 236}));
  EXPECT_EQ(divergingColor(1.0f), (std::array<std::uint8_t, 3>{178, 24, 43}));
  EXPECT_EQ(divergingColor(7.0f), divergingColor(1.0f));  // clamped
  EXPECT_EQ(divergingColor(std::nanf("")), divergingColor(0.0f));
  const auto half = divergingColor(0.5f);
  EXPECT_EQ(half[0], 207);  // halfway from 236 to 178
}

TEST(ImageTiles, WeightTilesScaleEachUnitToItsOwnLargestWeight) {
  // Three units of 2×2 pixels: large, small and all-zero weights.
  Eigen::MatrixXf W(3, 4);
  W << 4, -4, 2, 0,  //
      0.01f, -0.02f, 0, 0.02f, 0, 0, 0, 0;
  TileAtlas a;
  std::vector<float> scale;
  weightTiles(W, 2, 2, 2, a, scale);
  EXPECT_EQ(a.columns, 2);
  EXPECT_EQ(a.rows, 2);
  EXPECT_EQ(a.width, 5);  // two tiles and a 1-pixel gap
  EXPECT_EQ(a.height, 5);
  EXPECT_EQ(scale, (std::vector<float>{4, 0.02f, 0}));
  EXPECT_EQ(pixel(a, 0, 0), divergingColor(1));   // unit 1, pixel (0, 0): +4 of 4
  EXPECT_EQ(pixel(a, 1, 0), divergingColor(-1));  // pixel (1, 0): −4
  EXPECT_EQ(pixel(a, 0, 1), divergingColor(0.5f));
  EXPECT_EQ(pixel(a, 4, 0), divergingColor(-1));  // unit 2, pixel (1, 0): −0.02 of 0.02
  EXPECT_EQ(pixel(a, 4, 1), divergingColor(1));
  EXPECT_EQ(pixel(a, 0, 3), divergingColor(0));  // unit 3: all zero, the middle colour
  EXPECT_EQ(pixel(a, 2, 0), (std::array<std::uint8_t, 3>{0, 0, 0}));  // the gap
  const auto uv = a.uv(1);
  EXPECT_FLOAT_EQ(uv[0], 3.0f / 5.0f);
  EXPECT_FLOAT_EQ(uv[2], 1.0f);
  EXPECT_FLOAT_EQ(uv[1], 0.0f);
  EXPECT_FLOAT_EQ(uv[3], 2.0f / 5.0f);
}

TEST(ImageTiles, DataImagesAreGrey) {
  Eigen::MatrixXf X(4, 3);
  X << 0, 1, 0.5f, 1, 0, 2, 0, 0, -1, 1, 0, 0;
  TileAtlas a;
  imageTiles(X, 2, 2, 2, 8, a);
  EXPECT_EQ(a.columns, 2);  // no more columns than images
  EXPECT_EQ(a.rows, 1);
  EXPECT_EQ(pixel(a, 0, 0), (std::array<std::uint8_t, 3>{0, 0, 0}));
  EXPECT_EQ(pixel(a, 1, 0), (std::array<std::uint8_t, 3>{255, 255, 255}));
  EXPECT_EQ(pixel(a, 3, 0), (std::array<std::uint8_t, 3>{255, 255, 255}));  // image 2, x0
  EXPECT_EQ(pixel(a, 4, 0), (std::array<std::uint8_t, 3>{0, 0, 0}));
}

TEST(ImageTiles, BestColumnsFillsTheArea) {
  EXPECT_EQ(bestColumns(64, 1.0f, 800, 800, 0, 0), 8);
  EXPECT_EQ(bestColumns(64, 1.0f, 1600, 400, 0, 0), 16);
  EXPECT_EQ(bestColumns(10, 1.0f, 1000, 100, 0, 0), 10);
  EXPECT_EQ(bestColumns(10, 1.0f, 100, 1000, 0, 0), 1);
  EXPECT_EQ(bestColumns(0, 1.0f, 100, 100, 0, 0), 1);
}

}  // namespace
}  // namespace gradscope::ui
