// The Session: every run of a session and the one schedule that drives them — which runs step
// and how many times, when each run's whole-set evaluation and decision grid are due, and when
// a new Snapshot is due. Single-threaded from the outside (one caller at a time) with the
// clock passed in; inside a tick, runs step side by side on a small task pool, each run
// touching only what it owns, so any thread count gives the same bytes.
//
// The worker thread (Trainer), `gradscope train`, `bench`, `soak` and the tests all drive a
// Session: apply commands, tick, publish.
//
// Measurement budget: a run's whole-set evaluation and decision grid together take about
// kEvalShare + kGridShare of its training time. The evaluation comes every N steps with N set
// from its measured cost; the grid comes when the run has trained long enough to pay for the
// last one, at most every `minGridInterval`, and its resolution follows what one costs.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "train/commands.h"
#include "train/run.h"
#include "train/snapshot.h"
#include "train/task_pool.h"
#include "train/watch_server.h"
#include "train/watched_run.h"

namespace gradscope {

inline constexpr double kEvalShare = 0.02;  // of a run's training time
inline constexpr double kGridShare = 0.02;  // of a run's training time
inline constexpr int kEvalSamples = 1000;   // SessionOptions::evalSamples' default

struct SessionOptions {
  bool startPlaying = true;
  int threads = 1;             // task-pool threads, the caller's included
  bool measure = true;         // whole-set evaluations and decision grids while training
  int minGridResolution = 24;  // decision-grid cells a side, chosen from its cost
  int maxGridResolution = 96;
  double gridTargetSeconds = 0.02;  // what one decision grid should cost
  double minGridInterval = 0.1;     // seconds between one run's grids, at least
  double publishInterval = 1.0 / 60.0;
  double sliceSeconds = 0.004;  // stepping per run per tick (uncapped speed)
  int maxStepsPerTick = 4096;   // per run per tick
  long stepLimit = 0;           // > 0: a run stops at this many steps
  // > 0: the evaluations while training cover only the first evalSamples samples of each set,
  // so that a large set is measured often: Fashion-MNIST's 10,000 + 10,000 images at
  // 784 → 3×128 → 10 about every 1,000 steps rather than every 8,000 (2% of the time either
  // way); what the numbers cover is in the EvalResult.
  int evalSamples = kEvalSamples;
};

// Builds the data a session config describes (generated, or loaded from CSV and split).
// Throws DataError / std::invalid_argument with a message for the user.
std::shared_ptr<const Split> makeSessionData(const SessionConfig& config);

class Session {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;
  using Now = std::function<TimePoint()>;
  // Called after every step of run `index`, on the thread that stepped it.
  using StepHook = std::function<void(int index, const Run& run)>;

  // Throws std::invalid_argument (validateSession's message) or DataError for a bad config.
  explicit Session(const SessionConfig& config, SessionOptions options = {}, Now now = &Clock::now);
  // With data already made from `config` (makeSessionData).
  Session(const SessionConfig& config, std::shared_ptr<const Split> data, SessionOptions options,
          Now now = &Clock::now);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // A command takes effect at once; a refused one leaves everything as it was and says why in
  // the next snapshot's message.
  void apply(Command& command);
  // One round of work: every run that is due steps (for about sliceSeconds, or its capped
  // share), then takes the measurements that are due. Returns when there is work next.
  TimePoint tick();
  // A snapshot is due: something changed and publishInterval has passed since the last one.
  bool publishDue() const;
  // The snapshot of now; clears the change flag.
  std::shared_ptr<const Snapshot> publish();

  const SessionConfig& config() const { return m_config; }
  const std::shared_ptr<const Split>& data() const { return m_data; }
  bool playing() const { return m_playing; }
  bool dirty() const { return m_dirty; }
  int threads() const { return m_pool->threads(); }
  int runCount() const { return static_cast<int>(m_slots.size()); }
  Run& run(int index) { return *m_slots[static_cast<size_t>(index)].run; }
  const Run& run(int index) const { return *m_slots[static_cast<size_t>(index)].run; }
  // Seconds run `index` has spent stepping (its own, whichever thread), for steps/s.
  double stepSeconds(int index) const { return m_slots[static_cast<size_t>(index)].trainSeconds; }
  int evalEvery(int index) const { return m_slots[static_cast<size_t>(index)].evalEvery; }
  int gridResolution(int index) const { return m_slots[static_cast<size_t>(index)].gridResolution; }
  // Every run has reached stepLimit or diverged (never true without a limit).
  bool finished() const;

