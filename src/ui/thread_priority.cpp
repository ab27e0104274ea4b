// Thread priority of the UI (see thread_priority.h).
#include "ui/thread_priority.h"

#include <cstdlib>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gradscope::ui {

void yieldCpuToTraining() {
  // Trainer threads keep normal priority; with a GPU the UI needs little CPU and nothing changes.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
  // llvmpipe (no GPU, e.g. under Xvfb) would take one rasterizer thread per core; one is
  // enough for the frame rate and leaves training its core. GPU drivers ignore the variable.
  setenv("LP_NUM_THREADS", "1", 0);
}

}  // namespace gradscope::ui
