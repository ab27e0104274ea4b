// Counts heap allocations in a stretch of code, to check that a hot path allocates nothing.
// The test executable that links malloc_counter.cpp replaces glibc's malloc family with
// counting wrappers (so Eigen's aligned allocations are seen too, not only operator new);
// under sanitizers, which replace malloc themselves, counting is unavailable.
#pragma once

namespace gradscope::test {

// Whether this build can count (false under sanitizers or without glibc).
bool canCountMallocs();
void startCountingMallocs();
// Stops counting; returns the allocations since startCountingMallocs().
long stopCountingMallocs();

}  // namespace gradscope::test
