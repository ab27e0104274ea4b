// Keeps one gfx::Heatmap per run slot and re-uploads a run's grid only when it changed.
#pragma once

#include <array>
#include <memory>

#include "gfx/heatmap.h"
#include "train/snapshot.h"

namespace gradscope::ui {

class BoundaryRenderer {
 public:
  // The texture showing `grid` with the data's points at width × height pixels (0 if none yet).
  std::uintptr_t texture(int slot, const std::shared_ptr<const DecisionGrid>& grid,
                         const std::shared_ptr<const Split>& data, int width, int height,
                         bool showTest, float pointSize);
  const std::string& error() const;

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
};

}  // namespace gradscope::ui
