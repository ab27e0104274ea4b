// Views for data that is not a plane: the first layer's weights as images (one tile per
// unit, diverging colours), test images with the predicted class (mistakes framed red), and
// the confusion matrix of any multi-class set. The boundary panel picks which of these fit.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

#include "ui/boundary_renderer.h"
#include "ui/i18n.h"
#include "ui/panels.h"
#include "ui/text_fit.h"

namespace gradscope::ui {

const TileAtlas& BoundaryRenderer::weightAtlas(
    int slot, const std::shared_ptr<const Eigen::MatrixXf>& weights, int tileW, int tileH,
    int columns, double now, double minInterval, std::uintptr_t& texture,
    const std::vector<float>*& scale) {
  WeightSlot& w = m_weights[static_cast<size_t>(std::clamp(slot, 0, kMaxRuns - 1))];
  const bool layout = w.atlas.columns != columns || w.atlas.tileW != tileW ||
                      w.atlas.tileH != tileH ||
                      (weights && w.shown && weights->rows() != w.shown->rows());
  // Copying and uploading ~100 k weights costs little, but several times a second is all a
  // learner can follow.
  if (weights && weights != w.shown && (layout || now - w.time >= minInterval)) {
    weightTiles(*weights, tileW, tileH, columns, w.atlas, w.scale);
    w.texture.upload(w.atlas.rgba.data(), w.atlas.width, w.atlas.height);
    w.shown = weights;
    w.time = now;
  }
  texture = w.shown ? w.texture.id() : 0;
  scale = &w.scale;
  return w.atlas;
}

const TileAtlas& BoundaryRenderer::imageAtlas(const std::shared_ptr<const Split>& data, int count,
                                              int columns, std::uintptr_t& texture) {
  if (data && (data != m_imagesShown || count != m_imageCount || columns != m_imageAtlas.columns)) {
    const Dataset& test = data->test.samples() > 0 ? data->test : data->train;
    imageTiles(test.X, count, test.imageWidth, test.imageHeight, columns, m_imageAtlas);
    m_imageTexture.upload(m_imageAtlas.rgba.data(), m_imageAtlas.width, m_imageAtlas.height);
    m_imagesShown = data;
    m_imageCount = count;
  }
  texture = m_imagesShown ? m_imageTexture.id() : 0;
  return m_imageAtlas;
}

namespace {

// Class c's name as shown: a named class (Fashion-MNIST's "Coat") in the current language
// ("class.Coat"), a numbered one (a CSV's labels) as it is.
std::string className(const Dataset& set, int c) {
  if (c < 0 || c >= static_cast<int>(set.classNames.size())) return std::to_string(c);
  const std::string& name = set.classNames[static_cast<size_t>(c)];
  if (std::none_of(name.begin(), name.end(), [](char ch) { return std::isalpha(ch); })) return name;
  return trOr("class." + name, name.c_str());
}

const ImU32 kMistake = IM_COL32(235, 80, 80, 255);
const ImU32 kRight = IM_COL32(120, 200, 130, 255);

// Where each run's view goes: one run fills the space; several share it in equal cells, side
// by side or in a grid, whichever gives each cell the larger square.
struct RunCells {
  int count = 0, columns = 1;
  ImVec2 cell;
};

RunCells runCells(const Snapshot& snap, ImVec2 space) {
  RunCells c;
  c.count = static_cast<int>(snap.runs.size());
  if (c.count <= 1) {
    c.cell = space;
    return c;
  }
  const ImVec2 gap = ImGui::GetStyle().ItemSpacing;
  c.columns = bestColumns(c.count, 1.0f, space.x, space.y, 0.0f, gap.x);
  const int rows = (c.count + c.columns - 1) / c.columns;
  c.cell = ImVec2(
      std::max(1.0f, (space.x - gap.x * static_cast<float>(c.columns - 1)) /
                         static_cast<float>(c.columns)),
      std::max(1.0f, (space.y - gap.y * static_cast<float>(rows - 1)) / static_cast<float>(rows)));
  return c;
}

// Draws each run's view in its cell (a child window, so the content region is the cell's),
// under the run's label in its colour; one run is drawn in place, unlabelled.
template <typename Draw>
void perRun(const Snapshot& snap, const char* id, Draw draw) {
  const RunCells c = runCells(snap, ImGui::GetContentRegionAvail());
  if (c.count == 1) draw(0);
  if (c.count <= 1) return;
  for (int r = 0; r < c.count; ++r) {
    if (r % c.columns) ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x);
    ImGui::PushID(r);
    if (ImGui::BeginChild(id, c.cell, false)) {
      const RunSnapshot& run = snap.runs[static_cast<size_t>(r)];
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(runColor(run, r)), "%s",
                         trMessage(run.label).c_str());
      ImGui::PopTextWrapPos();
      draw(r);
    }
    ImGui::EndChild();
    ImGui::PopID();
  }
}

