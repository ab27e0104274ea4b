// The text-fit audit (see text_fit.h).
#include "ui/text_fit.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>

namespace gradscope::ui {
namespace {

bool g_audit = false;
std::vector<ClippedText> g_clipped;  // UI thread only

// Sub-pixel overhangs are rounding, not clipping: a glyph's ink ends before its advance.
constexpr float kTolerance = 1.0f;

bool scrollsVertically(const ImGuiWindow* w) {
  return w->ScrollMax.y > 0 || (w->Flags & ImGuiWindowFlags_AlwaysVerticalScrollbar);
}

}  // namespace

void setTextAudit(bool on) { g_audit = on; }
bool textAudit() { return g_audit; }

float overhang(float lo, float hi, float clipLo, float clipHi) {
  return std::max({0.0f, clipLo - lo, hi - clipHi});
}

void noteText(const char* text, const char* textEnd, ImVec2 min, ImVec2 max, ImVec4 clip) {
  if (!g_audit) return;
  const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
  const bool scrolls = w && scrollsVertically(w);
  const bool rowVisible = max.y > clip.y && min.y < clip.w;
  float over = 0;
  if (rowVisible || !scrolls) over = overhang(min.x, max.x, clip.x, clip.z);
  // Above or below a scrolling window's view is scrolled away; within it, cut by an inner
  // clip rectangle (a chart's), it is clipped.
  const bool inView = w && min.y >= w->ClipRect.Min.y && max.y <= w->ClipRect.Max.y;
  if (!scrolls || inView) over = std::max(over, overhang(min.y, max.y, clip.y, clip.w));
  if (over <= kTolerance) return;
  g_clipped.push_back(
      {w ? w->Name : "", textEnd ? std::string(text, textEnd) : std::string(text), over});
}

void drawText(ImDrawList* dl, ImVec2 pos, ImU32 color, const char* text, const char* textEnd) {
  if (g_audit) {
    const ImVec2 size = ImGui::CalcTextSize(text, textEnd);
    const ImVec4 clip =
        dl->_ClipRectStack.empty() ? dl->_Data->ClipRectFullscreen : dl->_ClipRectStack.back();
    noteText(text, textEnd, pos, ImVec2(pos.x + size.x, pos.y + size.y), clip);
  }
  dl->AddText(pos, color, text, textEnd);
}

void noteLastItem(const char* label) {
  if (!g_audit) return;
  noteText(label, nullptr, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
           ImGui::GetWindowDrawList()->_ClipRectStack.back());
}

std::vector<ClippedText> takeClippedTexts() {
  std::vector<ClippedText> out;
  out.swap(g_clipped);
  if (!g_audit) return out;
  const ImGuiContext& g = *GImGui;
  for (const ImGuiWindow* w : g.Windows) {
    if (!w->Active || w->Hidden || w->SkipItems) continue;
    if (w->Flags & (ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_Popup)) continue;  // fit to text
    // A menu bar lays its items out in a layer of its own, outside the window's content
    // extent; its items are noted one by one (noteLastItem).
    if (w->Flags & ImGuiWindowFlags_MenuBar) continue;
    // The items' extent (ItemSize of every widget and text line) against the rectangle the
    // window clips them to.
    const ImRect& clip = w->InnerClipRect;
    const float right = w->DC.CursorMaxPos.x - clip.Max.x;
    const bool horizontalScroll = w->ScrollbarX;
    char what[96];
    if (right > kTolerance && !horizontalScroll) {
      std::snprintf(what, sizeof what, "items %.0f px wider than the window", right);
      out.push_back({w->Name, what, right});
    }
    const float below = w->DC.CursorMaxPos.y - clip.Max.y;
    if (below > kTolerance && !scrollsVertically(w) && (w->Flags & ImGuiWindowFlags_NoScrollbar)) {
      std::snprintf(what, sizeof what, "items %.0f px taller than the window", below);
      out.push_back({w->Name, what, below});
    }
  }
  return out;
}

}  // namespace gradscope::ui
