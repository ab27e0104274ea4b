// Neurons: one column per hidden layer, one cell per unit, coloured by the share of training
// samples on which the unit passes gradient (a sparse unit is dark but alive); dead units, which
// pass gradient on no sample, dark red with a cross. Below, dead units over the steps. A few
// small layers draw as cells with gaps; wide or deep networks (64 × 256) as one texture per run
// with layers merged when a column would be under a few pixels wide, and a dead count under
// only as many columns as have room for one.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "gfx/image_texture.h"
#include "ui/i18n.h"
#include "ui/panels.h"
#include "ui/plot.h"
#include "ui/text_fit.h"

namespace gradscope::ui {
namespace {

constexpr ImU32 kDead = IM_COL32(150, 24, 30, 255);
constexpr ImU32 kCross = IM_COL32(255, 170, 170, 255);
// Cells at least this many pixels on a side draw as rectangles with crosses; smaller ones as a
// texture.
constexpr float kCellMin = 5.0f;

bool diverged(const RunSnapshot& r) { return r.state == RunState::Diverged; }

ImU32 mix(ImU32 a, ImU32 b, float t) {
  auto ch = [&](int s) {
    const float x = static_cast<float>((a >> s) & 0xFF), y = static_cast<float>((b >> s) & 0xFF);
    return static_cast<ImU32>(x + (y - x) * t + 0.5f) << s;
  };
  return ch(0) | ch(8) | ch(16) | (0xFFu << 24);
}

// What a cell of `layers` × `units` (one unit, or a block of them) shows.
struct Cell {
  int units = 0, dead = 0;
  double activeRate = 0;  // mean over the block's units
};

Cell cellOf(const std::vector<LayerStats>& layers, int l0, int l1, int u0, int u1) {
  Cell c;
  for (int l = l0; l < l1; ++l) {
    const LayerStats& s = layers[static_cast<size_t>(l)];
    for (int u = u0; u < std::min(u1, s.units); ++u) {
      const UnitStats& us = s.unitStats[static_cast<size_t>(u)];
      ++c.units;
      c.dead += us.dead ? 1 : 0;
      c.activeRate += us.activeRate;
    }
  }
  if (c.units) c.activeRate /= c.units;
  return c;
}

ImU32 cellColor(const Cell& c, bool stale) {
  if (!c.units) return IM_COL32(0, 0, 0, 0);
  const ImU32 live = plot::colormap(plot::Colormap::Viridis, c.activeRate);
  const ImU32 col = c.dead == c.units ? kDead : mix(live, kDead, float(c.dead) / c.units);
  return stale ? staleColor(col) : col;
}

struct MapTextures {
  struct Entry {
    gfx::ImageTexture* texture = new gfx::ImageTexture;  // freed with the GL context at exit
    const EvalResult* eval = nullptr;                    // what it shows: rebuilt on change
    int columns = 0, rows = 0;
    bool stale = false;
  };
  std::vector<Entry> runs;
  std::vector<std::uint32_t> rgba;
};

// The run's title lines (label and diverged mark), wrapped to `width`.
std::vector<std::string> titleLines(const RunSnapshot& run, float width) {
  std::string text = trMessage(run.label);
  if (diverged(run)) text += std::string(" · ") + tr("neurons.diverged");
  return wrapLines(text, width,
                   [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; });
}

// A watched run has no unit map (its units are measured in PyTorch, per batch): one bar per
// ReLU-family module with the share of its units dead on the last logged batch, names on hover.
void drawWatchedDead(const RunSnapshot& run, ImVec2 origin, ImVec2 size, int runIndex,
                     int titleRows) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float th = ImGui::GetTextLineHeight();
  const float top = origin.y + th * (titleRows + 0.2f), bottom = origin.y + size.y - th * 0.4f;
  const int n = static_cast<int>(run.deadShare.size());
  if (n == 0) {
    drawText(dl, ImVec2(origin.x, top), ImGui::GetColorU32(ImGuiCol_TextDisabled),
             tr("neurons.watched_none"));
    return;
  }
  if (bottom - top < 4) return;
  const float rowH = std::min((bottom - top) / n, th * 1.2f);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const ImU32 color = diverged(run) ? staleColor(runColor(runIndex)) : runColor(runIndex);
  for (int k = 0; k < n; ++k) {
    const float y0 = top + rowH * k, y1 = y0 + std::max(rowH - 1.0f, 1.0f);
    const float share = std::clamp(run.deadShare[static_cast<size_t>(k)], 0.0f, 1.0f);
    dl->AddRectFilled(ImVec2(origin.x, y0), ImVec2(origin.x + size.x, y1),
                      ImGui::GetColorU32(ImGuiCol_FrameBg));
    dl->AddRectFilled(ImVec2(origin.x, y0), ImVec2(origin.x + size.x * share, y1), kDead);
    if (rowH >= th) {
      char text[320];
      std::snprintf(text, sizeof text, "%s  %.0f%%", run.deadNames[static_cast<size_t>(k)].c_str(),
                    100.0 * share);
      drawText(dl, ImVec2(origin.x + 2, y0), color, text);
    }
    if (ImGui::IsWindowHovered() && mouse.x >= origin.x && mouse.x < origin.x + size.x &&
        mouse.y >= y0 && mouse.y < y1) {
      ImGui::BeginTooltip();
      ImGui::Text(tr("neurons.watched_tip"), run.deadNames[static_cast<size_t>(k)].c_str(),
                  100.0 * share, run.step);
      ImGui::EndTooltip();
    }
  }
}

void drawMap(const RunSnapshot& run, ImVec2 origin, ImVec2 size, int runIndex, int titleRows,
             MapTextures& tex) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float th = ImGui::GetTextLineHeight();
  const bool stale = diverged(run);
  {
    const auto lines = titleLines(run, size.x);
    for (size_t i = 0; i < lines.size(); ++i)
      drawText(dl, ImVec2(origin.x, origin.y + th * i),
               stale ? staleColor(runColor(runIndex)) : runColor(runIndex), lines[i].c_str());
  }
  if (run.watched) return drawWatchedDead(run, origin, size, runIndex, titleRows);
  if (!run.eval || run.eval->layers.empty()) return;
  const auto& layers = run.eval->layers;
  const int count = static_cast<int>(layers.size());
  int tallest = 1;
  for (const auto& l : layers) tallest = std::max(tallest, l.units);
  const float top = origin.y + th * (titleRows + 0.2f), bottom = origin.y + size.y - th * 2.4f;
  if (bottom - top < 4) return;
  // Layers merge into groups when a column would be narrower than 3 pixels; units when a row
  // would be under a pixel.
  const int lg = groupSize(count, size.x, 3.0f);
  const int columns = (count + lg - 1) / lg;
  const int ug = groupSize(tallest, bottom - top, 1.0f);
  const int rows = (tallest + ug - 1) / ug;
  const float colW = size.x / columns;
  const float cellH = std::min((bottom - top) / rows, th * 1.4f);
  const bool asRects = lg == 1 && ug == 1 && std::min(colW * 0.8f, cellH) >= kCellMin;
  const float cellW = asRects ? std::min(colW * 0.8f, cellH) : colW;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool hoverable = ImGui::IsWindowHovered();

