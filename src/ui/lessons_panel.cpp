// Lessons: the classic experiments of the course material one click away, in English or
// Korean — the text, what to watch, the experiment's preset, and a "try next" change; lesson 9
// adds a live bar chart of each activation's cost per element on this machine.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "train/config_json.h"
#include "train/lesson.h"
#include "ui/i18n.h"
#include "ui/panels.h"
#include "ui/plot.h"

namespace gradscope::ui {
namespace {

void costChart(const Snapshot& snap, UiState& state) {
  if (ImGui::Button(snap.activationCosts ? "Measure again" : "Measure on this machine")) state.send(cmd::MeasureActivationCosts{});
  tooltip(tr("tip.measure_cost"));
  if (!snap.activationCosts) return;
  const auto& costs = *snap.activationCosts;
  std::vector<double> xs, ys;
  for (size_t i = 0; i < costs.size(); ++i) xs.push_back(static_cast<double>(i)), ys.push_back(costs[i].nsPerElement);
  const float h = std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeight() * 12);
  if (plot::begin("ns per element##cost", ImVec2(-1, h), plot::PlotFlags::NoLegend)) {
    plot::setupAxis(plot::Axis::X, "", plot::AxisFlags::NoTickLabels);
    plot::setupAxis(plot::Axis::Y, "ns per element", plot::AxisFlags::AutoFit);
    plot::setupAxisLimits(plot::Axis::X, -0.6, costs.size() - 0.4, plot::Cond::Always);
    double top = 0;
    for (double y : ys) top = std::max(top, y);
    plot::setupAxisLimits(plot::Axis::Y, 0, top * 1.25, plot::Cond::Always);
    for (size_t i = 0; i < costs.size(); ++i) {
      const Activation a = costs[i].activation;
      const bool exp = a == Activation::Sigmoid || a == Activation::Tanh;
      const ImU32 c = a == Activation::ReLU ? runColor(1) : exp ? runColor(0) : IM_COL32(150, 160, 180, 200);
      plot::bars("##bar", &xs[i], &ys[i], 1, 0.7, 0.0, c);
      char label[64];
      std::snprintf(label, sizeof label, "%s %.2f", std::string(activationInfo(a).name).c_str(), ys[i]);
      plot::text(xs[i], ys[i], label, ImGui::GetColorU32(ImGuiCol_Text), ImVec2(-18, -ImGui::GetTextLineHeight() - 2));
    }
    plot::end();
  }
}

}  // namespace

void drawLessonsPanel(const Snapshot& snap, UiState& state, const LessonBook& book) {
  const auto& lessons = book.lessons[state.language == Language::Korean && !book.lessons[1].empty() ? 1 : 0];
  if (lessons.empty()) {
    ImGui::TextWrapped("No lessons found: %s", book.error.c_str());
    return;
  }
  state.selectedLesson = std::clamp(state.selectedLesson, 0, static_cast<int>(lessons.size()) - 1);
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##lesson", lessons[static_cast<size_t>(state.selectedLesson)].title.c_str())) {
    for (size_t i = 0; i < lessons.size(); ++i)
      if (ImGui::Selectable(lessons[i].title.c_str(), static_cast<int>(i) == state.selectedLesson))
        state.selectedLesson = static_cast<int>(i);
    ImGui::EndCombo();
  }
  const Lesson& lesson = lessons[static_cast<size_t>(state.selectedLesson)];
  if (ImGui::Button(tr("lesson.open"), ImVec2(-1, 0))) state.openPreset = lesson.preset;
  ImGui::Spacing();
  wrappedText(lesson.body);
  ImGui::Spacing();
  ImGui::TextDisabled("%s", tr("lesson.watch"));
  wrappedText(lesson.watch);
  ImGui::Spacing();
  if (!lesson.tryNextLabel.empty()) {
    ImGui::TextDisabled("%s", tr("lesson.try_next"));
    if (ImGui::Button(lesson.tryNextLabel.c_str())) {
      try {
        state.edit = applyTryNext(snap.config, lesson);
        state.changed();
      } catch (const std::exception& e) {
        state.error = e.what();
      }
    }
  }
  ImGui::Spacing();
  if (lesson.id.rfind("09", 0) == 0) costChart(snap, state);
}

}  // namespace gradscope::ui
