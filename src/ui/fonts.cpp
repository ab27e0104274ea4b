// The UI font (see fonts.h).
#include "ui/fonts.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "ui/i18n.h"

namespace gradscope::ui {

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

std::string koreanGlyphText(const std::vector<Lesson>& koreanLessons) {
  std::string korean = koreanText();
  for (const Lesson& l : koreanLessons) korean += l.title + l.body + l.watch + l.tryNextLabel;
  return korean;
}

int missingGlyphs(const std::string& text) {
  ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
  if (!font) return 0;
  ImGui::GetIO().Fonts->Build();
  std::vector<unsigned> seen;
  const char* p = text.c_str();
  const char* end = p + text.size();
  while (p < end) {
    unsigned c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    if (n <= 0) break;
    p += n;
    if (c < 0x80 || std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
    seen.push_back(c);
  }
  int missing = 0;
  for (unsigned c : seen) missing += font->FindGlyphNoFallback(static_cast<ImWchar>(c)) == nullptr;
  return missing;
}

}  // namespace gradscope::ui
