// The worker thread: drains commands between steps, steps every active run round-robin,
// measures, and publishes snapshots (see trainer.h and docs/ARCHITECTURE.md, "Data flow").
#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "train/config_json.h"
#include "train/float_mode.h"

namespace gradscope {

using Clock = std::chrono::steady_clock;

namespace {
double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
}  // namespace

std::shared_ptr<const Split> makeSessionData(const SessionConfig& c) {
  Dataset data = c.data.csvPath.empty()
                     ? makeDataset(c.data.kind, c.data.samples, c.data.noise, c.seed)
                     : loadCsv(c.data.csvPath);
  if (data.samples() < 2) throw DataError("the data set needs at least 2 samples");
  return std::make_shared<const Split>(splitDataset(data, c.data.testFraction, c.seed));
}

struct Trainer::Worker {
  struct Slot {
    std::unique_ptr<Run> run;
    long stepsSinceEval = 0;
    int evalEvery = 50;
    Clock::time_point due{};        // next step when the speed is capped
    Clock::time_point rateStart{};  // steps/s window
    long rateSteps = 0;
    float stepsPerSecond = 0;
    bool needsEval = true, needsGrid = true;
  };

  TrainerOptions options;
  SessionConfig config;
  std::shared_ptr<const Split> data;
  std::vector<Slot> slots;
  bool playing = false;
  int pendingSteps = 0;
  int nextId = 0;
  std::string message;
  std::uint64_t messageId = 0;
  std::uint64_t version = 0;
  bool dirty = true;
  Clock::time_point lastPublish{}, lastGrid{};

  bool messageIsError = true;
  std::shared_ptr<const std::vector<ActivationCost>> activationCosts;

  void refuse(std::string why) { report(std::move(why), true); }
  void report(std::string text, bool error) {
    message = std::move(text);
    messageIsError = error;
    ++messageId;
    dirty = true;
  }

  Slot makeSlot(const RunConfig& rc) {
    Slot s;
    s.run = std::make_unique<Run>(nextId++, rc, data, config.seed);
    s.run->setState(playing ? RunState::Running : RunState::Paused);
    s.rateStart = Clock::now();
    return s;
  }

  // All runs anew on (possibly new) data; on failure nothing changes.
  void rebuild(const SessionConfig& next, std::shared_ptr<const Split> nextData) {
    auto oldData = data;
    const auto oldConfig = config;
    data = std::move(nextData);
    config = next;
    std::vector<Slot> fresh;
    try {
      for (const auto& rc : next.runs) fresh.push_back(makeSlot(rc));
    } catch (const std::exception& e) {
      data = oldData;
      config = oldConfig;
      refuse(e.what());
      return;
    }
    slots = std::move(fresh);
    dirty = true;
  }

  void setPlaying(bool on) {
    playing = on;
    for (auto& s : slots) {
      s.run->setState(on ? RunState::Running : RunState::Paused);
      s.due = Clock::now();
      s.rateStart = Clock::now();
      s.rateSteps = 0;
    }
    dirty = true;
  }

  void apply(Command& command) {
    std::visit([this](auto& c) { handle(c); }, command);
    dirty = true;
  }

