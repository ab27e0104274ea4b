// A small fixed pool of threads for running independent tasks side by side: `run(n, task)`
// calls task(0) … task(n − 1), each exactly once, spread over the pool's threads and the
// caller's, and returns when all are done. Tasks must not depend on each other or on which
// thread runs them; then the results are the same for any thread count.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace gradscope {

class TaskPool {
 public:
  // `threads` in all, the caller's included: 1 runs every task on the caller's thread.
  explicit TaskPool(int threads = 1);
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  int threads() const { return static_cast<int>(m_workers.size()) + 1; }
  void run(int count, const std::function<void(int)>& task);

  // All cores but `reserved`, at least one.
  static int defaultThreads(int reserved = 0);

 private:
  void work(std::stop_token stop);
  void drain();

  std::mutex m_mutex;
  std::condition_variable_any m_wake;
  std::condition_variable m_done;
  const std::function<void(int)>* m_task = nullptr;
  int m_count = 0;
  int m_next = 0;      // next task index to hand out
  int m_finished = 0;  // tasks finished in this batch
  std::uint64_t m_batch = 0;
  std::vector<std::jthread> m_workers;
};

}  // namespace gradscope
