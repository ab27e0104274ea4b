// Loss and accuracy: the training loss of every step (its batch), the whole-set train and test
// loss and accuracy measured every few steps.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "ui/i18n.h"
#include "ui/panels.h"
#include "ui/plot.h"

namespace gradscope::ui {

void drawLossPanel(const Snapshot& snap, UiState& state) {
  ImGui::Checkbox(trId("loss.log_axis").c_str(), &state.lossLogY);
  tooltip(tr("tip.log_loss"));
  // One line per run, wrapped at spaces where the panel is narrow.
  char line[512];
  for (size_t r = 0; r < snap.runs.size(); ++r) {
    const auto& run = snap.runs[r];
    if (run.state == RunState::Diverged)
      std::snprintf(line, sizeof line, tr("loss.diverged"), trMessage(run.label).c_str(),
                    run.step + 1);
    else if (run.eval && run.eval->step >= 0)
      std::snprintf(line, sizeof line, tr("loss.summary"), trMessage(run.label).c_str(),
                    plot::formatValue(run.step > 0 ? run.loss : run.eval->trainLoss).c_str(),
                    100.0 * (std::isnan(run.eval->testAccuracy) ? run.eval->trainAccuracy
                                                                : run.eval->testAccuracy),
                    tr(std::isnan(run.eval->testAccuracy) ? "loss.on_train" : "loss.on_test"));
    else if (run.watched && run.step > 0)  // a watched run: what gradscope.log() reported
      std::snprintf(line, sizeof line, tr("loss.watched"), trMessage(run.label).c_str(),
                    plot::formatValue(run.loss).c_str(), run.step);
    else
      continue;
    ImGui::PushStyleColor(ImGuiCol_Text,
                          ImGui::ColorConvertU32ToFloat4(run.state == RunState::Diverged
                                                             ? runColor(run, static_cast<int>(r))
                                                             : runColor(static_cast<int>(r))));
    wrappedText(line);
    ImGui::PopStyleColor();
  }
  wrappedTextDisabled(tr("loss.key"));
  if (const std::string coverage = evalCoverage(snap); !coverage.empty())
    wrappedTextDisabled(coverage);
  // Each chart at least tall enough for its ticks and labels; in a short panel they scroll.
  const float minChart = ImGui::GetFontSize() * 9.0f;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float h = std::max(avail.y * 0.58f, minChart);
  if (plot::begin(trId("loss.chart_loss").c_str(), ImVec2(-1, h), plot::PlotFlags::NoLegend)) {
    stepAxis(snap);
    plot::setupAxis(plot::Axis::Y, tr("loss.axis_loss"),
                    (state.lossLogY ? plot::AxisFlags::Log10 : plot::AxisFlags::None) |
                        plot::AxisFlags::AutoFit);
    for (size_t r = 0; r < snap.runs.size(); ++r) {
      const auto& run = snap.runs[r];
      const int index = static_cast<int>(r);
      const std::string train = trMessage(run.label) + " · " + tr("loss.series_train_batch");
      const std::string test = trMessage(run.label) + " · " + tr("loss.series_test");
      static std::vector<float> smoothX, smoothY;
      plot::LineStyle trainStyle = runLine(run, index, 1.0f, plot::Pattern::Solid);
      trainStyle.color =
          (trainStyle.color & ~IM_COL32_A_MASK) |
          IM_COL32(0, 0, 0, std::min<int>(150, trainStyle.color >> IM_COL32_A_SHIFT));
      if (state.smoothing > 0) {
        smoothSeries(run.lossSeries, state.smoothing, state.lossLogY,
                     ImGui::GetContentRegionAvail().x, smoothX, smoothY);
        plot::line(train.c_str(), smoothX.data(), smoothY.data(), static_cast<int>(smoothX.size()),
                   0, sizeof(float), trainStyle);
      } else {
        seriesLine(train.c_str(), run.lossSeries, trainStyle);
      }
      seriesLine(test.c_str(), run.testLossSeries,
                 runLine(run, index, 2.0f, plot::Pattern::Dashed));
    }
    plot::end();
  }
  const float accuracyH = std::max(ImGui::GetContentRegionAvail().y, minChart);
  if (plot::begin(trId("loss.chart_accuracy").c_str(), ImVec2(-1, accuracyH),
                  plot::PlotFlags::NoLegend)) {
    stepAxis(snap);
    plot::setupAxis(plot::Axis::Y, tr("loss.axis_accuracy"));
    plot::setupAxisLimits(plot::Axis::Y, 0.0, 1.02, plot::Cond::Always);
    for (size_t r = 0; r < snap.runs.size(); ++r) {
      const auto& run = snap.runs[r];
      const int index = static_cast<int>(r);
      const std::string train = trMessage(run.label) + " · " + tr("loss.series_train");
      const std::string test = trMessage(run.label) + " · " + tr("loss.series_test");
      seriesLine(train.c_str(), run.trainAccuracySeries,
                 runLine(run, index, 2.0f, plot::Pattern::Solid));
      seriesLine(test.c_str(), run.testAccuracySeries,
                 runLine(run, index, 2.0f, plot::Pattern::Dashed));
    }
    plot::end();
  }
}

void drawStatusBar(const Snapshot& snap, const UiState&, float frameMs) {
  long step = 0;
  double epoch = 0;
  float sps = 0;
  for (const auto& r : snap.runs)
    step = std::max(step, r.step), epoch = std::max(epoch, r.epoch), sps += r.stepsPerSecond;
  char line[256];
  std::snprintf(line, sizeof line, tr("status.line"),
                tr(snap.playing ? "status.training" : "status.paused"), step, epoch,
                groupThousands(std::lround(sps)).c_str(), frameMs);
  wrappedText(line);
  // Each run's state after it on the line while it fits, else on the next line (the bar grows).
  const float spacing = ImGui::GetFontSize() * 1.5f;
  for (size_t r = 0; r < snap.runs.size(); ++r) {
    const auto& run = snap.runs[r];
    // A watched run is watched while its stream is open; then it has ended, or was cut off
    // by a bad stream (the reason follows).
    const char* state = run.watched && run.state != RunState::Diverged
                            ? tr(run.connected        ? "status.run_watching"
                                 : run.reason.empty() ? "status.run_ended"
                                                      : "status.run_disconnected")
                            : tr(run.state == RunState::Running  ? "status.run_running"
                                 : run.state == RunState::Paused ? "status.run_paused"
                                                                 : "status.run_diverged");
    const std::string label = trMessage(run.label);
    if (run.watched && !run.connected && run.state != RunState::Diverged && !run.reason.empty())
      std::snprintf(line, sizeof line, "%s: %s (%s)", label.c_str(), state,
                    trMessage(run.reason).c_str());
    else
      std::snprintf(line, sizeof line, "%s: %s", label.c_str(), state);
    std::string text = line;
    if (run.state == RunState::Diverged) text += " (" + trMessage(run.reason) + ")";
    sameLineIfFits(ImGui::CalcTextSize(text.c_str()).x, spacing);
    ImGui::PushStyleColor(ImGuiCol_Text,
                          ImGui::ColorConvertU32ToFloat4(runColor(static_cast<int>(r))));
    if (run.state == RunState::Diverged) {
      ImGui::TextUnformatted(line);
      ImGui::PopStyleColor();
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.45f, 1.0f));
      const std::string reason = "(" + trMessage(run.reason) + ")";
      if (!sameLineIfFits(ImGui::CalcTextSize(reason.c_str()).x, ImGui::GetStyle().ItemSpacing.x))
        ImGui::Indent(spacing), wrappedText(reason), ImGui::Unindent(spacing);
      else
        ImGui::TextUnformatted(reason.c_str());
    } else {
      ImGui::TextUnformatted(line);
    }
    ImGui::PopStyleColor();
  }
}

}  // namespace gradscope::ui