void runWeights(const Snapshot& snap, int index, BoundaryRenderer& renderer) {
  const RunSnapshot& run = snap.runs[static_cast<size_t>(index)];
  const Dataset& train = snap.data->train;
  if (!run.inputWeights) {
    ImGui::TextDisabled("%s", tr("weights.none"));
    return;
  }
  char line[160];
  std::snprintf(line, sizeof line, tr("weights.moved"),
                100.0 * static_cast<double>(run.inputWeightsMoved), run.step);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  wrappedText(line);
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("weights.moved_tip"));
  const Eigen::MatrixXf& W = *run.inputWeights;
  const int tiles = static_cast<int>(W.rows());
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = 2.0f;
  const float aspect = static_cast<float>(train.imageWidth) / static_cast<float>(train.imageHeight);
  const int columns = bestColumns(tiles, aspect, avail.x, avail.y, 0.0f, gap);
  std::uintptr_t texture = 0;
  const std::vector<float>* scale = nullptr;
  const TileAtlas& atlas =
      renderer.weightAtlas(index, run.inputWeights, train.imageWidth, train.imageHeight, columns,
                           ImGui::GetTime(), 0.2, texture, scale);
  if (!texture || atlas.columns <= 0) return;
  // The whole atlas as one image, scaled to fit (its 1-pixel gaps scale with it).
  const float sx = avail.x / static_cast<float>(atlas.width);
  const float sy = avail.y / static_cast<float>(atlas.height);
  const float s = std::max(0.1f, std::min(sx, sy));
  const ImVec2 size(static_cast<float>(atlas.width) * s, static_cast<float>(atlas.height) * s);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::Image(reinterpret_cast<ImTextureID>(texture), size);
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int cx = static_cast<int>((m.x - at.x) / s) / (atlas.tileW + 1);
    const int cy = static_cast<int>((m.y - at.y) / s) / (atlas.tileH + 1);
    const int unit = cy * atlas.columns + cx;
    if (cx >= 0 && cx < atlas.columns && unit >= 0 && unit < tiles && scale &&
        unit < static_cast<int>(scale->size()))
      ImGui::SetTooltip(tr("weights.unit_tip"), unit + 1,
                        static_cast<double>((*scale)[static_cast<size_t>(unit)]));
  }
}

// How many test images a cell of `space` shows: as many as fit with a caption that shows
// most of a class name (at least 8, at most the kShownPredictions the evaluation predicted).
int testImageCount(const Dataset& set, ImVec2 space) {
  float nameW = 0;
  for (int c = 0; c < static_cast<int>(set.classNames.size()); ++c)
    nameW = std::max(nameW, ImGui::CalcTextSize(className(set, c).c_str()).x);
  const float minTile =
      std::clamp(nameW * 0.8f, 3.0f * ImGui::GetFontSize(), 7.0f * ImGui::GetFontSize());
  const int fitX = std::max(1, static_cast<int>((space.x + 4.0f) / (minTile + 4.0f)));
  const int fitY = std::max(
      1, static_cast<int>((space.y + 4.0f) / (minTile + ImGui::GetTextLineHeight() + 4.0f)));
  return std::clamp(fitX * fitY, std::min(8, set.samples()),
                    std::min(kShownPredictions, set.samples()));
}

