// The panels' tiling of the window.
#include "ui/layout.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace gradscope::ui {

Layout layoutPanels(const std::array<bool, static_cast<size_t>(Panel::Count)>& visible,
                    float fontScale, ImVec2 pos, ImVec2 size) {
  Layout out{};
  auto shown = [&](Panel p) { return visible[static_cast<size_t>(p)]; };
  const float scale = fontScale;
  float x = pos.x;
  if (shown(Panel::Controls) || shown(Panel::Lessons)) {
    // Lessons and controls share the left column as tabs.
    const float w = std::clamp(size.x * 0.22f, 330.0f * scale, 430.0f * scale);
    out[static_cast<size_t>(Panel::Controls)] =
        out[static_cast<size_t>(Panel::Lessons)] = {pos, ImVec2(w, size.y)};
    x += w;
  }
  const float w = pos.x + size.x - x;
  auto row = [&](std::initializer_list<std::pair<Panel, float>> panels, float y, float h) {
    float total = 0;
    for (auto [p, weight] : panels)
      if (shown(p)) total += weight;
    float cx = x;
    for (auto [p, weight] : panels)
      if (shown(p)) {
        const float pw = w * weight / total;
        out[static_cast<size_t>(p)] = {ImVec2(cx, y), ImVec2(pw, h)};
        cx += pw;
      }
  };
  const bool top = shown(Panel::Gradients) || shown(Panel::Boundary);
  const bool bottom = shown(Panel::Activation) || shown(Panel::Neurons) || shown(Panel::Loss);
  const float topH = top && bottom ? size.y * 0.55f : size.y;
  if (top) row({{Panel::Gradients, 0.6f}, {Panel::Boundary, 0.4f}}, pos.y, topH);
  if (bottom)
    row({{Panel::Activation, 0.36f}, {Panel::Neurons, 0.32f}, {Panel::Loss, 0.32f}},
        top ? pos.y + topH : pos.y, top ? size.y - topH : size.y);
  return out;
}

PixelRect framebufferRect(const Rect& r, ImVec2 scale, int fbw, int fbh) {
  PixelRect p;
  p.x = std::clamp(static_cast<int>(r.pos.x * scale.x), 0, fbw);
  p.y = std::clamp(static_cast<int>(r.pos.y * scale.y), 0, fbh);
  p.width = std::min(static_cast<int>(r.size.x * scale.x), fbw - p.x);
  p.height = std::min(static_cast<int>(r.size.y * scale.y), fbh - p.y);
  return p;
}

}  // namespace gradscope::ui