  if (asRects) {
    for (int c = 0; c < columns; ++c) {
      const LayerStats& s = layers[static_cast<size_t>(c)];
      const float x0 = origin.x + colW * (c + 0.5f) - cellW * 0.5f;
      for (int u = 0; u < s.units; ++u) {
        const UnitStats& us = s.unitStats[static_cast<size_t>(u)];
        const float y0 = top + u * cellW;
        const ImVec2 a(x0, y0), b(x0 + cellW - 1, y0 + cellW - 1);
        dl->AddRectFilled(a, b, cellColor(cellOf(layers, c, c + 1, u, u + 1), stale));
        if (us.dead) {
          dl->AddLine(ImVec2(a.x + 1, a.y + 1), ImVec2(b.x - 1, b.y - 1), kCross, 1.5f);
          dl->AddLine(ImVec2(a.x + 1, b.y - 1), ImVec2(b.x - 1, a.y + 1), kCross, 1.5f);
        }
      }
    }
  } else {
    // One pixel per cell, stretched: a quad instead of thousands of rectangles, rebuilt only
    // when a new measurement arrives or the layout changes.
    if (static_cast<int>(tex.runs.size()) <= runIndex) tex.runs.resize(runIndex + 1);
    auto& e = tex.runs[static_cast<size_t>(runIndex)];
    if (e.eval != run.eval.get() || e.columns != columns || e.rows != rows || e.stale != stale) {
      tex.rgba.assign(static_cast<size_t>(columns) * rows, 0);
      for (int c = 0; c < columns; ++c)
        for (int r = 0; r < rows; ++r)
          tex.rgba[static_cast<size_t>(r) * columns + c] = cellColor(
              cellOf(layers, c * lg, std::min(count, (c + 1) * lg), r * ug, (r + 1) * ug), stale);
      e.texture->upload(tex.rgba.data(), columns, rows);
      e.eval = run.eval.get(), e.columns = columns, e.rows = rows, e.stale = stale;
    }
    dl->AddImage(reinterpret_cast<ImTextureID>(e.texture->id()), ImVec2(origin.x, top),
                 ImVec2(origin.x + size.x, top + cellH * rows));
  }

