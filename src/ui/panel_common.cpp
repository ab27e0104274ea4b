// Colours and small helpers every panel shares.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "ui/i18n.h"
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

ImU32 runColor(const RunSnapshot& run, int index) {
  return run.state == RunState::Diverged ? staleColor(runColor(index)) : runColor(index);
}

plot::LineStyle runLine(const RunSnapshot& run, int index, float thickness, plot::Pattern pattern) {
  return {runColor(run, index), thickness, pattern, run.state != RunState::Diverged};
}

void stepAxis(const Snapshot& snap) {
  long step = 0;
  for (const auto& r : snap.runs) step = std::max(step, r.step);
  const long horizon = snap.config.view.horizon;
  if (horizon > 0 && step <= horizon) {
    plot::setupAxis(plot::Axis::X, tr("gradient.step"));
    plot::setupAxisLimits(plot::Axis::X, 0, static_cast<double>(horizon), plot::Cond::Always);
  } else {
    plot::setupAxis(plot::Axis::X, tr("gradient.step"), plot::AxisFlags::AutoFit);
  }
}

void seriesLine(const char* label, const SeriesData& series, const plot::LineStyle& style) {
  const plot::Getter getter = [](const void* data, int i) {
    const auto& s = *static_cast<const SeriesData*>(data);
    return plot::Point{s.x(i), s.y(i)};
  };
  plot::lineG(label, getter, &series, series.size(), style);
}

void smoothSeries(const SeriesData& series, double weight, bool logDomain, float pixels,
                  std::vector<float>& outX, std::vector<float>& outY) {
  static std::vector<float> xs, ys;  // UI thread only
  series.copyTo(xs, ys);
  plot::smoothForDisplay(xs.data(), ys.data(), series.size(), weight, logDomain, pixels, outX,
                         outY);
}

void tooltip(const char* text) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void rememberItem(UiState& state, const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  state.itemRects.insert_or_assign(name, std::array<float, 4>{a.x, a.y, b.x - a.x, b.y - a.y});
}

std::vector<std::string> wrapLines(const std::string& text, float width,
                                   float (*measure)(const std::string&)) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    const std::string paragraph =
        text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    std::string line;
    size_t i = 0;
    while (i < paragraph.size()) {
      const size_t space = paragraph.find(' ', i);
      const std::string word =
          paragraph.substr(i, space == std::string::npos ? std::string::npos : space - i);
      const std::string candidate = line.empty() ? word : line + " " + word;
      if (!line.empty() && measure(candidate) > width) {
        lines.push_back(line);
        line = word;
      } else {
        line = candidate;
      }
      if (space == std::string::npos) break;
      i = space + 1;
    }
    lines.push_back(line);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return lines;
}

void wrappedText(const std::string& text) {
  const float width = ImGui::GetContentRegionAvail().x;
  for (const auto& line : wrapLines(
           text, width, [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; }))
    ImGui::TextUnformatted(line.c_str());
}

std::string evalCoverage(const Snapshot& snap) {
  if (!snap.data) return {};
  const int train = snap.data->train.samples(), test = snap.data->test.samples();
  for (const auto& run : snap.runs) {
    if (!run.eval || (run.eval->trainSamples >= train && run.eval->testSamples >= test)) continue;
    char text[256];
    if (test > 0)
      std::snprintf(text, sizeof text, tr("eval.subset"), run.eval->trainSamples, train,
                    run.eval->testSamples, test);
    else
      std::snprintf(text, sizeof text, tr("eval.subset_train"), run.eval->trainSamples, train);
    return text;
  }
  return {};
}

void wrappedTextDisabled(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  wrappedText(text);
  ImGui::PopStyleColor();
}

std::string fitWords(const std::string& text, float width, float (*measure)(const std::string&)) {
  if (measure(text) <= width) return text;
  static const std::string ellipsis = "…";
  size_t end = text.find(' ');
  std::string best = text.substr(0, end) + ellipsis;
  while (end != std::string::npos) {
    const size_t next = text.find(' ', end + 1);
    const std::string candidate = text.substr(0, next) + ellipsis;
    if (next == std::string::npos || measure(candidate) > width) break;
    best = candidate;
    end = next;
  }
  // Trailing punctuation before the ellipsis reads badly ("XOR:…").
  std::string head = best.substr(0, best.size() - ellipsis.size());
  while (!head.empty() &&
         (head.back() == ':' || head.back() == ',' || head.back() == ' ' || head.back() == ';'))
    head.pop_back();
  return head + ellipsis;
}

void binSeries(const SeriesData& series, double x0, double x1, int columns,
               std::vector<float>& out) {
  out.assign(static_cast<size_t>(std::max(columns, 0)), std::numeric_limits<float>::quiet_NaN());
  if (columns <= 0 || series.empty()) return;
  static std::vector<double> sum;  // UI thread only
  static std::vector<int> used;
  sum.assign(out.size(), 0.0);
  used.assign(out.size(), 0);
  const double scale = x1 > x0 ? columns / (x1 - x0) : 0.0;
  int first = columns, last = -1;
  int i = 0;
  for (const auto& chunk : series.chunks) {
    const int n = std::min(static_cast<int>(chunk->x.size()), series.count - i);
    for (int k = 0; k < n; ++k) {
      const float y = chunk->y[static_cast<size_t>(k)];
      const double x = chunk->x[static_cast<size_t>(k)];
      if (!std::isfinite(y) || !(x >= x0 && x <= x1)) continue;
      const int c = std::min(static_cast<int>((x - x0) * scale), columns - 1);
      sum[static_cast<size_t>(c)] += y;
      ++used[static_cast<size_t>(c)];
      first = std::min(first, c), last = std::max(last, c);
    }
    i += n;
    if (i >= series.count) break;
  }
  for (int c = first; c <= last; ++c) {
    const auto k = static_cast<size_t>(c);
    out[k] = used[k] ? static_cast<float>(sum[k] / used[k]) : out[k - 1];
  }
}

int groupSize(int count, float pixels, float minPixels) {
  if (count <= 0 || !(pixels > 0) || !(minPixels > 0)) return 1;
  const int cells = std::max(1, static_cast<int>(pixels / minPixels));
  return std::max(1, (count + cells - 1) / cells);
}

int labelStride(float slot, float labelWidth, float gap) {
  if (!(slot > 0)) return 1;
  return std::max(1, static_cast<int>(std::ceil((labelWidth + gap) / slot - 1e-4f)));
}

ImU32 staleColor(ImU32 c) {
  const int r = c & 0xFF, g = (c >> 8) & 0xFF, b = (c >> 16) & 0xFF;
  const int grey = (r * 30 + g * 59 + b * 11) / 100;
  auto mix = [&](int v) { return (v + grey * 3) / 4 * 6 / 10 + 30; };
  return IM_COL32(mix(r), mix(g), mix(b), (c >> 24) & 0xFF);
}

bool sameLineIfFits(float width, float spacing) {
  const float right = ImGui::GetItemRectMax().x + spacing + width;
  if (right > ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) return false;
  ImGui::SameLine(0, spacing);
  return true;
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
