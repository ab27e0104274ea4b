// The calm dark theme, scaled for the window's content scale (HiDPI).
#pragma once

namespace gradscope::ui {

void applyTheme(float scale);

}  // namespace gradscope::ui
