// Keeps one gfx::Heatmap per run slot and re-uploads a run's grid only when it changed; and
// the textures of the image views (first-layer weights, test images), uploaded again only
// when what they show changed.
#pragma once

#include <array>
#include <memory>

#include "gfx/heatmap.h"
#include "gfx/image_texture.h"
#include "train/snapshot.h"
#include "ui/image_tiles.h"

namespace gradscope::ui {

class BoundaryRenderer {
 public:
  // The texture showing `grid` with the data's points at width × height pixels (0 if none yet).
  std::uintptr_t texture(int slot, const std::shared_ptr<const DecisionGrid>& grid,
                         const std::shared_ptr<const Split>& data, int width, int height,
                         bool showTest, float pointSize);
  const std::string& error() const;

  // Run `slot`'s weights `weights` as tiles, `columns` a row (re-made at most every
  // `minInterval` seconds of `now` unless the layout changed). Null texture: nothing yet.
  const TileAtlas& weightAtlas(int slot, const std::shared_ptr<const Eigen::MatrixXf>& weights,
                               int tileW, int tileH, int columns, double now, double minInterval,
                               std::uintptr_t& texture, const std::vector<float>*& scale);
  // The first `count` test images of `data` as tiles, `columns` a row.
  const TileAtlas& imageAtlas(const std::shared_ptr<const Split>& data, int count, int columns,
                              std::uintptr_t& texture);

 private:
  struct Slot {
    gfx::Heatmap heatmap;
    std::shared_ptr<const DecisionGrid> uploaded;
    std::shared_ptr<const Split> points;
    // What the texture shows now: render again only when one of these changes.
    std::uintptr_t texture = 0;
    int width = 0, height = 0;
    bool showTest = false;
    float pointSize = 0;
    bool stale = true;
  };
  std::array<Slot, kMaxRuns> m_slots;

  struct WeightSlot {
    gfx::ImageTexture texture;
    TileAtlas atlas;
    std::vector<float> scale;
    std::shared_ptr<const Eigen::MatrixXf> shown;
    double time = -1e9;
  };
  std::array<WeightSlot, kMaxRuns> m_weights;
  gfx::ImageTexture m_imageTexture;
  TileAtlas m_imageAtlas;
  std::shared_ptr<const Split> m_imagesShown;
  int m_imageCount = 0;
};

}  // namespace gradscope::ui
