// Theme and fonts.
#include "ui/theme.h"

#include <imgui.h>

#include <array>
#include <filesystem>

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
  const ImVec4 bg(0.105f, 0.115f, 0.135f, 1.0f);
  c[ImGuiCol_WindowBg] = bg;
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

FontReport loadFonts(float scale, const std::string& koreanText) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  FontReport report;
  std::error_code ec;
  static constexpr std::array<const char*, 3> latin{
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
      "/usr/share/fonts/dejavu/DejaVuSans.ttf",
      "/usr/local/share/fonts/DejaVuSans.ttf",
  };
  static constexpr std::array<const char*, 4> hangul{
      "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
      "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
      "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
      "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
  };
  // Latin, Greek (σ α β λ Φ), punctuation (− ‖ …), super/subscripts, arrows, math (√ ≤ ∘ ∑).
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2000, 0x206F, 0x2070, 0x209F,
                                   0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
  const float size = 15.0f * scale;
  for (const char* path : latin) {
    if (!std::filesystem::exists(path, ec)) continue;
    if (io.Fonts->AddFontFromFileTTF(path, size, nullptr, ranges)) {
      report.description = path;
      break;
    }
  }
  if (report.description.empty()) {
    ImFontConfig cfg;
    cfg.SizePixels = 13.0f * scale;
    io.Fonts->AddFontDefault(&cfg);
    report.description = "ImGui's built-in font (DejaVu Sans not found; install fonts-dejavu-core)";
  }
  // Only the Hangul glyphs the texts use: a full syllable range (11,172 glyphs) would make the
  // atlas large and the start slow.
  static ImVector<ImWchar> hangulRanges;
  hangulRanges.clear();
  ImFontGlyphRangesBuilder builder;
  builder.AddText(koreanText.c_str());
  builder.AddText("한국어");
  builder.BuildRanges(&hangulRanges);
  for (const char* path : hangul) {
    if (!std::filesystem::exists(path, ec)) continue;
    ImFontConfig merge;
    merge.MergeMode = true;
    if (io.Fonts->AddFontFromFileTTF(path, size, &merge, hangulRanges.Data)) {
      report.hangul = true;
      report.description += std::string(" + ") + path;
      break;
    }
  }
  return report;
}

}  // namespace gradscope::ui