void runTestImages(const Snapshot& snap, int index, int count, BoundaryRenderer& renderer) {
  const RunSnapshot& run = snap.runs[static_cast<size_t>(index)];
  const Dataset& set = snap.data->test.samples() > 0 ? snap.data->test : snap.data->train;
  const EvalResult* eval = run.eval.get();
  const bool predicted = eval && static_cast<int>(eval->predicted.size()) >= count;
  int wrong = 0;
  if (predicted)
    for (int i = 0; i < count; ++i)
      wrong += eval->predicted[static_cast<size_t>(i)] != set.y[i] ? 1 : 0;
  char line[256];
  if (predicted) {
    std::snprintf(line, sizeof line, tr("images.summary"), wrong, count, eval->step);
    ImGui::TextDisabled("%s", line);
  } else {
    ImGui::TextDisabled("%s", tr("images.waiting"));
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float caption = ImGui::GetTextLineHeight();
  const float gap = 4.0f;
  const float aspect = static_cast<float>(set.imageWidth) / static_cast<float>(set.imageHeight);
  const int columns = bestColumns(count, aspect, avail.x, avail.y, caption, gap);
  std::uintptr_t texture = 0;
  const TileAtlas& atlas = renderer.imageAtlas(snap.data, count, columns, texture);
  if (!texture || atlas.columns <= 0) return;
  const int rows = (count + columns - 1) / columns;
  const float w = std::max(
      8.0f,
      std::min(
          (avail.x - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns),
          ((avail.y - gap * static_cast<float>(rows - 1)) / static_cast<float>(rows) - caption) *
              aspect));
  const float h = w / aspect;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  for (int i = 0; i < count; ++i) {
    const ImVec2 a(origin.x + static_cast<float>(i % columns) * (w + gap),
                   origin.y + static_cast<float>(i / columns) * (h + caption + gap));
    const auto uv = atlas.uv(i);
    draw->AddImage(reinterpret_cast<ImTextureID>(texture), a, ImVec2(a.x + w, a.y + h),
                   ImVec2(uv[0], uv[1]), ImVec2(uv[2], uv[3]));
    const int truth = set.y[i];
    const int guess = predicted ? eval->predicted[static_cast<size_t>(i)] : -1;
    const bool mistake = predicted && guess != truth;
    if (mistake)
      draw->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(a.x + w + 1, a.y + h + 1), kMistake, 0, 0,
                    2.0f);
    if (predicted) {
      const std::string name = className(set, guess);
      draw->PushClipRect(ImVec2(a.x, a.y + h), ImVec2(a.x + w, a.y + h + caption), true);
      drawText(draw, ImVec2(a.x, a.y + h), mistake ? kMistake : kRight, name.c_str());
      draw->PopClipRect();
    }
    if (ImGui::IsMouseHoveringRect(a, ImVec2(a.x + w, a.y + h + caption)) &&
        ImGui::IsWindowHovered()) {
      const std::string truthName = className(set, truth);
      if (predicted)
        ImGui::SetTooltip(tr("images.tip"), className(set, guess).c_str(), truthName.c_str());
      else
        ImGui::SetTooltip(tr("images.tip_true"), truthName.c_str());
    }
  }
  ImGui::Dummy(ImVec2(avail.x, static_cast<float>(rows) * (h + caption + gap)));
}

