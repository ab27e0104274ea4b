// The calm dark theme and the UI font, scaled for the window's content scale (HiDPI).
#pragma once

#include <string>

namespace gradscope::ui {

void applyTheme(float scale);
struct FontReport {
  std::string description;  // which fonts were loaded, for the log
  bool hangul = false;      // a Hangul-capable font is merged in: Korean can be shown
};

// Loads a readable system font (DejaVu Sans) at 15 px × scale, with the Greek and math glyphs
// the formulas use, and merges a Hangul font (Nanum Gothic or Noto Sans CJK) for the glyphs
// of `koreanText`; falls back to ImGui's built-in font.
FontReport loadFonts(float scale, const std::string& koreanText);

}  // namespace gradscope::ui
