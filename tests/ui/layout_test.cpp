// The panels' tiling: inside the work area, no two panels overlapping, hidden panels giving
// their room to the others.
#include "ui/layout.h"

#include <gtest/gtest.h>

namespace gradscope::ui {
namespace {

using Visible = std::array<bool, static_cast<size_t>(Panel::Count)>;

bool overlap(const Rect& a, const Rect& b) {
  return a.pos.x < b.pos.x + b.size.x && b.pos.x < a.pos.x + a.size.x &&
         a.pos.y < b.pos.y + b.size.y && b.pos.y < a.pos.y + a.size.y;
}

TEST(Layout, PanelsTileTheWorkAreaWithoutOverlap) {
  Visible all;
  all.fill(true);
  const ImVec2 pos(0, 20), size(1600, 950);
  const Layout l = layoutPanels(all, 1.0f, pos, size);
  double area = 0;
  for (size_t p = 0; p < l.size(); ++p) {
    const Rect& r = l[p];
    EXPECT_GE(r.pos.x, pos.x - 0.01f);
    EXPECT_GE(r.pos.y, pos.y - 0.01f);
    EXPECT_LE(r.pos.x + r.size.x, pos.x + size.x + 0.01f) << panelKey(static_cast<Panel>(p));
    EXPECT_LE(r.pos.y + r.size.y, pos.y + size.y + 0.01f) << panelKey(static_cast<Panel>(p));
    EXPECT_GT(r.size.x, 0);
    EXPECT_GT(r.size.y, 0);
    if (static_cast<Panel>(p) == Panel::Lessons) continue;  // shares the left column's tabs
    area += static_cast<double>(r.size.x) * r.size.y;
    for (size_t q = p + 1; q < l.size(); ++q)
      if (static_cast<Panel>(q) != Panel::Lessons) {
        EXPECT_FALSE(overlap(r, l[q]))
            << panelKey(static_cast<Panel>(p)) << " and " << panelKey(static_cast<Panel>(q));
      }
  }
  EXPECT_NEAR(area, static_cast<double>(size.x) * size.y, 1.0);  // every pixel belongs to one
}

TEST(Layout, AHiddenPanelGivesItsRoomToItsRow) {
  Visible all;
  all.fill(true);
  Visible noNeurons = all;
  noNeurons[static_cast<size_t>(Panel::Neurons)] = false;
  const Layout a = layoutPanels(all, 1.0f, ImVec2(0, 0), ImVec2(1600, 1000));
  const Layout b = layoutPanels(noNeurons, 1.0f, ImVec2(0, 0), ImVec2(1600, 1000));
  const auto width = [](const Layout& l, Panel p) { return l[static_cast<size_t>(p)].size.x; };
  EXPECT_GT(width(b, Panel::Activation), width(a, Panel::Activation));
  EXPECT_GT(width(b, Panel::Loss), width(a, Panel::Loss));
  EXPECT_FLOAT_EQ(width(b, Panel::Gradients), width(a, Panel::Gradients));
}

TEST(Layout, WithoutTheLeftColumnTheChartsTakeTheWholeWidth) {
  Visible v;
  v.fill(true);
  v[static_cast<size_t>(Panel::Controls)] = v[static_cast<size_t>(Panel::Lessons)] = false;
  const Layout l = layoutPanels(v, 1.0f, ImVec2(0, 0), ImVec2(1280, 700));
  EXPECT_FLOAT_EQ(l[static_cast<size_t>(Panel::Gradients)].pos.x, 0.0f);
  const Rect& b = l[static_cast<size_t>(Panel::Boundary)];
  EXPECT_FLOAT_EQ(b.pos.x + b.size.x, 1280.0f);
}

TEST(Layout, APanelInAHiDpiFramebufferIsScaledAndClamped) {
  const Rect r{ImVec2(100, 50), ImVec2(400, 300)};
  const PixelRect p = framebufferRect(r, ImVec2(2, 2), 1000, 600);
  EXPECT_EQ(p.x, 200);
  EXPECT_EQ(p.y, 100);
  EXPECT_EQ(p.width, 800);
  EXPECT_EQ(p.height, 500);  // clamped to the framebuffer's 600 rows
}

}  // namespace
}  // namespace gradscope::ui
