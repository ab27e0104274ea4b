// The theme.
#include "ui/theme.h"

#include <imgui.h>

namespace gradscope::ui {

void applyTheme(float scale) {
  ImGui::StyleColorsDark();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 4.0f;
  s.FrameRounding = 3.0f;
  s.GrabRounding = 3.0f;
  s.TabRounding = 3.0f;
  s.WindowBorderSize = 1.0f;
  s.FramePadding = ImVec2(6, 4);
  s.ItemSpacing = ImVec2(8, 6);
  s.WindowPadding = ImVec2(10, 8);
  auto* c = s.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(kBackground.r, kBackground.g, kBackground.b, 0.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.125f, 0.135f, 0.155f, 1.0f);
  c[ImGuiCol_PopupBg] = ImVec4(0.13f, 0.14f, 0.16f, 0.97f);
  c[ImGuiCol_Border] = ImVec4(0.22f, 0.24f, 0.28f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.175f, 0.20f, 1.0f);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.21f, 0.23f, 0.27f, 1.0f);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.24f, 0.27f, 0.32f, 1.0f);
  c[ImGuiCol_TitleBg] = ImVec4(0.085f, 0.09f, 0.105f, 1.0f);
  c[ImGuiCol_TitleBgActive] = ImVec4(0.12f, 0.14f, 0.18f, 1.0f);
  c[ImGuiCol_MenuBarBg] = ImVec4(0.09f, 0.095f, 0.11f, 1.0f);
  const ImVec4 accent(0.33f, 0.55f, 0.85f, 1.0f);
  c[ImGuiCol_CheckMark] = accent;
  c[ImGuiCol_SliderGrab] = ImVec4(0.33f, 0.55f, 0.85f, 0.85f);
  c[ImGuiCol_SliderGrabActive] = accent;
  c[ImGuiCol_Button] = ImVec4(0.20f, 0.25f, 0.33f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.26f, 0.34f, 0.46f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.30f, 0.42f, 0.60f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.22f, 0.30f, 0.42f, 0.8f);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.26f, 0.36f, 0.50f, 0.9f);
  c[ImGuiCol_HeaderActive] = ImVec4(0.30f, 0.42f, 0.60f, 1.0f);
  c[ImGuiCol_Text] = ImVec4(0.88f, 0.90f, 0.93f, 1.0f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.55f, 0.58f, 0.63f, 1.0f);
  s.ScaleAllSizes(scale);
}

}  // namespace gradscope::ui
