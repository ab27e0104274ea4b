// The task pool (see task_pool.h).
#include "train/task_pool.h"

#include <algorithm>

namespace gradscope {

TaskPool::TaskPool(int threads) {
  for (int i = 1; i < std::max(1, threads); ++i)
    m_workers.emplace_back([this](std::stop_token stop) { work(stop); });
}

TaskPool::~TaskPool() {
  for (auto& w : m_workers) w.request_stop();
  m_wake.notify_all();
  m_workers.clear();  // joins
}

int TaskPool::defaultThreads(int reserved) {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, (cores > 0 ? cores : 1) - reserved);
}

// Takes tasks of the current batch until none is left. Called with m_mutex unlocked.
void TaskPool::drain() {
  std::unique_lock lock(m_mutex);
  while (m_task && m_next < m_count) {
    const int index = m_next++;
    const auto* task = m_task;
    lock.unlock();
    (*task)(index);
    lock.lock();
    if (++m_finished == m_count) m_done.notify_all();
  }
}

void TaskPool::work(std::stop_token stop) {
  std::uint64_t seen = 0;
  while (true) {
    {
      std::unique_lock lock(m_mutex);
      if (!m_wake.wait(lock, stop, [&] { return m_batch != seen; })) return;  // stop requested
      seen = m_batch;
    }
    drain();
  }
}

void TaskPool::run(int count, const std::function<void(int)>& task) {
  if (count <= 0) return;
  if (m_workers.empty() || count == 1) {
    for (int i = 0; i < count; ++i) task(i);
    return;
  }
  {
    std::lock_guard lock(m_mutex);
    m_task = &task;
    m_count = count;
    m_next = m_finished = 0;
    ++m_batch;
  }
  m_wake.notify_all();
  drain();
  std::unique_lock lock(m_mutex);
  m_done.wait(lock, [&] { return m_finished == m_count; });
  m_task = nullptr;
}

}  // namespace gradscope
