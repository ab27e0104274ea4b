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

namespace gradscope::ui {
namespace {

void costChart(const Snapshot& snap, UiState& state) {
  // Measured once when the lesson is first shown; again on request.
  if (!snap.activationCosts && !state.costsRequested)
    state.send(cmd::MeasureActivationCosts{}), state.costsRequested = true;
  const std::string measure =
      std::string(tr(snap.activationCosts ? "lesson.measure_again" : "lesson.measuring")) +
      "###measure";
  if (ImGui::Button(measure.c_str())) state.send(cmd::MeasureActivationCosts{});
  tooltip(tr("tip.measure_cost"));
  if (!snap.activationCosts) return;
  // One row per activation: name, a bar proportional to its cost, the value. Sigmoid and tanh
  // (exp) in orange, ReLU (a comparison) in blue.
  const auto& costs = *snap.activationCosts;
  double top = 0;
  for (const auto& c : costs) top = std::max(top, c.nsPerElement);
  ImGui::TextDisabled("%s", tr("lesson.cost_key"));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float nameW = ImGui::GetFontSize() * 7.5f, valueW = ImGui::GetFontSize() * 4.0f;
  const float barW = std::max(ImGui::GetContentRegionAvail().x - nameW - valueW, 20.0f);
  const float h = ImGui::GetTextLineHeight();
  for (const auto& c : costs) {
    const Activation a = c.activation;
    const bool exp = a == Activation::Sigmoid || a == Activation::Tanh;
    const ImU32 color = a == Activation::ReLU ? runColor(1)
                        : exp                 ? runColor(0)
                                              : IM_COL32(150, 160, 180, 200);
    ImGui::TextUnformatted(std::string(activationInfo(a).name).c_str());
    ImGui::SameLine(nameW);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float w = top > 0 ? static_cast<float>(c.nsPerElement / top) * barW : 0.0f;
    dl->AddRectFilled(ImVec2(p.x, p.y + h * 0.15f),
                      ImVec2(p.x + std::max(w, 1.0f), p.y + h * 0.85f), color);
    ImGui::Dummy(ImVec2(barW, h));
    ImGui::SameLine();
    ImGui::Text("%.2f", c.nsPerElement);
  }
}

// When the session in the window is not the lesson shown (its settings were changed, another
// preset or another lesson was opened), says so: the text describes what its preset shows.
void sessionNote(const Snapshot& snap, UiState& state, const LessonBook& book,
                 const std::vector<Lesson>& lessons) {
  const auto selected = static_cast<size_t>(state.selectedLesson);
  if (selected >= book.sessions.size() || book.sessions[selected].empty() ||
      sessionIsLesson(snap.config, book.sessions[selected]))
    return;
  std::string other;  // the lesson the session is, if any
  for (size_t i = 0; i < book.sessions.size() && i < lessons.size() && other.empty(); ++i)
    if (i != selected && sessionIsLesson(snap.config, book.sessions[i]))
      other = lessonNumber(lessons[i]);
  const std::string number = lessonNumber(lessons[selected]);
  char text[512];
  if (other.empty())
    std::snprintf(text, sizeof text, tr("lesson.session_changed"), number.c_str());
  else
    std::snprintf(text, sizeof text, tr("lesson.session_other"), other.c_str(), number.c_str());
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.98f, 0.78f, 0.35f, 1.0f));
  wrappedText(text);
  ImGui::PopStyleColor();
  rememberItem(state, "lesson_session_note");
}

}  // namespace

void drawLessonsPanel(const Snapshot& snap, UiState& state, const LessonBook& book) {
  const auto& lessons =
      book.lessons[state.language == Language::Korean && !book.lessons[1].empty() ? 1 : 0];
  if (lessons.empty()) {
    ImGui::TextWrapped(tr("lesson.none"), book.error.c_str());
    return;
  }
  state.selectedLesson = std::clamp(state.selectedLesson, 0, static_cast<int>(lessons.size()) - 1);
  ImGui::SetNextItemWidth(-1);
  const auto numbered = [](const Lesson& l) { return lessonNumber(l) + " · " + l.title; };
  // The preview cut at a word where the column is narrow (the full title in the list).
  const std::string title = numbered(lessons[static_cast<size_t>(state.selectedLesson)]);
  const float previewWidth = ImGui::GetContentRegionAvail().x - ImGui::GetFrameHeight() -
                             ImGui::GetStyle().FramePadding.x * 2;
  const std::string preview = fitWords(
      title, previewWidth, [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; });
  if (ImGui::BeginCombo("##lesson", preview.c_str())) {
    for (size_t i = 0; i < lessons.size(); ++i)
      if (ImGui::Selectable(numbered(lessons[i]).c_str(),
                            static_cast<int>(i) == state.selectedLesson))
        state.selectedLesson = static_cast<int>(i);
    ImGui::EndCombo();
  }
  if (preview != title) tooltip(title.c_str());
  rememberItem(state, "lesson_combo");
  const Lesson& lesson = lessons[static_cast<size_t>(state.selectedLesson)];
  if (ImGui::Button(trId("lesson.open").c_str(), ImVec2(-1, 0))) state.openPreset = lesson.preset;
  rememberItem(state, "lesson_open");
  sessionNote(snap, state, book, lessons);
  ImGui::Spacing();
  wrappedText(lesson.body);
  ImGui::Spacing();
  ImGui::TextDisabled("%s", tr("lesson.watch"));
  wrappedText(lesson.watch);
  ImGui::Spacing();
  if (!lesson.tryNextLabel.empty()) {
    ImGui::TextDisabled("%s", tr("lesson.try_next"));
    if (ImGui::Button((lesson.tryNextLabel + "###try_next").c_str())) {
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
