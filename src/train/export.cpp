// Metrics CSV (see export.h).
#include "train/export.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <vector>

namespace gradscope {
namespace {

// Shortest text that reads back as the same float.
void appendFloat(std::string& out, float v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec == std::errc()) out.append(buf, end);
}

}  // namespace

std::string quoteCsv(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string metricsCsv(const Snapshot& snap) {
  int layers = 0;
  for (const auto& r : snap.runs) layers = std::max(layers, r.layerCount);
  std::string out = "run,label,step,loss,test_loss,train_accuracy,test_accuracy";
  for (const char* name : {"gradnorm_", "mean_abs_dz_", "update_ratio_"})
    for (int l = 1; l <= layers; ++l) out.append(",").append(name).append(std::to_string(l));
  for (int l = 1; l < layers; ++l) out.append(",dead_").append(std::to_string(l));
  // The norms' ‖(dL/dγ, dL/dβ)‖ per hidden layer, when some run has a norm.
  int normed = 0;
  for (const auto& r : snap.runs)
    normed = std::max(normed, static_cast<int>(r.normGradNormSeries.size()));
  for (int l = 1; l <= normed; ++l) out.append(",norm_grad_norm_").append(std::to_string(l));
  out.push_back('\n');
  const size_t hidden = static_cast<size_t>(std::max(layers - 1, 0));
  const size_t columns = 4 + 3 * static_cast<size_t>(layers) + hidden + static_cast<size_t>(normed);

  for (size_t r = 0; r < snap.runs.size(); ++r) {
    const RunSnapshot& run = snap.runs[r];
    // step → one cell per column (NaN: no point kept there).
    std::map<float, std::vector<float>> rows;
    auto put = [&](const SeriesData& s, size_t column) {
      for (int i = 0; i < s.size(); ++i) {
        auto& row = rows[s.x(i)];
        if (row.empty()) row.assign(columns, std::numeric_limits<float>::quiet_NaN());
        row[column] = s.y(i);
      }
    };
    put(run.lossSeries, 0);
    put(run.testLossSeries, 1);
    put(run.trainAccuracySeries, 2);
    put(run.testAccuracySeries, 3);
    for (size_t l = 0; l < run.gradNormSeries.size(); ++l) put(run.gradNormSeries[l], 4 + l);
    for (size_t l = 0; l < run.meanAbsDzSeries.size(); ++l)
      put(run.meanAbsDzSeries[l], 4 + layers + l);
    for (size_t l = 0; l < run.updateRatioSeries.size(); ++l)
      put(run.updateRatioSeries[l], 4 + 2 * layers + l);
    for (size_t l = 0; l < run.deadSeries.size(); ++l) put(run.deadSeries[l], 4 + 3 * layers + l);
    for (size_t l = 0; l < run.normGradNormSeries.size(); ++l)
      put(run.normGradNormSeries[l], 4 + 3 * layers + hidden + l);
    const std::string key = std::to_string(r + 1) + "," + quoteCsv(english(run.label)) + ",";
    for (const auto& [step, row] : rows) {
      out.append(key);
      out.append(std::to_string(static_cast<long>(step)));
      for (float v : row) {
        out.push_back(',');
        if (v == v) appendFloat(out, v);
      }
      out.push_back('\n');
    }
  }
  return out;
}

}  // namespace gradscope