  // Whole-set evaluations and decision grids taken so far, all runs together.
  long evaluations() const;
  long grids() const;

  void setStepHook(StepHook hook) { m_hook = std::move(hook); }
  // At most this many steps per run in the next ticks (e.g. to stop near a total).
  void setMaxStepsPerTick(int steps) { m_options.maxStepsPerTick = std::max(1, steps); }
  void setThreads(int threads);
  // Run `index` back to its initial weights, running again if the session plays.
  void resetRun(int index);

  // Watched runs (train/watched_run.h): PyTorch runs whose streams `server` delivers, polled
  // every tick and published after the session's own runs. Replaces an earlier server (its
  // runs stay, disconnected). At most kMaxWatchedRuns are kept; a new stream replaces the
  // oldest disconnected one.
  void watch(std::unique_ptr<WatchServer> server);
  bool watching() const { return m_watchServer != nullptr; }
  int watchedCount() const { return static_cast<int>(m_watched.size()); }
  const WatchedRun& watched(int index) const { return *m_watched[static_cast<size_t>(index)].run; }

 private:
  struct Slot {
    std::unique_ptr<Run> run;
    long stepsSinceEval = 0;
    int evalEvery = 50;
    bool needsEval = true, needsGrid = true;
    int gridResolution = 0;
    double trainSeconds = 0;            // stepping time, all told
    double trainSinceGrid = 0;          // stepping time since the last grid
    double evalCost = 0, gridCost = 0;  // seconds the last one took
    TimePoint lastGrid{};
    TimePoint due{};        // next step when the speed is capped
    TimePoint rateStart{};  // steps/s window
    long rateSteps = 0;
    float stepsPerSecond = 0;
    long evaluations = 0, grids = 0;
  };

  Slot makeSlot(const RunConfig& config);
  int firstGridResolution(const Mlp& net) const;
  void rebuild(const SessionConfig& next, std::shared_ptr<const Split> nextData);
  void setPlaying(bool on);
  void refuse(Message why) { report(std::move(why), true); }
  // A refusal whose reason is an exception's English (a config's field and range, a file's
  // line): said within a translated sentence.
  void refuseBecause(const std::exception& e);
  void refuseWatched(const WatchedRun& run);
  void report(Message text, bool error);
  // Pauses training once when every run has reached the view's horizon.
  void checkHorizon();
  bool runnable(const Slot& s) const;
  void work(int index, bool single);
  void measure(Slot& s, bool allowGrid);
  bool gridWanted(const Slot& s, TimePoint now) const;

  void handle(cmd::Play&);
  void handle(cmd::Pause&);
  void handle(cmd::TogglePlay&);
  void handle(cmd::Step&);
  void handle(cmd::Reset&);
  void handle(cmd::Reseed&);
  void handle(cmd::Configure&);
  void handle(cmd::LoadWeights&);
  void handle(cmd::SaveWeights&);
  void handle(cmd::MeasureActivationCosts&);
  void handle(cmd::SetThreads&);
  void handle(cmd::Watch&);
  // Reads what the watch server has; true when a watched run changed.
  bool pollWatched();

  SessionOptions m_options;
  Now m_now;
  SessionConfig m_config;
  std::shared_ptr<const Split> m_data;
  std::vector<Slot> m_slots;
  std::unique_ptr<TaskPool> m_pool;
  StepHook m_hook;
  bool m_playing = false;
  int m_pendingSteps = 0;
  // Every run reached the view's horizon and training paused there once; runs go on past it
  // until one is back below it (a reset, new runs).
  bool m_pastHorizon = false;
  int m_nextId = 0;
  Message m_message;
  bool m_messageIsError = true;
  std::uint64_t m_messageId = 0;
  std::uint64_t m_version = 0;
  bool m_dirty = true;
  TimePoint m_lastPublish{};
  std::shared_ptr<const std::vector<ActivationCost>> m_activationCosts;
  struct Watched {
    std::unique_ptr<WatchedRun> run;
    int source = -1;  // the server's source id while connected
  };
  std::unique_ptr<WatchServer> m_watchServer;
  std::vector<Watched> m_watched;
  std::vector<WatchEvent> m_watchEvents;  // reused between polls
  int m_nextWatchedId = 1000;             // RunSnapshot ids apart from the own runs'
};

}  // namespace gradscope
