// The activation panel: f(x) and f'(x) of the chosen activation, others optionally overlaid,
// the maximum of f' marked and the saturated regions (f' < 1% of its maximum) shaded.
#pragma once

#include "ui/ui_state.h"

namespace gradscope::ui {

void drawActivationPanel(UiState& state);

}  // namespace gradscope::ui
