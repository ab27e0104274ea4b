// The toast message.
#include "ui/toast.h"

#include <imgui.h>

#include <utility>

namespace gradscope::ui {

void Toast::show(std::string text, bool error) {
  m_text = std::move(text);
  m_until = Clock::now() + std::chrono::seconds(error ? 8 : 5);
  m_error = error;
}

std::string Toast::current() const { return Clock::now() < m_until ? m_text : std::string(); }

void Toast::draw(float statusHeight) const {
  m_drawn = !m_text.empty() && Clock::now() < m_until;
  if (!m_drawn) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - 16,
                                 vp->WorkPos.y + vp->WorkSize.y - statusHeight - 16),
                          ImGuiCond_Always, ImVec2(1, 1));
  ImGui::SetNextWindowBgAlpha(0.94f);
  if (ImGui::Begin("##toast", nullptr,
                   ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                       ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                       ImGuiWindowFlags_NoNav)) {
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
    ImGui::TextColored(m_error ? ImVec4(1, 0.55f, 0.5f, 1) : ImVec4(0.7f, 0.95f, 0.7f, 1), "%s",
                       m_text.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

}  // namespace gradscope::ui
