// The calm dark theme, scaled for the window's content scale (HiDPI).
#pragma once

namespace gradscope::ui {

void applyTheme(float scale);

// The panels' background. The framebuffer is cleared to it and the panels' windows draw no
// background of their own: a software renderer (llvmpipe) would otherwise blend a whole
// extra layer of pixels every frame, a third of its time at 1600×1000.
struct Rgb {
  float r, g, b;
};
inline constexpr Rgb kBackground{0.105f, 0.115f, 0.135f};

}  // namespace gradscope::ui
