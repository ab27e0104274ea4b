// The Trainer owns one worker thread that drives a Session: it applies the commands the UI
// sends, ticks (the runs train side by side on the Session's task pool), and publishes an
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
#include "train/session.h"
#include "train/snapshot.h"

namespace gradscope {

class Trainer {
 public:
  // Throws std::invalid_argument (validateSession's message) or DataError for a bad config.
  explicit Trainer(const SessionConfig& config, SessionOptions options = {});
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  void send(Command command);
  // The newest snapshot (never null). Cheap: copies a shared_ptr under a short lock.
  std::shared_ptr<const Snapshot> latest() const;

 private:
  void loop(std::stop_token stop);

  std::mutex m_queueMutex;
  std::condition_variable_any m_wake;
  std::vector<Command> m_queue;

  mutable std::mutex m_snapshotMutex;
  std::shared_ptr<const Snapshot> m_snapshot;

  std::unique_ptr<Session> m_session;  // touched only by the worker thread after construction
  std::jthread m_thread;               // last: starts once everything above exists
};

}  // namespace gradscope
