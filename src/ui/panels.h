// One function per panel, each drawing from the Snapshot only and sending commands through
// UiState (see DESIGN.md: panels never reach into the trainer or the network).
#pragma once

#include <imgui.h>

#include <string>

#include "train/snapshot.h"
#include "ui/ui_state.h"

namespace gradscope::ui {

class BoundaryRenderer;

void drawControlsPanel(const Snapshot& snap, UiState& state);
void drawActivationPanel(const Snapshot& snap, UiState& state);
void drawGradientPanel(const Snapshot& snap, UiState& state);
void drawNeuronPanel(const Snapshot& snap, UiState& state);
void drawLossPanel(const Snapshot& snap, UiState& state);
void drawBoundaryPanel(const Snapshot& snap, UiState& state, BoundaryRenderer& renderer);
void drawStatusBar(const Snapshot& snap, const UiState& state, float frameMs);

// Shared look: the colour of layer l of L (a sequential map: input side dark, output bright)
// and the colour of run r.
ImU32 layerColor(int layer, int layers);
ImU32 runColor(int run);
// A wrapped tooltip on the last item.
void tooltip(const char* text);
// 12345678 → "12,345,678".
std::string groupThousands(long value);

}  // namespace gradscope::ui
