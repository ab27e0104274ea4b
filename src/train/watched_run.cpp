// A watched run's series from its stream (see watched_run.h).
#include "train/watched_run.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gradscope {
namespace {

// Points kept per series: the app's 4,096 for up to 64 tensors, fewer beyond so that 10,000
// tensors (the stream's limit) stay near 60 MB of history.
std::size_t seriesCapacity(std::size_t tensors) {
  const std::size_t full = 4096, budget = 4096 * 64;
  return std::clamp<std::size_t>(budget / std::max<std::size_t>(tensors, 1), 256, full);
}

float finiteOr(float v, float fallback) { return std::isfinite(v) ? v : fallback; }

}  // namespace

WatchedRun::WatchedRun(int id, std::string source, TimePoint opened)
    : m_id(id), m_source(std::move(source)), m_opened(opened) {}

bool WatchedRun::feed(std::string_view bytes) {
  if (!m_connected || !m_error.empty()) return false;
  const bool hadHeader = m_reader.hasHeader();
  m_reader.feed(bytes);
  bool changed = m_reader.hasHeader() != hadHeader;
  if (m_reader.hasHeader() && !m_started) start();
  for (const StreamRecord& r : m_reader.takeRecords()) {
    add(r);
    changed = true;
  }
  if (m_reader.failed()) {
    disconnect(m_reader.error());
    changed = true;
  }
  return changed;
}

void WatchedRun::end() {
  if (!m_connected) return;
  if (!m_reader.finish()) {
    disconnect(m_reader.error());
    return;
  }
  m_connected = false;
}

void WatchedRun::disconnect(std::string reason) {
  if (m_error.empty()) m_error = std::move(reason);
  m_connected = false;
}

bool WatchedRun::checkHeaderTimeout(TimePoint now) {
  if (!m_connected || m_reader.hasHeader() ||
      std::chrono::duration<double>(now - m_opened).count() < kWatchHeaderTimeout)
    return false;
  disconnect(m_reader.pendingBytes() > 0 ? "no complete header line within 10 seconds"
                                         : "the client sent nothing within 10 seconds");
  return true;
}

void WatchedRun::start() {
  m_started = true;
  const StreamHeader& h = m_reader.header();
  const std::size_t P = h.params.size(), capacity = seriesCapacity(P);
  for (const StreamParam& p : h.params) m_moduleOf.push_back(p.module);
  for (std::size_t m = 0; m < h.modules.size(); ++m)
    if (h.modules[m].relu) m_reluModules.push_back(static_cast<int>(m));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  m_grad.assign(P, nan), m_dz.assign(P, nan), m_ratio.assign(P, nan);
  m_dead.assign(m_reluModules.size(), nan);
  const auto make = [&](std::vector<BoundedSeries>& v, std::size_t n) {
    v.assign(n, BoundedSeries(capacity));
  };
  make(m_gradSeries, P), make(m_dzSeries, P), make(m_ratioSeries, P);
  make(m_deadSeries, m_reluModules.size());
}

void WatchedRun::add(const StreamRecord& r) {
  m_step = r.step;
  const auto x = static_cast<float>(r.step);
  if (!r.nonFinite.empty() && m_diverged.empty())
    m_diverged = "step " + std::to_string(r.step) + ": " + r.nonFinite;
  // Only finite values enter a series: a diverged step shows as the run's state, never as a
  // NaN or infinity in a chart (as for the app's own runs).
  const auto push = [x](BoundedSeries& s, float v) {
    if (std::isfinite(v)) s.push(x, v);
  };
  for (std::size_t i = 0; i < m_grad.size(); ++i) {
    m_grad[i] = r.grad[i];
    m_ratio[i] = r.ratio[i];
    m_dz[i] = r.dz[static_cast<std::size_t>(m_moduleOf[i])];
    push(m_gradSeries[i], m_grad[i]);
    push(m_ratioSeries[i], m_ratio[i]);
    push(m_dzSeries[i], m_dz[i]);
  }
  for (std::size_t k = 0; k < m_reluModules.size(); ++k) {
    m_dead[k] = r.dead[static_cast<std::size_t>(m_reluModules[k])];
    push(m_deadSeries[k], m_dead[k]);
  }
  const double loss = r.scalar("loss"), accuracy = r.scalar("accuracy");
  if (std::isfinite(loss)) {
    m_loss = static_cast<float>(loss);
    push(m_lossSeries, m_loss);
  }
  if (std::isfinite(accuracy)) push(m_accuracySeries, static_cast<float>(accuracy));
}

