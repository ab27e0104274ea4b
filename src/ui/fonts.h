// The UI font: a readable system font with the Greek and math glyphs the formulas use, and
// a Hangul font merged in for the Korean texts; and a check of which Korean glyphs it lacks.
#pragma once

#include <string>
#include <vector>

#include "train/lesson.h"

namespace gradscope::ui {

struct FontReport {
  std::string description;  // which fonts were loaded, for the log
  bool hangul = false;      // a Hangul-capable font is merged in: Korean can be shown
};

// Loads a readable system font (DejaVu Sans) at 15 px × scale, with the Greek and math glyphs
// the formulas use, and merges a Hangul font (Nanum Gothic or Noto Sans CJK) for the glyphs
// of `koreanText`; falls back to ImGui's built-in font.
FontReport loadFonts(float scale, const std::string& koreanText);

// Every Korean text the app can show: the translation table's and the Korean lessons'.
std::string koreanGlyphText(const std::vector<Lesson>& koreanLessons);

// How many distinct characters of `text` the loaded font would draw as its fallback box.
int missingGlyphs(const std::string& text);

}  // namespace gradscope::ui