void runConfusion(const Snapshot& snap, int index) {
  const RunSnapshot& run = snap.runs[static_cast<size_t>(index)];
  const Dataset& train = snap.data->train;
  const EvalResult* eval = run.eval.get();
  if (!eval || eval->confusion.empty()) {
    ImGui::TextDisabled("%s", train.classes > kMaxConfusionClasses ? tr("confusion.too_many")
                                                                   : tr("images.waiting"));
    return;
  }
  const int k = eval->classes;
  long total = 0, right = 0;
  for (int t = 0; t < k; ++t)
    for (int p = 0; p < k; ++p) {
      const int n = eval->confusion[static_cast<size_t>(t * k + p)];
      total += n;
      if (t == p) right += n;
    }
  char line[256];
  std::snprintf(line, sizeof line,
                tr(eval->detailOnTest ? "confusion.on_test" : "confusion.on_train"), total,
                eval->step,
                total > 0 ? 100.0 * static_cast<double>(right) / static_cast<double>(total) : 0.0);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  wrappedText(line);
  ImGui::PopStyleColor();

  // Row labels "3 Dress", column headers "3", the accuracy of each class on the right.
  std::vector<std::string> rowLabels;
  float labelW = 0;
  for (int c = 0; c < k; ++c) {
    const std::string name = className(train, c);
    rowLabels.push_back(std::to_string(c) + " " + name);
    labelW = std::max(labelW, ImGui::CalcTextSize(rowLabels.back().c_str()).x);
  }
  const char* accuracyTitle = tr("confusion.accuracy");
  const float accW =
      std::max(ImGui::CalcTextSize("100.0%").x, ImGui::CalcTextSize(accuracyTitle).x);
  const float pad = ImGui::GetStyle().ItemSpacing.x;
  const float lineH = ImGui::GetTextLineHeightWithSpacing();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float cell =
      std::max(4.0f, std::min((avail.x - labelW - accW - 2 * pad) / static_cast<float>(k),
                              (avail.y - lineH) / static_cast<float>(k)));
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 grid(origin.x + labelW + pad, origin.y + lineH);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const float digitW = ImGui::CalcTextSize("0").x;
  for (int c = 0; c < k; ++c) {
    const std::string head = std::to_string(c);
    const float tw = ImGui::CalcTextSize(head.c_str()).x;
    if (cell >= tw || c % std::max(1, static_cast<int>(std::ceil(tw / cell))) == 0)
      drawText(draw, ImVec2(grid.x + (static_cast<float>(c) + 0.5f) * cell - tw / 2, origin.y), dim,
               head.c_str());
  }
  drawText(draw, ImVec2(grid.x + static_cast<float>(k) * cell + pad, origin.y), dim, accuracyTitle);
  const bool counts = cell >= 4 * digitW + 4;
  for (int t = 0; t < k; ++t) {
    long rowTotal = 0;
    for (int p = 0; p < k; ++p) rowTotal += eval->confusion[static_cast<size_t>(t * k + p)];
    const float y = grid.y + static_cast<float>(t) * cell;
    const float labelH = ImGui::GetTextLineHeight();
    if (cell >= labelH * 0.8f) {
      const float lw = ImGui::CalcTextSize(rowLabels[static_cast<size_t>(t)].c_str()).x;
      drawText(draw, ImVec2(origin.x + labelW - lw, y + (cell - labelH) / 2), text,
               rowLabels[static_cast<size_t>(t)].c_str());
    }
    for (int p = 0; p < k; ++p) {
      const int n = eval->confusion[static_cast<size_t>(t * k + p)];
      const float share =
          rowTotal > 0 ? static_cast<float>(n) / static_cast<float>(rowTotal) : 0.0f;
      const ImVec2 a(grid.x + static_cast<float>(p) * cell, y);
      const ImVec2 b(a.x + cell - 1, a.y + cell - 1);
      // Right answers in green, mistakes in red, brighter for a larger share of the class.
      const float alpha = n > 0 ? 0.12f + 0.88f * std::sqrt(share) : 0.0f;
      const ImU32 base = t == p ? IM_COL32(70, 170, 90, 255) : IM_COL32(210, 70, 70, 255);
      draw->AddRectFilled(a, b,
                          (base & ~IM_COL32_A_MASK) |
                              (static_cast<ImU32>(std::lround(alpha * 255)) << IM_COL32_A_SHIFT));
      draw->AddRect(a, b, IM_COL32(255, 255, 255, 18));
      if (counts && n > 0) {
        const std::string number = std::to_string(n);
        const ImVec2 sz = ImGui::CalcTextSize(number.c_str());
        if (sz.x <= cell - 2)
          drawText(draw, ImVec2(a.x + (cell - sz.x) / 2, a.y + (cell - sz.y) / 2), text,
                   number.c_str());
      }
      if (ImGui::IsMouseHoveringRect(a, b) && ImGui::IsWindowHovered())
        ImGui::SetTooltip(tr("confusion.tip"), rowLabels[static_cast<size_t>(t)].c_str(),
                          rowLabels[static_cast<size_t>(p)].c_str(), n, 100.0 * share);
    }
    if (cell >= ImGui::GetTextLineHeight() * 0.8f) {
      const float acc = t < static_cast<int>(eval->classAccuracy.size())
                            ? eval->classAccuracy[static_cast<size_t>(t)]
                            : std::nanf("");
      char value[16];
      if (std::isfinite(acc))
        std::snprintf(value, sizeof value, "%.1f%%", 100.0 * static_cast<double>(acc));
      else
        std::snprintf(value, sizeof value, "–");
      drawText(draw,
               ImVec2(grid.x + static_cast<float>(k) * cell + pad,
                      y + (cell - ImGui::GetTextLineHeight()) / 2),
               text, value);
    }
  }
  ImGui::Dummy(ImVec2(labelW + pad + static_cast<float>(k) * cell + pad + accW,
                      lineH + static_cast<float>(k) * cell));
}

}  // namespace

void drawWeightImages(const Snapshot& snap, const UiState&, BoundaryRenderer& renderer) {
  wrappedText(tr("weights.legend"));
  if (snap.runs.empty()) return;
  perRun(snap, "##weights", [&](int r) { runWeights(snap, r, renderer); });
}

void drawTestImages(const Snapshot& snap, const UiState&, BoundaryRenderer& renderer) {
  if (snap.runs.empty()) return;
  const Dataset& set = snap.data->test.samples() > 0 ? snap.data->test : snap.data->train;
  // The legend's lines and, in each cell, the run's label and its summary come off the space.
  const float line = ImGui::GetTextLineHeightWithSpacing();
  ImVec2 space = ImGui::GetContentRegionAvail();
  space.y -= 2.6f * line;
  RunCells cells = runCells(snap, space);
  cells.cell.y -= (cells.count > 1 ? 2.0f : 1.0f) * line;
  const int count = testImageCount(set, cells.cell);
  char legend[256];
  std::snprintf(legend, sizeof legend, tr("images.legend"), count);
  wrappedText(legend);
  perRun(snap, "##test-images", [&](int r) { runTestImages(snap, r, count, renderer); });
}

void drawConfusionMatrix(const Snapshot& snap, const UiState&) {
  wrappedText(tr("confusion.legend"));
  if (const std::string coverage = evalCoverage(snap); !coverage.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    wrappedText(coverage);
    ImGui::PopStyleColor();
  }
  if (snap.runs.empty()) return;
  perRun(snap, "##confusion", [&](int r) { runConfusion(snap, r); });
}

}  // namespace gradscope::ui
