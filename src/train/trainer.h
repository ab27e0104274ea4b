// The Trainer owns one worker thread that trains every run round-robin and publishes an
// immutable Snapshot about 60 times a second. The UI sends commands and reads the latest
// snapshot; it never waits on training, and training never waits on the UI.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "train/commands.h"
#include "train/run.h"
#include "train/snapshot.h"

namespace gradscope {

// The share of training time the whole-set evaluation may take: it runs every N steps with
// N chosen from its measured cost (the per-step measurements come on top; all of it stays
// under 10%).
inline constexpr double kEvalTimeShare = 0.02;

struct TrainerOptions {
  bool startPlaying = true;
  int gridResolution = 96;    // decision-boundary cells a side
  double gridInterval = 0.1;  // seconds between decision-grid updates
  double publishInterval = 1.0 / 60.0;
};

// Builds the data a session config describes (generated, or loaded from CSV and split).
// Throws DataError / std::invalid_argument with a message for the user.
std::shared_ptr<const Split> makeSessionData(const SessionConfig& config);

class Trainer {
 public:
  // Throws std::invalid_argument (validateSession's message) or DataError for a bad config.
  explicit Trainer(const SessionConfig& config, TrainerOptions options = {});
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  void send(Command command);
  // The newest snapshot (never null). Cheap: copies a shared_ptr under a short lock.
  std::shared_ptr<const Snapshot> latest() const;

 private:
  struct Worker;
  void loop(std::stop_token stop);

  std::mutex m_queueMutex;
  std::condition_variable_any m_wake;
  std::vector<Command> m_queue;

  mutable std::mutex m_snapshotMutex;
  std::shared_ptr<const Snapshot> m_snapshot;

  std::unique_ptr<Worker> m_worker;  // touched only by the worker thread after construction
  std::jthread m_thread;             // last: starts once everything above exists
};

}  // namespace gradscope
