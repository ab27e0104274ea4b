// The panels' tiling of the window.
#include "ui/layout.h"

#include <algorithm>
#include <initializer_list>
#include <utility>
#include <vector>

namespace gradscope::ui {

float minPanelWidth(Panel panel) {
  switch (panel) {
    case Panel::Activation:
      return 520;  // the activation list beside its formula, numbers and plot
    case Panel::Neurons:
      return 340;  // its Korean caption and counts under four runs' maps
    case Panel::Loss:
      return 380;  // a run's loss and accuracy line
    case Panel::Gradients:
      return 420;
    case Panel::Boundary:
      return 260;
    case Panel::Controls:
    case Panel::Lessons:
      return 330;
    case Panel::Count:
      break;
  }
  return 0;
}

Layout layoutPanels(const std::array<bool, static_cast<size_t>(Panel::Count)>& visible,
                    float fontScale, ImVec2 pos, ImVec2 size) {
  Layout out{};
  auto shown = [&](Panel p) { return visible[static_cast<size_t>(p)]; };
  const float scale = fontScale;
  float x = pos.x;
  if (shown(Panel::Controls) || shown(Panel::Lessons)) {
    // Lessons and controls share the left column as tabs.
    const float w =
        std::clamp(size.x * 0.22f, minPanelWidth(Panel::Controls) * scale, 430.0f * scale);
    out[static_cast<size_t>(Panel::Controls)] =
        out[static_cast<size_t>(Panel::Lessons)] = {pos, ImVec2(w, size.y)};
    x += w;
  }
  const float w = pos.x + size.x - x;
  // A row of columns, each one panel or several as tabs: each column gets its minimum width
  // and a share of the rest by weight (or only its share when the minimums do not fit).
  using Column = std::pair<std::vector<Panel>, float>;
  auto columnMin = [&](const Column& c) {
    float m = 0;
    for (Panel p : c.first)
      if (shown(p)) m = std::max(m, minPanelWidth(p) * scale);
    return m;
  };
  auto spare = [&](const std::vector<Column>& columns) {
    float used = 0;
    for (const Column& c : columns) used += columnMin(c);
    return w - used;
  };
  auto fits = [&](const std::vector<Column>& columns) { return spare(columns) >= 0; };
  auto row = [&](const std::vector<Column>& columns, float y, float h) {
    float total = 0;
    for (const Column& c : columns)
      if (columnMin(c) > 0) total += c.second;
    const float extra = spare(columns);
    float cx = x;
    for (const Column& c : columns) {
      const float min = columnMin(c);
      if (min <= 0) continue;  // every panel of the column hidden
      const float pw = extra >= 0 ? min + extra * c.second / total : w * c.second / total;
      for (Panel p : c.first)
        if (shown(p)) out[static_cast<size_t>(p)] = {ImVec2(cx, y), ImVec2(pw, h)};
      cx += pw;
    }
  };
  const bool top = shown(Panel::Gradients) || shown(Panel::Boundary);
  const bool bottom = shown(Panel::Activation) || shown(Panel::Neurons) || shown(Panel::Loss);
  const float topH = top && bottom ? size.y * 0.55f : size.y;
  if (top) row({{{Panel::Gradients}, 0.6f}, {{Panel::Boundary}, 0.4f}}, pos.y, topH);
  if (bottom) {
    const float y = top ? pos.y + topH : pos.y;
    const float h = top ? size.y - topH : size.y;
    const std::vector<Column> three = {
        {{Panel::Activation}, 0.36f}, {{Panel::Neurons}, 0.32f}, {{Panel::Loss}, 0.32f}};
    const std::vector<Column> two = {{{Panel::Activation, Panel::Neurons}, 0.56f},
                                     {{Panel::Loss}, 0.44f}};
    if (fits(three))
      row(three, y, h);
    else if (fits(two))
      row(two, y, h);
    else
      row({{{Panel::Activation, Panel::Neurons, Panel::Loss}, 1.0f}}, y, h);
  }
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
