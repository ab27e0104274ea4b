// Does every text fit where it is drawn? Each text the app draws is compared with the
// rectangle it is clipped to: texts drawn straight into a draw list (plot ticks and labels,
// legends, map captions) through drawText, and widgets and text lines through their window's
// content extent at the end of the frame. What reaches past its clip rectangle is listed
// (--state-file "clipped"), so that a test can open the window at any size and expect none.
// Auditing is off unless switched on (it measures every text once more).
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

namespace gradscope::ui {

struct ClippedText {
  std::string window;  // the ImGui window it is drawn in
  std::string text;    // the text, or what of the window's content overflows
  float pixels = 0;    // how far it reaches past its clip rectangle
};

void setTextAudit(bool on);
bool textAudit();

// ImDrawList::AddText, noting the text when it reaches past the draw list's clip rectangle.
void drawText(ImDrawList* dl, ImVec2 pos, ImU32 color, const char* text,
              const char* textEnd = nullptr);
// Notes a text that occupies [min, max] when it reaches past `clip` (x0, y0, x1, y1), drawn in
// the current window. A text outside a scrolling window's view is scrolled away, not clipped.
void noteText(const char* text, const char* textEnd, ImVec2 min, ImVec2 max, ImVec4 clip);

// Notes the last item (a widget labelled `label`) when it reaches past the current clip
// rectangle: for places the window check below cannot see (the main menu bar).
void noteLastItem(const char* label);

// Before ImGui::Render: checks every window drawn this frame (its items' extent against its
// clip rectangle: a widget, label or text line too wide, or too tall for a window that cannot
// scroll) and returns this frame's list, starting the next one empty.
std::vector<ClippedText> takeClippedTexts();

// The part that needs no window: how far [lo, hi] reaches past [clipLo, clipHi]; 0 inside.
float overhang(float lo, float hi, float clipLo, float clipHi);

}  // namespace gradscope::ui
