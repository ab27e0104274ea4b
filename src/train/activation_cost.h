// What each activation costs per element on this machine, measured live: lesson 9's bar chart
// ("the cost of exp"). The app calls it from the trainer's worker thread, never the UI thread,
// because it spins the CPU for a few tenths of a second.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

#include "core/activation.h"

namespace gradscope {

struct ActivationCost {
  Activation activation;
  double nsPerElement;  // best of several timed rounds of a forward pass over a 64×256 matrix
};

// The clock the timings read, passed in (as the Session's is) so that tests need no real time.
using CostClock = std::function<std::chrono::steady_clock::time_point()>;

// Times the training path's forward pass, activateForward<float>, at each activation's default
// parameter, for every activation in the table except Maxout (a max over k learned pieces: its
// cost is the layer's k-fold matrix product, not an element-wise function). PReLU is timed
// through the layer's own formula (a learned slope per unit, as Mlp::forward applies it),
// since activateForward's PReLU branch is not what training runs.
//
// About `secondsPerActivation` of `now`'s time is spent on each activation, split into rounds
// that visit the activations in turn, so a clock-speed change hits them all alike; the fastest
// round counts (noise only ever adds time). Results come in table order.
std::vector<ActivationCost> measureActivationCosts(
    double secondsPerActivation = 0.03, const CostClock& now = &std::chrono::steady_clock::now);

// The schedule behind measureActivationCosts, for any timed work: `run(i, n)` does n passes of
// subject i. Each subject is calibrated (passes doubled until a batch takes a quarter of a
// round), then timed over kCostRounds rounds of about secondsPerSubject / kCostRounds each.
// Returns each subject's best seconds per pass.
inline constexpr int kCostRounds = 5;
std::vector<double> timePasses(size_t subjects, double secondsPerSubject, const CostClock& now,
                               const std::function<void(size_t subject, long passes)>& run);

}  // namespace gradscope
