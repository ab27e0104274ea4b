// The pure part of the image views: weight and data images laid out as tiles in one RGBA
// picture (uploaded as one texture), the grid shape that fits a panel, and the diverging
// colour scale. No ImGui, no GL: unit-tested on their own.
#pragma once

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <vector>

namespace gradscope::ui {

// Tiles of `tileW` × `tileH` pixels, `columns` a row, 1-pixel gaps between them.
struct TileAtlas {
  int columns = 0, rows = 0;
  int tileW = 0, tileH = 0;
  int width = 0, height = 0;       // pixels of the whole picture
  std::vector<std::uint8_t> rgba;  // width × height × 4, row 0 at the top
  // Texture coordinates of tile i: u0, v0, u1, v1.
  std::array<float, 4> uv(int tile) const;
};

// Blue (−1) through light grey (0) to red (+1); t is clamped to [−1, 1].
std::array<std::uint8_t, 3> divergingColor(float t);

// One tile per row of W (units, pixels): the row as a tileW × tileH image, each tile scaled to
// its own largest |w| (written to `scale`, one per tile), so the pattern of a unit with small
// weights shows as clearly as that of a large one.
void weightTiles(const Eigen::MatrixXf& W, int tileW, int tileH, int columns, TileAtlas& out,
                 std::vector<float>& scale);

// The first `count` columns of X (pixels, samples) as grey images, 0 black and 1 white.
void imageTiles(const Eigen::MatrixXf& X, int count, int tileW, int tileH, int columns,
                TileAtlas& out);

// The number of columns that makes `count` tiles of aspect w:h (plus `extraH` pixels under
// each, e.g. a caption, and `gap` between them) as large as possible in a `width` × `height`
// area.
int bestColumns(int count, float tileAspect, float width, float height, float extraH, float gap);

}  // namespace gradscope::ui
