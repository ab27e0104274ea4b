// Decision boundary: the network's output over the input plane as a heatmap (our shaders,
// gfx::Heatmap) with the training points on top; in compare mode one per run, side by side.
// Data that is not a plane, or has more than two classes, gets the views that fit it instead
// or beside it (image_panel.cpp): weight images, test images, the confusion matrix.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/boundary_renderer.h"
#include "ui/i18n.h"
#include "ui/panels.h"
#include "ui/plot.h"

namespace gradscope::ui {

std::uintptr_t BoundaryRenderer::texture(int slot, const std::shared_ptr<const DecisionGrid>& grid,
                                         const std::shared_ptr<const Split>& data, int width,
                                         int height, bool showTest, float pointSize) {
  if (slot < 0 || slot >= kMaxRuns || !grid || grid->value.empty()) return 0;
  Slot& s = m_slots[static_cast<size_t>(slot)];
  if (s.uploaded != grid) {
    s.heatmap.upload(grid->value.data(), grid->resolution, grid->classes);
    s.uploaded = grid;
    s.stale = true;
  }
  if (s.points != data && data && data->train.features() == 2) {
    s.heatmap.uploadPoints(0, data->train.X.data(), data->train.y.data(), data->train.samples());
    s.heatmap.uploadPoints(1, data->test.X.data(), data->test.y.data(), data->test.samples());
    s.points = data;
    s.stale = true;
  }
  if (s.stale || width != s.width || height != s.height || showTest != s.showTest ||
      pointSize != s.pointSize) {
    const gfx::HeatmapColors colors{
        {0.94f, 0.53f, 0.24f}, {0.33f, 0.58f, 0.93f}, {0.16f, 0.175f, 0.20f}};
    const float bounds[4] = {grid->x0, grid->x1, grid->y0, grid->y1};
    s.texture = s.heatmap.render(width, height, colors, bounds, true, showTest, pointSize);
    s.width = width, s.height = height, s.showTest = showTest, s.pointSize = pointSize;
    s.stale = false;
  }
  return s.texture;
}

const std::string& BoundaryRenderer::error() const { return m_slots[0].heatmap.error(); }

namespace {

void drawPlane(const Snapshot& snap, UiState& state, BoundaryRenderer& renderer) {
  ImGui::Checkbox(trId("plane.show_test").c_str(), &state.boundaryShowTest);
  tooltip(tr("tip.test_points"));
  const std::string legend = tr(snap.data && snap.data->train.classes > 2 ? "plane.legend_classes"
                                                                          : "plane.legend_binary");
  // Beside the checkbox where it fits, else under it, wrapped.
  sameLineIfFits(ImGui::CalcTextSize(legend.c_str()).x, ImGui::GetStyle().ItemSpacing.x);
  wrappedTextDisabled(legend);
  if (!snap.data || snap.data->train.features() != 2) {
    ImGui::TextWrapped(tr("plane.not_2d"), snap.data ? snap.data->train.features() : 0);
    return;
  }
  if (!renderer.error().empty()) {
    ImGui::TextColored(ImVec4(1, 0.45f, 0.45f, 1), tr("plane.gl_error"), renderer.error().c_str());
    return;
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const int runs = std::max(1, static_cast<int>(snap.runs.size()));
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float th = ImGui::GetTextLineHeightWithSpacing();
  // Square images, as large as fit side by side, each under its run's label wrapped to the
  // image's width (all labels get the tallest one's height, so the images line up).
  float side = std::max(16.0f, std::min((avail.x - gap * (runs - 1)) / runs, avail.y - th));
  float labelH = th;
  for (const auto& run : snap.runs)
    labelH =
        std::max(labelH, ImGui::CalcTextSize(trMessage(run.label).c_str(), nullptr, false, side).y +
                             ImGui::GetStyle().ItemSpacing.y);
  side = std::max(16.0f, std::min(side, avail.y - labelH));
  const float scale = ImGui::GetIO().DisplayFramebufferScale.x;
  for (int r = 0; r < static_cast<int>(snap.runs.size()); ++r) {
    const auto& run = snap.runs[static_cast<size_t>(r)];
    if (r > 0) ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    const float top = ImGui::GetCursorPosY();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(runColor(run, r)), "%s",
                       trMessage(run.label).c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosY(top + labelH);
    const ImVec2 a = ImGui::GetCursorScreenPos();
    const float pointSize = std::clamp(side * scale / 55.0f, 3.0f, 10.0f);
    const std::uintptr_t tex =
        renderer.texture(r, run.grid, snap.data, static_cast<int>(side * scale),
                         static_cast<int>(side * scale), state.boundaryShowTest, pointSize);
    if (tex) {
      // The texture's row 0 is the plane's bottom: flip v so y grows upward on screen.
      ImGui::Image(reinterpret_cast<ImTextureID>(tex), ImVec2(side, side), ImVec2(0, 1),
                   ImVec2(1, 0));
    } else {
      ImGui::Dummy(ImVec2(side, side));
      // A watched PyTorch run has no plane here: its model and data are in the user's script.
      if (run.watched)
        ImGui::GetWindowDrawList()->AddText(nullptr, 0.0f, ImVec2(a.x + 4, a.y + 4),
                                            ImGui::GetColorU32(ImGuiCol_TextDisabled),
                                            tr("plane.watched"), nullptr, side - 8);
    }
    const ImVec2 b(a.x + side, a.y + side);
    if (run.grid) {
      if (ImGui::IsItemHovered()) {
        const auto& g = *run.grid;
        const ImVec2 m = ImGui::GetIO().MousePos;
        const float x = g.x0 + (m.x - a.x) / side * (g.x1 - g.x0);
        const float y = g.y0 + (b.y - m.y) / side * (g.y1 - g.y0);
        const int c =
            std::clamp(static_cast<int>((m.x - a.x) / side * g.resolution), 0, g.resolution - 1);
        const int rr =
            std::clamp(static_cast<int>((b.y - m.y) / side * g.resolution), 0, g.resolution - 1);
        const float v = g.value[static_cast<size_t>(rr) * g.resolution + c];
        if (g.classes == 2)
          ImGui::SetTooltip(tr("plane.tip_binary"), x, y, v);
        else
          ImGui::SetTooltip(tr("plane.tip_classes"), x, y, static_cast<int>(v));
      }
    }
    ImGui::GetWindowDrawList()->AddRect(a, b, IM_COL32(255, 255, 255, 40));
    if (run.state == RunState::Diverged) {
      // The last boundary before the run blew up: veiled and marked, not passed off as current.
      ImDrawList* dl = ImGui::GetWindowDrawList();
      dl->AddRectFilled(a, b, IM_COL32(20, 20, 24, 170));
      char note[256];
      std::snprintf(note, sizeof note, tr("plane.stale"), run.step + 1,
                    run.grid ? run.grid->step : 0L);
      const ImVec2 ts = ImGui::CalcTextSize(note, nullptr, false, side - 8);
      dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(),
                  ImVec2(a.x + (side - ts.x) / 2, a.y + (side - ts.y) / 2),
                  IM_COL32(255, 130, 120, 255), note, nullptr, side - 8);
    }
    ImGui::EndGroup();
  }
}

}  // namespace

std::string boundaryTitle(const Snapshot& snap, const char* id) {
  const Dataset* train = snap.data ? &snap.data->train : nullptr;
  const char* key = "title.boundary";
  if (train && train->imageWidth > 0)
    key = "title.images";
  else if (train && train->features() == 2 && train->classes > 2)
    key = "title.boundary_classes";
  else if (train && train->features() != 2)
    key = "title.classes";
  return std::string(tr(key)) + "###" + id;
}

void drawBoundaryPanel(const Snapshot& snap, UiState& state, BoundaryRenderer& renderer) {
  const Dataset* train = snap.data ? &snap.data->train : nullptr;
  const bool plane = train && train->features() == 2;
  const bool images =
      train && train->imageWidth > 0 && train->imageWidth * train->imageHeight == train->features();
  if (!train || (plane && train->classes <= 2)) {
    drawPlane(snap, state, renderer);
    return;
  }
  if (!ImGui::BeginTabBar("##data-views")) return;
  auto tab = [](const char* key, const char* id) {
    return ImGui::BeginTabItem((std::string(tr(key)) + "###" + id).c_str());
  };
  if (plane && tab("view.plane", "plane")) {
    drawPlane(snap, state, renderer);
    ImGui::EndTabItem();
  }
  if (images && tab("view.weights", "weights")) {
    drawWeightImages(snap, state, renderer);
    ImGui::EndTabItem();
  }
  if (images && tab("view.test_images", "test-images")) {
    drawTestImages(snap, state, renderer);
    ImGui::EndTabItem();
  }
  if (tab("view.confusion", "confusion")) {
    drawConfusionMatrix(snap, state);
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
}

}  // namespace gradscope::ui
