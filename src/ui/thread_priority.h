// The UI thread gives way to training: the app draws what the trainer computes, so when the
// two compete for the CPU (2 cores, a software renderer), training should win.
#pragma once

namespace gradscope::ui {

// Call on the UI thread after the trainer's threads have started and before the window opens:
// lowers the calling thread's priority, which the threads it creates from here on (a software
// renderer's threads, if any) inherit, and asks Mesa's llvmpipe to rasterize on the calling
// thread, with no threads of its own, unless the user chose a number (LP_NUM_THREADS).
void yieldCpuToTraining();

}  // namespace gradscope::ui