  void handle(cmd::Play&) { setPlaying(true); }
  void handle(cmd::Pause&) { setPlaying(false); }
  void handle(cmd::TogglePlay&) { setPlaying(!playing); }
  void handle(cmd::Step& c) {
    if (!playing) pendingSteps += std::max(0, c.steps);
  }
  void handle(cmd::Reset&) {
    for (auto& s : slots) {
      s.run->reset(config.seed);
      s.run->setState(playing ? RunState::Running : RunState::Paused);
      s.needsEval = s.needsGrid = true;
      s.stepsSinceEval = 0;
    }
  }
  void handle(cmd::Reseed& c) {
    cmd::Configure configure{config, false};
    configure.config.seed = c.seed;
    handle(configure);
  }
  void handle(cmd::Configure& c) {
    if (auto err = validateSession(c.config); !err.empty()) return refuse(err);
    if (c.config.data != config.data || c.config.seed != config.seed) {
      try {
        rebuild(c.config, makeSessionData(c.config));
      } catch (const std::exception& e) {
        refuse(e.what());
      }
      return;
    }
    // Same data: reconfigure run by run, then add or remove runs to match.
    std::vector<Slot> added;
    try {
      for (size_t i = slots.size(); i < c.config.runs.size(); ++i)
        added.push_back(makeSlot(c.config.runs[i]));
      for (size_t i = 0; i < std::min(slots.size(), c.config.runs.size()); ++i) {
        auto& s = slots[i];
        if (s.run->config() == c.config.runs[i]) continue;
        s.run->reconfigure(c.config.runs[i], c.hotSwap, c.config.seed);
        s.run->setState(playing ? RunState::Running : RunState::Paused);
        s.needsEval = s.needsGrid = true;
      }
    } catch (const std::exception& e) {
      return refuse(e.what());
    }
    slots.resize(std::min(slots.size(), c.config.runs.size()));
    for (auto& s : added) slots.push_back(std::move(s));
    config = c.config;
  }
  void handle(cmd::LoadWeights& c) {
    if (c.run < 0 || c.run >= static_cast<int>(slots.size()) || !c.weights)
      return refuse("no such run to load weights into");
    try {
      slots[static_cast<size_t>(c.run)].run->setWeights(*c.weights);
      slots[static_cast<size_t>(c.run)].needsEval = slots[static_cast<size_t>(c.run)].needsGrid =
          true;
    } catch (const std::exception& e) {
      refuse(e.what());
    }
  }

  void handle(cmd::MeasureActivationCosts&) {
    // Training waits the few tenths of a second this takes: the timings need the core.
    activationCosts = std::make_shared<const std::vector<ActivationCost>>(measureActivationCosts());
    for (auto& s : slots) s.due = Clock::now();
  }

  void handle(cmd::SaveWeights& c) {
    if (c.run < 0 || c.run >= static_cast<int>(slots.size()))
      return refuse("no such run to save weights from");
    try {
      writeFileAtomically(c.path, weightsToJson(slots[static_cast<size_t>(c.run)].run->net()));
      report("Saved the weights of " + runLabel(config, c.run) + " to " + c.path, false);
    } catch (const std::exception& e) {
      refuse(e.what());
    }
  }

  void measure(Slot& s, bool grid) {
    const auto t0 = Clock::now();
    if (s.needsEval) {
      s.run->evaluate();
      s.needsEval = false;
      s.stepsSinceEval = 0;
      // Automatic interval: whole-set measurements cost at most kEvalTimeShare of training time.
      const double stepTime = s.run->meanStepSeconds();
      const double evalTime = seconds(Clock::now() - t0);
      if (config.evalEvery > 0)
        s.evalEvery = config.evalEvery;
      else if (stepTime > 0)
        s.evalEvery = static_cast<int>(
            std::clamp(std::ceil(evalTime / (kEvalTimeShare * stepTime)), 10.0, 1e6));
    }
    if (grid || s.needsGrid) {
      s.run->computeGrid(options.gridResolution);
      s.needsGrid = false;
    }
    s.run->addTimes(0.0, seconds(Clock::now() - t0));
  }

  // One round of steps; returns when it would next have work (or now).
  Clock::time_point stepRound() {
    const auto now = Clock::now();
    Clock::time_point next = now + std::chrono::milliseconds(50);
    const bool single = !playing && pendingSteps > 0;
    if (!playing && !single) return next;
    const bool capped = config.speed == SpeedMode::Capped && !single;
    const auto period = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / config.stepsPerSecond));
    for (auto& s : slots) {
      if (s.run->state() == RunState::Diverged) continue;
      if (capped) {
        if (now < s.due) {
          next = std::min(next, s.due);
          continue;
        }
        s.due = std::max(s.due + period, now - std::chrono::milliseconds(250));
        next = std::min(next, s.due);
      } else {
        next = now;
      }
      const bool ok = s.run->step();
      if (!ok) {
        s.needsEval = s.needsGrid = true;
        dirty = true;
        continue;
      }
      ++s.rateSteps;
      if (++s.stepsSinceEval >= s.evalEvery) s.needsEval = true;
      if (s.needsEval) measure(s, false);
    }
    if (single) --pendingSteps;
    dirty = true;
    return next;
  }
};

