// `gradscope train`: trains a session without a window — every config field a flag, presets,
// side-by-side runs, weights in and out, a per-step metrics CSV — and prints a summary.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace gradscope::cli {

// Exit codes of `gradscope train` (also in its --help and the README).
inline constexpr int kExitOk = 0;       // trained; every output written
inline constexpr int kExitIoError = 1;  // an output could not be written while training
inline constexpr int kExitUsage = 2;    // a bad flag or value: one line on stderr, nothing written
inline constexpr int kExitDiverged =
    3;  // trained, but a run diverged (its reason is in the summary)

// Runs the command with the arguments after "train" (e.g. {"--steps", "100"}). The summary
// goes to `out`, errors (one line each) to `err`. Single-threaded and deterministic: the same
// arguments write byte-identical metrics and weights.
int runTrainCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace gradscope::cli
