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
  // llvmpipe (no GPU, e.g. under Xvfb) would take one rasterizer thread per core. With none it
  // rasterizes on this thread, at this priority, and frames are as fast as with one (the
  // README's frame benchmark). Nor does the driver share its objects between threads:
  // ThreadSanitizer saw this thread destroy a mutex and condition variable of the driver's that
  // its rasterizer thread had locked, with no synchronization it could see (a use after free,
  // or atomics it cannot see); with no such thread, it sees every thread the app has. GPU
  // drivers ignore the variable.
  setenv("LP_NUM_THREADS", "0", 0);
}

}  // namespace gradscope::ui