Trainer::Trainer(const SessionConfig& config, TrainerOptions options)
    : m_worker(std::make_unique<Worker>()) {
  if (auto err = validateSession(config); !err.empty()) throw std::invalid_argument(err);
  Worker& w = *m_worker;
  w.options = options;
  w.config = config;
  w.data = makeSessionData(config);
  w.playing = options.startPlaying;
  for (const auto& rc : config.runs) w.slots.push_back(w.makeSlot(rc));
  for (auto& s : w.slots) w.measure(s, true);
  // The first snapshot exists before anyone can ask for one.
  auto snap = std::make_shared<Snapshot>();
  snap->config = w.config;
  snap->playing = w.playing;
  snap->data = w.data;
  for (size_t i = 0; i < w.slots.size(); ++i) {
    RunSnapshot r;
    w.slots[i].run->fillSnapshot(r);
    r.label = runLabel(w.config, static_cast<int>(i));
    snap->runs.push_back(std::move(r));
  }
  m_snapshot = std::move(snap);
  m_thread = std::jthread([this](std::stop_token st) { loop(st); });
}

Trainer::~Trainer() {
  m_thread.request_stop();
  m_wake.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

void Trainer::send(Command command) {
  {
    std::lock_guard lock(m_queueMutex);
    m_queue.push_back(std::move(command));
  }
  m_wake.notify_one();
}

std::shared_ptr<const Snapshot> Trainer::latest() const {
  std::lock_guard lock(m_snapshotMutex);
  return m_snapshot;
}

void Trainer::loop(std::stop_token stop) {
  const FlushDenormals flush;  // the same arithmetic as `gradscope train`, at full speed
  Worker& w = *m_worker;
  std::vector<Command> commands;
  w.lastPublish = w.lastGrid = Clock::now();
  while (!stop.stop_requested()) {
    {
      std::lock_guard lock(m_queueMutex);
      commands.swap(m_queue);
    }
    for (auto& c : commands) w.apply(c);
    commands.clear();

    const auto next = w.stepRound();
    auto now = Clock::now();

    const bool gridDue = seconds(now - w.lastGrid) >= w.options.gridInterval;
    for (auto& s : w.slots)
      if (s.needsEval || s.needsGrid || (gridDue && (w.playing || s.needsGrid)))
        w.measure(s, gridDue && w.playing);
    if (gridDue) w.lastGrid = now;

    now = Clock::now();
    const double sincePublish = seconds(now - w.lastPublish);
    if (w.dirty && sincePublish >= w.options.publishInterval) {
      auto snap = std::make_shared<Snapshot>();
      snap->version = ++w.version;
      snap->config = w.config;
      snap->playing = w.playing;
      snap->data = w.data;
      snap->message = w.message;
      snap->messageId = w.messageId;
      snap->messageIsError = w.messageIsError;
      snap->activationCosts = w.activationCosts;
      snap->runs.resize(w.slots.size());
      for (size_t i = 0; i < w.slots.size(); ++i) {
        auto& s = w.slots[i];
        const double window = seconds(now - s.rateStart);
        if (window >= 0.5) {
          s.stepsPerSecond = static_cast<float>(s.rateSteps / window);
          s.rateSteps = 0;
          s.rateStart = now;
        }
        s.run->fillSnapshot(snap->runs[i]);
        snap->runs[i].label = runLabel(w.config, static_cast<int>(i));
        snap->runs[i].stepsPerSecond = w.playing ? s.stepsPerSecond : 0.0f;
        snap->runs[i].evalEvery = s.evalEvery;
      }
      {
        std::lock_guard lock(m_snapshotMutex);
        m_snapshot = std::move(snap);
      }
      w.lastPublish = now;
      w.dirty = false;
    }

    // Idle until the next step is due, a snapshot is due, or a command arrives.
    if (next > now || !w.playing) {
      auto until = next;
      if (w.dirty)
        until = std::min(
            until, w.lastPublish + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(w.options.publishInterval)));
      std::unique_lock lock(m_queueMutex);
      m_wake.wait_until(lock, stop, until, [this] { return !m_queue.empty(); });
    }
  }
}

}  // namespace gradscope
