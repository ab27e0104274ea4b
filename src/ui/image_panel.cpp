// Views for data that is not a plane: the first layer's weights as images (one tile per
// unit, diverging colours), test images with the predicted class (mistakes framed red), and
// the confusion matrix of any multi-class set. The boundary panel picks which of these fit.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "ui/boundary_renderer.h"
#include "ui/i18n.h"
#include "ui/panels.h"
#include "ui/text_fit.h"

namespace gradscope::ui {

const TileAtlas& BoundaryRenderer::weightAtlas(
    const std::shared_ptr<const Eigen::MatrixXf>& weights, int tileW, int tileH, int columns,
    double now, double minInterval, std::uintptr_t& texture, const std::vector<float>*& scale) {
  const bool layout = m_weightAtlas.columns != columns || m_weightAtlas.tileW != tileW ||
                      m_weightAtlas.tileH != tileH ||
                      (weights && m_weightsShown && weights->rows() != m_weightsShown->rows());
  // Copying and uploading ~100 k weights costs little, but several times a second is all a
  // learner can follow.
  if (weights && weights != m_weightsShown && (layout || now - m_weightsTime >= minInterval)) {
    weightTiles(*weights, tileW, tileH, columns, m_weightAtlas, m_weightScale);
    m_weightTexture.upload(m_weightAtlas.rgba.data(), m_weightAtlas.width, m_weightAtlas.height);
    m_weightsShown = weights;
    m_weightsTime = now;
  }
  texture = m_weightsShown ? m_weightTexture.id() : 0;
  scale = &m_weightScale;
  return m_weightAtlas;
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

const RunSnapshot* shownRun(const Snapshot& snap, const UiState& state) {
  if (snap.runs.empty()) return nullptr;
  const int r = std::clamp(state.selectedRun, 0, static_cast<int>(snap.runs.size()) - 1);
  const RunSnapshot& run = snap.runs[static_cast<size_t>(r)];
  if (snap.runs.size() > 1)
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(runColor(r)), "%s", run.label.c_str());
  return &run;
}

const ImU32 kMistake = IM_COL32(235, 80, 80, 255);
const ImU32 kRight = IM_COL32(120, 200, 130, 255);

}  // namespace

void drawWeightImages(const Snapshot& snap, const UiState& state, BoundaryRenderer& renderer) {
  const RunSnapshot* run = shownRun(snap, state);
  const Dataset& train = snap.data->train;
  wrappedText(tr("weights.legend"));
  if (!run || !run->inputWeights) {
    ImGui::TextDisabled("%s", tr("weights.none"));
    return;
  }
  const Eigen::MatrixXf& W = *run->inputWeights;
  const int tiles = static_cast<int>(W.rows());
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = 2.0f;
  const float aspect = static_cast<float>(train.imageWidth) / static_cast<float>(train.imageHeight);
  const int columns = bestColumns(tiles, aspect, avail.x, avail.y, 0.0f, gap);
  std::uintptr_t texture = 0;
  const std::vector<float>* scale = nullptr;
  const TileAtlas& atlas =
      renderer.weightAtlas(run->inputWeights, train.imageWidth, train.imageHeight, columns,
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

void drawTestImages(const Snapshot& snap, const UiState& state, BoundaryRenderer& renderer) {
  const RunSnapshot* run = shownRun(snap, state);
  const Dataset& set = snap.data->test.samples() > 0 ? snap.data->test : snap.data->train;
  const EvalResult* eval = run ? run->eval.get() : nullptr;
  // As many images as fit with a caption that shows most of a class name (at most the
  // kShownPredictions the evaluation predicted).
  float nameW = 0;
  for (const auto& name : set.classNames)
    nameW = std::max(nameW, ImGui::CalcTextSize(name.c_str()).x);
  const float minTile =
      std::clamp(nameW * 0.8f, 3.0f * ImGui::GetFontSize(), 7.0f * ImGui::GetFontSize());
  const ImVec2 space = ImGui::GetContentRegionAvail();
  const float lines = 3.6f * ImGui::GetTextLineHeightWithSpacing();  // the legend above
  const int fitX = std::max(1, static_cast<int>((space.x + 4.0f) / (minTile + 4.0f)));
  const int fitY = std::max(1, static_cast<int>((space.y - lines + 4.0f) /
                                                (minTile + ImGui::GetTextLineHeight() + 4.0f)));
  const int count = std::clamp(fitX * fitY, std::min(8, set.samples()),
                               std::min(kShownPredictions, set.samples()));
  const bool predicted = eval && static_cast<int>(eval->predicted.size()) >= count;
  int wrong = 0;
  if (predicted)
    for (int i = 0; i < count; ++i)
      wrong += eval->predicted[static_cast<size_t>(i)] != set.y[i] ? 1 : 0;
  char line[256];
  std::snprintf(line, sizeof line, tr("images.legend"), count);
  wrappedText(line);
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
      const std::string& name = set.classNames[static_cast<size_t>(guess)];
      draw->PushClipRect(ImVec2(a.x, a.y + h), ImVec2(a.x + w, a.y + h + caption), true);
      drawText(draw, ImVec2(a.x, a.y + h), mistake ? kMistake : kRight, name.c_str());
      draw->PopClipRect();
    }
    if (ImGui::IsMouseHoveringRect(a, ImVec2(a.x + w, a.y + h + caption)) &&
        ImGui::IsWindowHovered()) {
      const std::string& truthName = set.classNames[static_cast<size_t>(truth)];
      if (predicted)
        ImGui::SetTooltip(tr("images.tip"), set.classNames[static_cast<size_t>(guess)].c_str(),
                          truthName.c_str());
      else
        ImGui::SetTooltip(tr("images.tip_true"), truthName.c_str());
    }
  }
  ImGui::Dummy(ImVec2(avail.x, static_cast<float>(rows) * (h + caption + gap)));
}

void drawConfusionMatrix(const Snapshot& snap, const UiState& state) {
  const RunSnapshot* run = shownRun(snap, state);
  const Dataset& train = snap.data->train;
  const EvalResult* eval = run ? run->eval.get() : nullptr;
  wrappedText(tr("confusion.legend"));
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
  ImGui::TextDisabled("%s", line);

  // Row labels "3 Dress", column headers "3", the accuracy of each class on the right.
  std::vector<std::string> rowLabels;
  float labelW = 0;
  for (int c = 0; c < k; ++c) {
    const std::string name = c < static_cast<int>(train.classNames.size())
                                 ? train.classNames[static_cast<size_t>(c)]
                                 : std::to_string(c);
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

}  // namespace gradscope::ui
