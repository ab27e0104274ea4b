// `gradscope soak`: a memory soak, not a CI test. Four compare runs (sigmoid, ReLU, tanh,
// Leaky ReLU on a 10×10 network, XOR) train round-robin on this thread for millions of steps
// with everything the app's worker does besides stepping — whole-set evaluations, decision
// grids, a fresh snapshot about 60 times a second — and the process's peak RSS is compared
// between an early point (1M steps) and the end: bounded series and reused buffers should
// keep it flat (growth ≤ 5%).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace gradscope::cli {

// Runs the command with the arguments after "soak". Exits 0 whether the target is met or not
// (it is a report); 2 for a bad flag.
int runSoakCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace gradscope::cli