void WatchedRun::fillSnapshot(RunSnapshot& s) const {
  s.id = m_id;
  s.watched = true;
  s.connected = m_connected;
  s.source = m_source;
  const bool header = m_reader.hasHeader();
  s.label = verbatim(header ? m_reader.header().name : "…");
  s.state = !m_diverged.empty() ? RunState::Diverged
            : m_connected       ? RunState::Running
                                : RunState::Paused;
  // The reader's words, in English like the other parsers'.
  s.reason = verbatim(!m_diverged.empty() ? m_diverged : m_error);
  s.step = m_step;
  s.loss = m_loss;
  s.stepsPerSecond = 0;
  if (!header) return;
  const StreamHeader& h = m_reader.header();
  const int P = static_cast<int>(h.params.size());
  s.layerCount = P;
  s.units.resize(static_cast<std::size_t>(P));
  s.layerNames.resize(static_cast<std::size_t>(P));
  for (int l = 0; l < P; ++l) {
    const StreamParam& p = h.params[static_cast<std::size_t>(l)];
    s.units[static_cast<std::size_t>(l)] = p.shape.empty() ? 1 : static_cast<int>(p.shape[0]);
    s.layerNames[static_cast<std::size_t>(l)] = p.name;
  }
  // The last values, with a parameter that had no value on the last step at 0 rather than NaN.
  s.gradNorm.resize(m_grad.size());
  s.meanAbsDz.resize(m_dz.size());
  s.updateRatio.resize(m_ratio.size());
  for (std::size_t i = 0; i < m_grad.size(); ++i) {
    s.gradNorm[i] = finiteOr(m_grad[i], 0);
    s.meanAbsDz[i] = finiteOr(m_dz[i], 0);
    s.updateRatio[i] = finiteOr(m_ratio[i], 0);
  }
  // No sign agreement or norm parameters in the stream: present, but empty.
  s.signAgreement.assign(static_cast<std::size_t>(P), 0.0f);
  s.signAgreementSeries.assign(static_cast<std::size_t>(P), SeriesData{});
  s.normGradNorm.clear();
  s.normGradNormSeries.clear();
  const auto copyAll = [](const std::vector<BoundedSeries>& from, std::vector<SeriesData>& to) {
    to.resize(from.size());
    for (std::size_t i = 0; i < from.size(); ++i) from[i].exportTo(to[i]);
  };
  m_lossSeries.exportTo(s.lossSeries);
  m_accuracySeries.exportTo(s.trainAccuracySeries);
  copyAll(m_gradSeries, s.gradNormSeries);
  copyAll(m_dzSeries, s.meanAbsDzSeries);
  copyAll(m_ratioSeries, s.updateRatioSeries);
  copyAll(m_deadSeries, s.deadSeries);
  s.deadNames.clear();
  s.deadShare.clear();
  for (std::size_t k = 0; k < m_reluModules.size(); ++k) {
    const StreamModule& m = h.modules[static_cast<std::size_t>(m_reluModules[k])];
    s.deadNames.push_back(m.name.empty() ? m.type : m.name + " (" + m.type + ")");
    s.deadShare.push_back(finiteOr(m_dead[k], 0));
  }
}

}  // namespace gradscope
