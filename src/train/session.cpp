// The Session's schedule (see session.h and docs/ARCHITECTURE.md, "Data flow").
#include "train/session.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "core/dataset_idx.h"

#include "train/config_json.h"
#include "train/float_mode.h"

namespace gradscope {
namespace {

double seconds(Session::Clock::duration d) { return std::chrono::duration<double>(d).count(); }

Session::Clock::duration duration(double s) {
  return std::chrono::duration_cast<Session::Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

std::shared_ptr<const Split> makeSessionData(const SessionConfig& c) {
  if (c.data.csvPath.empty() && c.data.kind == DatasetKind::FashionMnist) {
    // Its own test set, and no seed in it: the last one loaded is kept, so a reseed or a new
    // network does not read the files again. GRADSCOPE_FASHION_MNIST_DIR reads other files.
    const char* env = std::getenv("GRADSCOPE_FASHION_MNIST_DIR");
    const std::string dir = env && *env ? std::string(env) : std::string(kFashionMnistDir);
    static std::mutex mutex;
    static std::string cachedDir;
    static int cachedImages = 0;
    static std::shared_ptr<const Split> cached;
    const std::lock_guard lock(mutex);
    if (!cached || cachedDir != dir || cachedImages != c.data.trainImages) {
      cached.reset();
      cached = std::make_shared<const Split>(loadFashionMnist(dir, c.data.trainImages));
      cachedDir = dir;
      cachedImages = c.data.trainImages;
    }
    return cached;
  }
  Dataset data = c.data.csvPath.empty()
                     ? makeDataset(c.data.kind, c.data.samples, c.data.noise, c.seed)
                     : loadCsv(c.data.csvPath);
  if (data.samples() < 2) throw DataError("the data set needs at least 2 samples");
  return std::make_shared<const Split>(splitDataset(data, c.data.testFraction, c.seed));
}

Session::Session(const SessionConfig& config, SessionOptions options, Now now)
    : Session(
          config,
          [&] {
            if (auto err = validateSession(config); !err.empty()) throw std::invalid_argument(err);
            return makeSessionData(config);
          }(),
          options, std::move(now)) {}

Session::Session(const SessionConfig& config, std::shared_ptr<const Split> data,
                 SessionOptions options, Now now)
    : m_options(options),
      m_now(std::move(now)),
      m_config(config),
      m_data(std::move(data)),
      m_pool(std::make_unique<TaskPool>(options.threads)),
      m_playing(options.startPlaying) {
  if (auto err = validateSession(config); !err.empty()) throw std::invalid_argument(err);
  for (const auto& rc : config.runs) m_slots.push_back(makeSlot(rc));
  m_lastPublish = m_now();
  // The first snapshot shows measured runs.
  for (auto& s : m_slots) measure(s, true);
}

Session::~Session() = default;

// Before any grid was timed: the side whose cells cost about gridTargetSeconds at a modest
// 5 GFLOP/s (later grids follow their measured cost).
int Session::firstGridResolution(const Mlp& net) const {
  double flops = 0;
  for (int l = 0; l < net.layerCount(); ++l)
    flops += 2.0 * static_cast<double>(net.layer(l).W.size());
  const double cells = m_options.gridTargetSeconds * 5e9 / std::max(1.0, flops);
  return std::clamp(static_cast<int>(std::sqrt(cells) / 8) * 8, m_options.minGridResolution,
                    m_options.maxGridResolution);
}

Session::Slot Session::makeSlot(const RunConfig& rc) {
  Slot s;
  s.run = std::make_unique<Run>(m_nextId++, rc, m_data, m_config.seed);
  s.run->setState(m_playing ? RunState::Running : RunState::Paused);
  s.gridResolution = firstGridResolution(s.run->net());
  s.rateStart = s.due = m_now();
  return s;
}

void Session::refuseBecause(const std::exception& e) {
  refuse(said("session.refused", "%1$s", {verbatim(e.what())}));
}

// The stream reader's error, in English like the other parsers' (its source first).
void Session::refuseWatched(const WatchedRun& run) {
  refuse(joined({verbatim(run.source()), verbatim(run.error())}, ": "));
}

void Session::report(Message text, bool error) {
  m_message = std::move(text);
  m_messageIsError = error;
  ++m_messageId;
  m_dirty = true;
}

void Session::setThreads(int threads) {
  threads = std::clamp(threads, 1, 64);
  if (threads != m_pool->threads()) m_pool = std::make_unique<TaskPool>(threads);
  m_dirty = true;
}

void Session::resetRun(int index) {
  Slot& s = m_slots[static_cast<size_t>(index)];
  s.run->reset(m_config.seed);
  s.run->setState(m_playing ? RunState::Running : RunState::Paused);
  s.needsEval = s.needsGrid = true;
  s.stepsSinceEval = 0;
  // Time totals start over with the steps (as the run's own do): the eval interval divides one
  // by the other.
  s.trainSeconds = s.trainSinceGrid = 0;
  m_dirty = true;
}

long Session::evaluations() const {
  long n = 0;
  for (const auto& s : m_slots) n += s.evaluations;
  return n;
}

long Session::grids() const {
  long n = 0;
  for (const auto& s : m_slots) n += s.grids;
  return n;
}

bool Session::finished() const {
  if (m_options.stepLimit <= 0) return false;
  for (const auto& s : m_slots)
    if (s.run->state() != RunState::Diverged && s.run->steps() < m_options.stepLimit) return false;
  return true;
}

// All runs anew on (possibly new) data; on failure nothing changes.
void Session::rebuild(const SessionConfig& next, std::shared_ptr<const Split> nextData) {
  auto oldData = m_data;
  const auto oldConfig = m_config;
  m_data = std::move(nextData);
  m_config = next;
  std::vector<Slot> fresh;
  try {
    for (const auto& rc : next.runs) fresh.push_back(makeSlot(rc));
  } catch (const std::exception& e) {
    m_data = oldData;
    m_config = oldConfig;
    refuseBecause(e);
    return;
  }
  m_slots = std::move(fresh);
}

void Session::setPlaying(bool on) {
  m_playing = on;
  const TimePoint now = m_now();
  for (auto& s : m_slots) {
    s.run->setState(on ? RunState::Running : RunState::Paused);
    s.due = s.rateStart = now;
    s.rateSteps = 0;
    // What a paused run shows is measured at the step it stopped at.
    if (!on && m_options.measure && s.stepsSinceEval > 0) s.needsEval = true;
  }
}

void Session::apply(Command& command) {
  std::visit([this](auto& c) { handle(c); }, command);
  m_dirty = true;
}

void Session::handle(cmd::Play&) { setPlaying(true); }
void Session::handle(cmd::Pause&) { setPlaying(false); }
void Session::handle(cmd::TogglePlay&) { setPlaying(!m_playing); }
void Session::handle(cmd::Step& c) {
  if (!m_playing) m_pendingSteps += std::max(0, c.steps);
}
void Session::handle(cmd::Reset&) {
  for (int i = 0; i < runCount(); ++i) resetRun(i);
}
void Session::handle(cmd::Reseed& c) {
  cmd::Configure configure{m_config, false};
  configure.config.seed = c.seed;
  handle(configure);
}
void Session::handle(cmd::SetThreads& c) { setThreads(c.threads); }

void Session::handle(cmd::Configure& c) {
  if (auto err = validateSession(c.config); !err.empty())
    return refuse(said("session.refused", "%1$s", {verbatim(err)}));
  if (c.config.data != m_config.data || c.config.seed != m_config.seed) {
    try {
      rebuild(c.config, makeSessionData(c.config));
    } catch (const std::exception& e) {
      refuseBecause(e);
    }
    return;
  }
  // Same data: reconfigure run by run, then add or remove runs to match.
  std::vector<Slot> added;
  try {
    for (size_t i = m_slots.size(); i < c.config.runs.size(); ++i)
      added.push_back(makeSlot(c.config.runs[i]));
    for (size_t i = 0; i < std::min(m_slots.size(), c.config.runs.size()); ++i) {
      auto& s = m_slots[i];
      if (s.run->config() == c.config.runs[i]) continue;
      s.run->reconfigure(c.config.runs[i], c.hotSwap, c.config.seed);
      s.run->setState(m_playing ? RunState::Running : RunState::Paused);
      s.needsEval = s.needsGrid = true;
    }
  } catch (const std::exception& e) {
    return refuseBecause(e);
  }
  m_slots.resize(std::min(m_slots.size(), c.config.runs.size()));
  for (auto& s : added) m_slots.push_back(std::move(s));
  m_config = c.config;
}

void Session::handle(cmd::LoadWeights& c) {
  if (c.run < 0 || c.run >= runCount() || !c.weights)
    return refuse(said("session.no_run_to_load", "no such run to load weights into"));
  try {
    auto& s = m_slots[static_cast<size_t>(c.run)];
    s.run->setWeights(*c.weights);
    s.needsEval = s.needsGrid = true;
  } catch (const std::exception& e) {
    refuseBecause(e);
  }
}

void Session::handle(cmd::SaveWeights& c) {
  if (c.run < 0 || c.run >= runCount())
    return refuse(said("session.no_run_to_save", "no such run to save weights from"));
  try {
    writeFileAtomically(c.path, weightsToJson(run(c.run).net()));
    report(said("session.saved_weights", "Saved the weights of %1$s to %2$s",
                {runLabelMessage(m_config, c.run), verbatim(c.path)}),
           false);
  } catch (const std::exception& e) {
    refuseBecause(e);
  }
}

void Session::handle(cmd::MeasureActivationCosts&) {
  // Training waits the few tenths of a second this takes: the timings need the core.
  m_activationCosts = std::make_shared<const std::vector<ActivationCost>>(measureActivationCosts());
  const TimePoint now = m_now();
  for (auto& s : m_slots) s.due = now;
}

bool Session::runnable(const Slot& s) const {
  const long horizon = m_config.view.horizon;
  return s.run->state() != RunState::Diverged &&
         (m_options.stepLimit <= 0 || s.run->steps() < m_options.stepLimit) &&
         (horizon <= 0 || m_pastHorizon || s.run->steps() < horizon);
}

void Session::checkHorizon() {
  const long horizon = m_config.view.horizon;
  if (horizon <= 0) return;
  bool below = false;
  for (const auto& s : m_slots)
    below = below || (s.run->state() != RunState::Diverged && s.run->steps() < horizon);
  if (below) {
    m_pastHorizon = false;
  } else if (!m_pastHorizon) {
    m_pastHorizon = true;
    if (m_playing) setPlaying(false);
    // The screen stays on the horizon: measure the whole set and draw the plane there, not at
    // whatever step the budgets last allowed.
    for (auto& s : m_slots)
      if (s.run->state() != RunState::Diverged) s.needsEval = s.needsGrid = true;
    m_dirty = true;
  }
}

bool Session::gridWanted(const Slot& s, TimePoint now) const {
  if (!m_options.measure || m_data->train.features() != 2) return false;
  if (s.needsGrid) return true;
  // Paid for: the run trained long enough since the last grid for it to cost kGridShare. A
  // capped run leaves the core idle between its steps, so there the wall time pays as well
  // (else a lesson at 70 steps/s would redraw its plane once a minute).
  const double paid = m_config.speed == SpeedMode::Capped
                          ? std::max(s.trainSinceGrid, seconds(now - s.lastGrid))
                          : s.trainSinceGrid;
  return m_playing && paid * kGridShare >= s.gridCost &&
         seconds(now - s.lastGrid) >= m_options.minGridInterval;
}

void Session::measure(Slot& s, bool allowGrid) {
  Run& run = *s.run;
  if (s.needsEval) {
    const TimePoint t0 = m_now();
    run.evaluate(m_options.evalSamples);
    ++s.evaluations;
    s.evalCost = seconds(m_now() - t0);
    s.needsEval = false;
    s.stepsSinceEval = 0;
    run.addTimes(0.0, s.evalCost);
    // Whole-set measurements cost kEvalShare of training time: N = ⌈eval / (share · step)⌉.
    const double stepCost = s.trainSeconds / std::max(1L, run.steps());
    if (m_config.evalEvery > 0)
      s.evalEvery = m_config.evalEvery;
    else if (s.evalCost <= 0 || stepCost <= 0)
      s.evalEvery = 10;
    else
      s.evalEvery =
          static_cast<int>(std::clamp(std::ceil(s.evalCost / (kEvalShare * stepCost)), 10.0, 1e6));
    // A lesson's horizon: at least 50 measurements on the way there, whatever they cost.
    if (m_config.evalEvery <= 0 && m_config.view.horizon > 0)
      s.evalEvery =
          static_cast<int>(std::min<long>(s.evalEvery, std::max(10L, m_config.view.horizon / 50)));
  }
  const TimePoint now = m_now();
  if (allowGrid && gridWanted(s, now)) {
    const int resolution = s.gridResolution;
    run.computeGrid(resolution);
    ++s.grids;
    const TimePoint t1 = m_now();
    s.gridCost = seconds(t1 - now);
    s.lastGrid = t1;
    s.trainSinceGrid = 0;
    s.needsGrid = false;
    run.addTimes(0.0, s.gridCost);
    // The next grid's resolution: cost grows with the cell count, so scale the side by the
    // square root of target / cost; change only by a quarter or more to keep the picture steady.
    if (s.gridCost > 0) {
      const double ideal = resolution * std::sqrt(m_options.gridTargetSeconds / s.gridCost);
      const int next = std::clamp(static_cast<int>(std::lround(ideal / 8.0)) * 8,
                                  m_options.minGridResolution, m_options.maxGridResolution);
      if (std::abs(next - resolution) * 4 >= resolution) s.gridResolution = next;
    }
  }
}

void Session::work(int index, bool single) {
  const FlushDenormals flush;  // every thread trains with the same arithmetic
  // The slice starts when this run's task does: runs that share a thread take turns, each
  // with a whole slice.
  const TimePoint start = m_now();
  Slot& s = m_slots[static_cast<size_t>(index)];
  Run& run = *s.run;
  if (runnable(s) && (m_playing || single)) {
    const bool capped = m_config.speed == SpeedMode::Capped && !single;
    const auto period = duration(1.0 / m_config.stepsPerSecond);
    const TimePoint sliceEnd = start + duration(m_options.sliceSeconds);
    TimePoint t = start, stepStart = start;
    for (int k = 0; k < m_options.maxStepsPerTick; ++k) {
      if (capped) {
        if (t < s.due) break;
        s.due = std::max(s.due + period, t - std::chrono::milliseconds(250));
      }
      if (!runnable(s)) break;
      if (!run.step()) {
        s.needsEval = s.needsGrid = true;
        break;
      }
      if (m_hook) m_hook(index, run);
      ++s.rateSteps;
      if (single) break;
      t = m_now();
      if (++s.stepsSinceEval >= s.evalEvery && m_options.measure) {
        s.needsEval = true;
        s.trainSeconds += seconds(t - stepStart);
        s.trainSinceGrid += seconds(t - stepStart);
        measure(s, false);
        t = stepStart = m_now();
      }
      if (t >= sliceEnd) break;
    }
    const double stepped = seconds(m_now() - stepStart);
    s.trainSeconds += stepped;
    s.trainSinceGrid += stepped;
  }
  if (m_options.measure || s.needsEval) measure(s, m_options.measure);
}

void Session::handle(cmd::Watch& c) {
  try {
    watch(std::make_unique<WatchServer>(parseWatchAddress(c.address)));
    report(said("watch.listening", "watching %1$s for PyTorch runs",
                {verbatim(m_watchServer->address().text())}),
           false);
  } catch (const std::exception& e) {
    refuseBecause(e);
  }
}

void Session::watch(std::unique_ptr<WatchServer> server) {
  m_watchServer = std::move(server);
  for (auto& w : m_watched)
    if (w.run->connected()) w.run->disconnect("the app stopped watching its source");
  m_dirty = true;
}

bool Session::pollWatched() {
  if (!m_watchServer) return false;
  m_watchEvents.clear();
  m_watchServer->poll(m_watchEvents);
  bool changed = false;
  const auto find = [&](int source) -> Watched* {
    for (auto& w : m_watched)
      if (w.source == source && w.run->connected()) return &w;
    return nullptr;
  };
  const TimePoint now = m_now();
  for (WatchEvent& e : m_watchEvents) {
    changed = true;
    switch (e.kind) {
      case WatchEvent::Kind::Opened: {
        if (static_cast<int>(m_watched.size()) >= kMaxWatchedRuns) {
          // The oldest run no longer connected makes room; the server admits no more than
          // kMaxWatchedRuns connections, so there is one.
          const auto old = std::find_if(m_watched.begin(), m_watched.end(),
                                        [](const Watched& w) { return !w.run->connected(); });
          if (old == m_watched.end()) {
            m_watchServer->close(e.source);
            break;
          }
          m_watched.erase(old);
        }
        m_watched.push_back(
            {std::make_unique<WatchedRun>(m_nextWatchedId++, e.text, now), e.source});
        break;
      }
      case WatchEvent::Kind::Data:
        if (Watched* w = find(e.source)) {
          w->run->feed(e.bytes);
          if (!w->run->error().empty()) {
            m_watchServer->close(e.source);
            refuseWatched(*w->run);
          }
        }
        break;
      case WatchEvent::Kind::Closed:
        if (Watched* w = find(e.source)) {
          w->run->end();
          if (!e.text.empty() && w->run->error().empty()) w->run->disconnect(e.text);
          if (!w->run->error().empty()) refuseWatched(*w->run);
        }
        break;
      case WatchEvent::Kind::Refused:
        refuse(said("watch.refused", "a watched run was refused: %1$s", {verbatim(e.text)}));
        break;
    }
  }
  for (auto& w : m_watched)
    if (w.run->checkHeaderTimeout(now)) {
      m_watchServer->close(w.source);
      refuseWatched(*w.run);
      changed = true;
    }
  return changed;
}

Session::TimePoint Session::tick() {
  if (pollWatched()) m_dirty = true;
  const bool single = !m_playing && m_pendingSteps > 0;
  auto measurements = [this] {
    long n = 0;
    for (const auto& s : m_slots) n += s.evaluations + s.grids;
    return n;
  };
  const long measuredBefore = measurements();
  m_pool->run(runCount(), [&](int i) { work(i, single); });
  if (single) --m_pendingSteps;
  checkHorizon();
  // Paused, a run can still be measured (at the horizon, after a divergence): publish that too.
  if (m_playing || single || measurements() != measuredBefore) m_dirty = true;
  // When there is work next: at once while playing uncapped (or single steps remain); at the
  // earliest due step when capped; otherwise at the next look for commands.
  const TimePoint after = m_now();
  // A watched source is looked at every 20 ms at least: its records reach the screen as a
  // snapshot does, and a silent client's timeout is noticed.
  TimePoint next = after + std::chrono::milliseconds(m_watchServer ? 20 : 50);
  if (m_pendingSteps > 0) return after;
  if (m_playing)
    for (const auto& s : m_slots) {
      if (!runnable(s)) continue;
      if (m_config.speed != SpeedMode::Capped) return after;
      next = std::min(next, s.due);
    }
  for (const auto& s : m_slots)
    if (s.needsEval || s.needsGrid) return after;
  return next;
}

bool Session::publishDue() const {
  return m_dirty && seconds(m_now() - m_lastPublish) >= m_options.publishInterval;
}

std::shared_ptr<const Snapshot> Session::publish() {
  const TimePoint now = m_now();
  auto snap = std::make_shared<Snapshot>();
  snap->version = ++m_version;
  snap->config = m_config;
  snap->playing = m_playing;
  snap->data = m_data;
  snap->message = m_message;
  snap->messageId = m_messageId;
  snap->messageIsError = m_messageIsError;
  snap->activationCosts = m_activationCosts;
  snap->threads = threads();
  snap->runs.resize(m_slots.size());
  for (size_t i = 0; i < m_slots.size(); ++i) {
    auto& s = m_slots[i];
    const double window = seconds(now - s.rateStart);
    if (window >= 0.5) {
      s.stepsPerSecond = static_cast<float>(static_cast<double>(s.rateSteps) / window);
      s.rateSteps = 0;
      s.rateStart = now;
    }
    auto& r = snap->runs[i];
    s.run->fillSnapshot(r);
    r.label = runLabelMessage(m_config, static_cast<int>(i));
    r.stepsPerSecond = m_playing ? s.stepsPerSecond : 0.0f;
    r.evalEvery = s.evalEvery;
  }
  snap->runs.reserve(m_slots.size() + m_watched.size());
  for (const auto& w : m_watched) w.run->fillSnapshot(snap->runs.emplace_back());
  m_lastPublish = now;
  m_dirty = false;
  return snap;
}

}  // namespace gradscope
