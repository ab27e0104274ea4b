// The worker thread: drains commands between ticks of the Session and publishes its snapshots
// (see trainer.h and docs/ARCHITECTURE.md, "Data flow").
#include "train/trainer.h"

#include <algorithm>
#include <chrono>

namespace gradscope {

Trainer::Trainer(const SessionConfig& config, SessionOptions options)
    : m_session(std::make_unique<Session>(config, options)) {
  // The first snapshot exists before anyone can ask for one.
  m_snapshot = m_session->publish();
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
  Session& session = *m_session;
  std::vector<Command> commands;
  while (!stop.stop_requested()) {
    {
      std::lock_guard lock(m_queueMutex);
      commands.swap(m_queue);
    }
    for (auto& c : commands) session.apply(c);
    commands.clear();

    const auto next = session.tick();
    if (session.publishDue()) {
      auto snap = session.publish();  // built outside any lock
      std::lock_guard lock(m_snapshotMutex);
      m_snapshot = std::move(snap);
    }

    // Idle until the next step is due, a snapshot is due, or a command arrives.
    const auto now = Session::Clock::now();
    if (next > now) {
      auto until = next;
      if (session.dirty()) until = std::min(until, now + std::chrono::milliseconds(16));
      std::unique_lock lock(m_queueMutex);
      m_wake.wait_until(lock, stop, until, [this] { return !m_queue.empty(); });
    }
  }
}

}  // namespace gradscope
