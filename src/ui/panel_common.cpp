// Colours and small helpers every panel shares.
#include <algorithm>

#include "ui/panels.h"
#include "ui/plot.h"

namespace gradscope::ui {

ImU32 layerColor(int layer, int layers) {
  // Skip viridis' darkest stretch: it vanishes on the dark background.
  const double t = layers > 1 ? static_cast<double>(layer) / (layers - 1) : 1.0;
  return plot::colormap(plot::Colormap::Viridis, 0.18 + 0.82 * std::clamp(t, 0.0, 1.0));
}

ImU32 runColor(int run) {
  static constexpr ImU32 colors[] = {IM_COL32(240, 134, 62, 255), IM_COL32(94, 156, 236, 255),
                                     IM_COL32(96, 196, 120, 255), IM_COL32(226, 110, 200, 255)};
  return colors[static_cast<size_t>(run) % 4];
}

void tooltip(const char* text) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

std::string groupThousands(long v) {
  const std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  if (v < 0) out.insert(out.begin(), '-');
  return out;
}

}  // namespace gradscope::ui
