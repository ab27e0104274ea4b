// `gradscope replay`: reads watch streams written by gradscope.watch(model, to="run.jsonl")
// (docs/STREAM.md), checks them strictly, writes their metrics CSV and prints a per-layer
// summary — the headless view of a watched PyTorch run.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace gradscope::cli {

// Runs the command with the arguments after "replay". 0: read, every output written; 1: the
// CSV could not be written; 2: a bad flag or a bad stream — one line on `err` naming the file
// and line, nothing written; 3: read and written, but a run diverged (a non-finite value).
int runReplayCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace gradscope::cli
