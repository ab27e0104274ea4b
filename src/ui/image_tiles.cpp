// Tile pictures and the diverging colour scale (see image_tiles.h).
#include "ui/image_tiles.h"

#include <algorithm>
#include <cmath>

namespace gradscope::ui {
namespace {

void layout(TileAtlas& a, int count, int tileW, int tileH, int columns) {
  a.columns = std::max(1, std::min(columns, std::max(count, 1)));
  a.rows = std::max(1, (count + a.columns - 1) / a.columns);
  a.tileW = tileW;
  a.tileH = tileH;
  a.width = a.columns * (tileW + 1) - 1;
  a.height = a.rows * (tileH + 1) - 1;
  a.rgba.assign(static_cast<size_t>(a.width) * static_cast<size_t>(a.height) * 4, 0);
}

void put(TileAtlas& a, int tile, int x, int y, std::array<std::uint8_t, 3> c) {
  const int px = (tile % a.columns) * (a.tileW + 1) + x;
  const int py = (tile / a.columns) * (a.tileH + 1) + y;
  std::uint8_t* p =
      &a.rgba[(static_cast<size_t>(py) * static_cast<size_t>(a.width) + static_cast<size_t>(px)) *
              4];
  p[0] = c[0], p[1] = c[1], p[2] = c[2], p[3] = 255;
}

}  // namespace

std::array<float, 4> TileAtlas::uv(int tile) const {
  const float x = static_cast<float>((tile % columns) * (tileW + 1));
  const float y = static_cast<float>((tile / columns) * (tileH + 1));
  const float w = static_cast<float>(width), h = static_cast<float>(height);
  return {x / w, y / h, (x + static_cast<float>(tileW)) / w, (y + static_cast<float>(tileH)) / h};
}

std::array<std::uint8_t, 3> divergingColor(float t) {
  if (!std::isfinite(t)) t = 0;
  t = std::clamp(t, -1.0f, 1.0f);
  // RdBu's ends and a light grey middle.
  constexpr float neg[3] = {33, 102, 172}, mid[3] = {236, 236, 236}, pos[3] = {178, 24, 43};
  const float* end = t < 0 ? neg : pos;
  const float s = std::abs(t);
  std::array<std::uint8_t, 3> c{};
  for (int k = 0; k < 3; ++k)
    c[static_cast<size_t>(k)] =
        static_cast<std::uint8_t>(std::lround(mid[k] + s * (end[k] - mid[k])));
  return c;
}

void weightTiles(const Eigen::MatrixXf& W, int tileW, int tileH, int columns, TileAtlas& out,
                 std::vector<float>& scale) {
  const int tiles = static_cast<int>(W.rows());
  layout(out, tiles, tileW, tileH, columns);
  scale.assign(static_cast<size_t>(tiles), 0.0f);
  const int pixels = std::min<int>(static_cast<int>(W.cols()), tileW * tileH);
  for (int u = 0; u < tiles; ++u) {
    float m = 0;
    for (int p = 0; p < pixels; ++p)
      if (std::isfinite(W(u, p))) m = std::max(m, std::abs(W(u, p)));
    scale[static_cast<size_t>(u)] = m;
    const float inv = m > 0 ? 1.0f / m : 0.0f;
    for (int p = 0; p < pixels; ++p)
      put(out, u, p % tileW, p / tileW, divergingColor(W(u, p) * inv));
  }
}

void imageTiles(const Eigen::MatrixXf& X, int count, int tileW, int tileH, int columns,
                TileAtlas& out) {
  count = std::clamp(count, 0, static_cast<int>(X.cols()));
  layout(out, count, tileW, tileH, columns);
  const int pixels = std::min<int>(static_cast<int>(X.rows()), tileW * tileH);
  for (int i = 0; i < count; ++i)
    for (int p = 0; p < pixels; ++p) {
      const float v = std::isfinite(X(p, i)) ? std::clamp(X(p, i), 0.0f, 1.0f) : 0.0f;
      const auto g = static_cast<std::uint8_t>(std::lround(255.0f * v));
      put(out, i, p % tileW, p / tileW, {g, g, g});
    }
}

int bestColumns(int count, float tileAspect, float width, float height, float extraH, float gap) {
  if (count <= 0) return 1;
  int best = 1;
  float bestSide = -1;
  for (int columns = 1; columns <= count; ++columns) {
    const int rows = (count + columns - 1) / columns;
    const float w = (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    const float hAvail =
        (height - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows) - extraH;
    const float side = std::min(w, hAvail * tileAspect);
    if (side > bestSide) bestSide = side, best = columns;
  }
  return best;
}

}  // namespace gradscope::ui
