// Neurons: one column per hidden layer, one cell per unit, coloured by the share of training
// samples on which the unit passes gradient; dead units dark red with a cross. Below, dead
// units over the steps.
#include <algorithm>
#include <cstdio>
#include <string>

#include "ui/i18n.h"
#include "ui/panels.h"
#include "ui/plot.h"

namespace gradscope::ui {
namespace {

constexpr ImU32 kDead = IM_COL32(150, 24, 30, 255);
constexpr ImU32 kCross = IM_COL32(255, 170, 170, 255);

void drawMap(const RunSnapshot& run, ImVec2 origin, ImVec2 size, int runIndex) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float th = ImGui::GetTextLineHeight();
  dl->AddText(origin, runColor(runIndex), run.label.c_str());
  if (!run.eval || run.eval->layers.empty()) return;
  const auto& layers = run.eval->layers;
  const int columns = static_cast<int>(layers.size());
  int tallest = 1;
  for (const auto& l : layers) tallest = std::max(tallest, l.units);
  const float top = origin.y + th * 1.2f, bottom = origin.y + size.y - th * 2.4f;
  const float colW = size.x / columns;
  const float cell = std::clamp(std::min(colW * 0.8f, (bottom - top) / tallest), 1.0f, th * 1.4f);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool hoverable = ImGui::IsWindowHovered();
  for (int c = 0; c < columns; ++c) {
    const LayerStats& s = layers[static_cast<size_t>(c)];
    const float cx = origin.x + colW * (c + 0.5f);
    const float x0 = cx - cell * 0.5f;
    for (int u = 0; u < s.units; ++u) {
      const UnitStats& us = s.unitStats[static_cast<size_t>(u)];
      const float y0 = top + u * cell;
      const ImVec2 a(x0, y0), b(x0 + cell - (cell > 3 ? 1 : 0), y0 + cell - (cell > 3 ? 1 : 0));
      const bool isDead = us.dead;
      dl->AddRectFilled(a, b,
                        isDead ? kDead : plot::colormap(plot::Colormap::Viridis, us.activeRate));
      if (isDead && cell >= 5) {
        dl->AddLine(ImVec2(a.x + 1, a.y + 1), ImVec2(b.x - 1, b.y - 1), kCross, 1.5f);
        dl->AddLine(ImVec2(a.x + 1, b.y - 1), ImVec2(b.x - 1, a.y + 1), kCross, 1.5f);
      }
      if (hoverable && mouse.x >= a.x && mouse.x < b.x + 1 && mouse.y >= a.y && mouse.y < b.y + 1) {
        ImGui::BeginTooltip();
        ImGui::Text("%s · layer %d · unit %d%s", run.label.c_str(), c + 1, u + 1,
                    isDead ? " · DEAD" : "");
        ImGui::Text("active on %.1f%% of training samples", us.activeRate * 100.0f);
        ImGui::Text("mean z = %s", plot::formatValue(us.meanZ).c_str());
        ImGui::Text("‖incoming weights‖ = %s", plot::formatValue(us.weightNorm).c_str());
        ImGui::TextDisabled("measured at step %ld", run.eval->step);
        ImGui::EndTooltip();
      }
    }
    char count[32];
    std::snprintf(count, sizeof count, "%d", s.dead);
    const float labelY = bottom + th * 0.2f;
    const ImVec2 ts = ImGui::CalcTextSize(count);
    dl->AddText(ImVec2(cx - ts.x * 0.5f, labelY),
                s.dead ? IM_COL32(240, 120, 120, 255) : ImGui::GetColorU32(ImGuiCol_TextDisabled),
                count);
    std::snprintf(count, sizeof count, "%.0f%%", 100.0 * s.dead / std::max(s.units, 1));
    const ImVec2 ps = ImGui::CalcTextSize(count);
    if (colW > ps.x + 2)
      dl->AddText(ImVec2(cx - ps.x * 0.5f, labelY + th), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                  count);
  }
}

}  // namespace

void drawNeuronPanel(const Snapshot& snap, UiState&) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float th = ImGui::GetTextLineHeight();
  ImGui::TextDisabled("share of samples where a unit passes gradient: 0");
  ImGui::SameLine();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  for (int i = 0; i < 24; ++i)
    dl->AddRectFilled(ImVec2(p.x + i * 4.0f, p.y + 2), ImVec2(p.x + i * 4.0f + 4, p.y + th - 2),
                      plot::colormap(plot::Colormap::Viridis, i / 23.0));
  ImGui::Dummy(ImVec2(96, th));
  ImGui::SameLine();
  ImGui::TextDisabled("1");
  ImGui::SameLine(0, th);
  const ImVec2 q = ImGui::GetCursorScreenPos();
  dl->AddRectFilled(ImVec2(q.x, q.y + 2), ImVec2(q.x + th - 4, q.y + th - 2), kDead);
  ImGui::Dummy(ImVec2(th - 2, th));
  ImGui::SameLine();
  ImGui::TextDisabled("dead");
  tooltip(tr("tip.dead_unit"));

  const float mapHeight = std::max(avail.y * 0.6f, th * 6);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const int runs = std::max(1, static_cast<int>(snap.runs.size()));
  const float gap = th;
  const float w = (avail.x - gap * (runs - 1)) / runs;
  for (int r = 0; r < static_cast<int>(snap.runs.size()); ++r)
    drawMap(snap.runs[r], ImVec2(origin.x + r * (w + gap), origin.y), ImVec2(w, mapHeight), r);
  ImGui::Dummy(ImVec2(avail.x, mapHeight));

  if (plot::begin("Dead units##dead", ImVec2(-1, -1))) {
    plot::setupAxis(plot::Axis::X, "step", plot::AxisFlags::AutoFit);
    plot::setupAxis(plot::Axis::Y, "dead units", plot::AxisFlags::AutoFit);
    for (size_t r = 0; r < snap.runs.size(); ++r) {
      const auto& s = snap.runs[r].deadTotalSeries;
      seriesLine(snap.runs[r].label.c_str(), s,
                 {runColor(static_cast<int>(r)), 2.0f, plot::runPattern(static_cast<int>(r))});
    }
    plot::end();
  }
}

}  // namespace gradscope::ui
