// Where each panel goes in the window: a fixed tiling of the work area (the pure part, no
// window needed), and a panel's rectangle in framebuffer pixels for screenshots and recordings.
#pragma once

#include <imgui.h>

#include <array>
#include <cstddef>

#include "ui/ui_state.h"

namespace gradscope::ui {

struct Rect {
  ImVec2 pos, size;
};
using Layout = std::array<Rect, static_cast<size_t>(Panel::Count)>;

// Controls and lessons share the left column (as tabs); gradient flow and decision boundary
// on top; activation, neurons, loss below. Hidden panels give their room to their row. Where
// the bottom row is too narrow for its panels' minimum widths, they share fewer columns:
// activation and neurons as tabs beside loss, then all three as tabs. Panels with the same
// rectangle are drawn as tabs of one window. `fontScale` is the font size over 15 px (HiDPI
// and font size widen every minimum).
Layout layoutPanels(const std::array<bool, static_cast<size_t>(Panel::Count)>& visible,
                    float fontScale, ImVec2 pos, ImVec2 size);

// The narrowest a panel can be at font scale 1 and still fit its texts and charts side by side.
float minPanelWidth(Panel panel);

// Whether two panels share one rectangle (they are tabs of one window).
inline bool sameRect(const Rect& a, const Rect& b) {
  return a.pos.x == b.pos.x && a.pos.y == b.pos.y && a.size.x == b.size.x && a.size.y == b.size.y;
}

// A rectangle of the framebuffer, in its pixels from the top-left corner.
struct PixelRect {
  int x = 0, y = 0, width = 0, height = 0;
};

// `r` (window coordinates) in a framebuffer of fbw × fbh pixels that is `scale` times the
// window (HiDPI), clamped to it.
PixelRect framebufferRect(const Rect& r, ImVec2 scale, int fbw, int fbh);

}  // namespace gradscope::ui
