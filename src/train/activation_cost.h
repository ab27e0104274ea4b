// What each activation costs per element on this machine, measured live: lesson 9's bar chart
// ("the cost of exp"). The app calls it from the trainer's worker thread, never the UI thread,
// because it spins the CPU for a few tenths of a second.
#pragma once

#include <vector>

#include "core/activation.h"

namespace gradscope {

struct ActivationCost {
  Activation activation;
  double nsPerElement;  // best of several timed rounds of a forward pass over a 64×256 matrix
};

// Times the training path's forward pass, activateForward<float>, at each activation's default
// parameter, for every activation in the table except Maxout (a max over k learned pieces: its
// cost is the layer's k-fold matrix product, not an element-wise function). PReLU is timed
// through the layer's own formula (a learned slope per unit, as Mlp::forward applies it),
// since activateForward's PReLU branch is not what training runs.
//
// About `secondsPerActivation` of wall time is spent on each activation, split into rounds
// that visit the activations in turn, so a clock-speed change hits them all alike; the fastest
// round counts (noise only ever adds time). Results come in table order.
std::vector<ActivationCost> measureActivationCosts(double secondsPerActivation = 0.03);

}  // namespace gradscope
