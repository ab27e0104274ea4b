// The calm dark theme and the UI font, scaled for the window's content scale (HiDPI).
#pragma once

#include <string>

namespace gradscope::ui {

void applyTheme(float scale);
// Loads a readable system font (DejaVu Sans) at 15 px × scale, with the Greek and math glyphs
// the formulas use; falls back to ImGui's built-in font. Returns a description for the log.
std::string loadFonts(float scale);

}  // namespace gradscope::ui