  // Hover: the unit (or block of units) under the mouse.
  const float stepY = asRects ? cellW : cellH;
  if (hoverable && mouse.x >= origin.x && mouse.x < origin.x + size.x && mouse.y >= top &&
      mouse.y < top + stepY * rows) {
    const int c = std::clamp(static_cast<int>((mouse.x - origin.x) / colW), 0, columns - 1);
    const int r = std::clamp(static_cast<int>((mouse.y - top) / stepY), 0, rows - 1);
    const int l0 = c * lg, l1 = std::min(count, l0 + lg), u0 = r * ug, u1 = u0 + ug;
    const bool inside = !asRects || (mouse.x >= origin.x + colW * (c + 0.5f) - cellW * 0.5f &&
                                     mouse.x < origin.x + colW * (c + 0.5f) + cellW * 0.5f);
    const Cell cell = cellOf(layers, l0, l1, u0, u1);
    if (inside && cell.units > 0) {
      ImGui::BeginTooltip();
      if (cell.units == 1) {
        const UnitStats& us = layers[static_cast<size_t>(l0)].unitStats[static_cast<size_t>(u0)];
        ImGui::Text(tr("neurons.unit_title"), trMessage(run.label).c_str(), l0 + 1, u0 + 1);
        if (us.dead) {
          ImGui::SameLine();
          ImGui::TextColored(ImVec4(0.94f, 0.47f, 0.47f, 1), "· %s", tr("neurons.dead_mark"));
        }
        ImGui::Text(tr("neurons.active_on"), us.activeRate * 100.0f);
        ImGui::Text(tr("neurons.mean_z"), plot::formatValue(us.meanZ).c_str());
        ImGui::Text("‖%s‖ = %s", tr("neurons.incoming_weights"),
                    plot::formatValue(us.weightNorm).c_str());
      } else {
        ImGui::Text(tr("neurons.block_title"), trMessage(run.label).c_str(), l0 + 1, l1, u0 + 1,
                    std::min(u1, tallest));
        ImGui::Text(tr("neurons.block_dead"), cell.dead, cell.units);
        ImGui::Text(tr("neurons.block_active"), cell.activeRate * 100.0);
        ImGui::TextDisabled("%s", tr("neurons.block_hint"));
      }
      if (stale) ImGui::TextDisabled("%s", tr("neurons.stale_tip"));
      ImGui::TextDisabled(tr("neurons.measured_at"), run.eval->step);
      ImGui::EndTooltip();
    }
  }

  // Dead units per column, under as many columns as have room for a label.
  int widest = 0;
  for (int c = 0; c < columns; ++c)
    widest =
        std::max(widest, cellOf(layers, c * lg, std::min(count, (c + 1) * lg), 0, tallest).dead);
  char count0[32];
  std::snprintf(count0, sizeof count0, "%d", widest);
  const float labelW = ImGui::CalcTextSize(count0).x;
  const int stride = labelStride(colW, labelW, th * 0.5f);
  const float labelY = bottom + th * 0.2f;
  const bool percents = stride == 1 && colW > ImGui::CalcTextSize("100%").x + 2;
  float labelEnd = origin.x - th;  // right edge of the last label drawn
  for (int c = 0; c < columns; c += stride) {
    const Cell all = cellOf(layers, c * lg, std::min(count, (c + 1) * lg), 0, tallest);
    const float cx = origin.x + colW * (c + 0.5f);
    char text[32];
    std::snprintf(text, sizeof text, "%d", all.dead);
    const ImVec2 ts = ImGui::CalcTextSize(text);
    // Centred under the column, kept inside the map, and left out where it would touch the one
    // before (the stride leaves room for the widest, but the ends are pushed inward).
    const float x = std::clamp(cx - ts.x * 0.5f, origin.x, origin.x + size.x - ts.x);
    if (x < labelEnd + th * 0.3f) continue;
    labelEnd = x + ts.x;
    drawText(dl, ImVec2(x, labelY),
             all.dead ? IM_COL32(240, 120, 120, 255) : ImGui::GetColorU32(ImGuiCol_TextDisabled),
             text);
    if (percents) {
      std::snprintf(text, sizeof text, "%.0f%%", 100.0 * all.dead / std::max(all.units, 1));
      const ImVec2 ps = ImGui::CalcTextSize(text);
      drawText(dl, ImVec2(cx - ps.x * 0.5f, labelY + th), ImGui::GetColorU32(ImGuiCol_TextDisabled),
               text);
    }
  }
}

}  // namespace

