// `gradscope train`: trains a session without a window — every config field a flag, presets,
// side-by-side runs, weights in and out, a per-step metrics CSV — and prints a summary.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace gradscope::cli {

// Exit codes of `gradscope train` (also in its --help and the README).
// 0: trained, every output written. 1: an output could not be written at the end.
// 2: a bad flag or value — one line on stderr, nothing written. 3: trained, but a run diverged
// (its reason is in the summary). 130: interrupted (Ctrl-C, SIGTERM), nothing written.
inline constexpr int kExitOk = 0;
inline constexpr int kExitIoError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDiverged = 3;
inline constexpr int kExitInterrupted = 130;

// Runs the command with the arguments after "train" (e.g. {"--steps", "100"}). The summary
// goes to `out`, errors (one line each) to `err`. Single-threaded and deterministic: the same
// arguments write byte-identical metrics and weights.
int runTrainCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace gradscope::cli