void drawNeuronPanel(const Snapshot& snap, UiState&) {
  static MapTextures textures;
  const float th = ImGui::GetTextLineHeight();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  // The key's first words wrap (at spaces) in a narrow panel rather than run off its edge.
  const char* share = tr("neurons.key_share");
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  wrappedText(share);
  ImGui::PopStyleColor();
  sameLineIfFits(96 + spacing + ImGui::CalcTextSize("1").x, spacing);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  for (int i = 0; i < 24; ++i)
    dl->AddRectFilled(ImVec2(p.x + i * 4.0f, p.y + 2), ImVec2(p.x + i * 4.0f + 4, p.y + th - 2),
                      plot::colormap(plot::Colormap::Viridis, i / 23.0));
  ImGui::Dummy(ImVec2(96, th));
  ImGui::SameLine();
  ImGui::TextDisabled("1");
  const char* deadText = tr("neurons.dead_key");
  sameLineIfFits(th + spacing + ImGui::CalcTextSize(deadText).x, th);
  // The swatch is a dead cell as the map draws it, cross included, so it is not read as the
  // dark end of the ramp (a sparse unit, alive on a few samples).
  const ImVec2 q = ImGui::GetCursorScreenPos();
  const ImVec2 a(q.x, q.y + 2), b(q.x + th - 4, q.y + th - 2);
  dl->AddRectFilled(a, b, kDead);
  dl->AddLine(ImVec2(a.x + 1, a.y + 1), ImVec2(b.x - 1, b.y - 1), kCross, 1.5f);
  dl->AddLine(ImVec2(a.x + 1, b.y - 1), ImVec2(b.x - 1, a.y + 1), kCross, 1.5f);
  ImGui::Dummy(ImVec2(th - 2, th));
  ImGui::SameLine();
  ImGui::TextDisabled("%s", deadText);
  tooltip(tr("tip.dead_unit"));
  const char* numbers = tr("neurons.numbers_key");
  if (sameLineIfFits(ImGui::CalcTextSize(numbers).x, th)) {
    ImGui::TextDisabled("%s", numbers);
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    wrappedText(numbers);
    ImGui::PopStyleColor();
  }
  if (const std::string coverage = evalCoverage(snap); !coverage.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    wrappedText(coverage);
    ImGui::PopStyleColor();
  }

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const int runs = std::max(1, static_cast<int>(snap.runs.size()));
  const float gap = th;
  const float w = (avail.x - gap * (runs - 1)) / runs;
  int titleRows = 1;
  for (const auto& run : snap.runs)
    titleRows = std::max(titleRows, static_cast<int>(titleLines(run, w).size()));
  // The map gets 60% of the height, the dead-units chart at least 8 lines; in a short panel
  // both keep a readable minimum and the panel scrolls.
  const float mapHeight =
      std::max(std::min(avail.y * 0.6f, avail.y - th * 8), th * (titleRows + 2.4f) + 64.0f);
  const float chartHeight =
      std::max(avail.y - mapHeight - ImGui::GetStyle().ItemSpacing.y, th * 7.0f);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  for (int r = 0; r < static_cast<int>(snap.runs.size()); ++r)
    drawMap(snap.runs[static_cast<size_t>(r)], ImVec2(origin.x + r * (w + gap), origin.y),
            ImVec2(w, mapHeight), r, titleRows, textures);
  ImGui::Dummy(ImVec2(avail.x, mapHeight));

  const std::string title = std::string(tr("neurons.dead_chart")) + "##dead";
  if (plot::begin(title.c_str(), ImVec2(-1, chartHeight))) {
    plot::setupAxis(plot::Axis::X, tr("gradient.step"), plot::AxisFlags::AutoFit);
    plot::setupAxis(plot::Axis::Y, tr("neurons.dead_axis"), plot::AxisFlags::AutoFit);
    bool anyLive = false;
    for (const auto& run : snap.runs) anyLive |= !diverged(run);
    for (size_t r = 0; r < snap.runs.size(); ++r) {
      const auto& run = snap.runs[r];
      const bool stale = diverged(run);
      const ImU32 c = runColor(static_cast<int>(r));
      const std::string label =
          stale ? trMessage(run.label) + " · " + tr("neurons.diverged") : trMessage(run.label);
      seriesLine(label.c_str(), run.deadTotalSeries,
                 {stale ? staleColor(c) : c, 2.0f, plot::runPattern(static_cast<int>(r)),
                  !(stale && anyLive)});
    }
    plot::end();
  }
}

}  // namespace gradscope::ui
