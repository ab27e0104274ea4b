// `gradscope bench`: steps per second of the reference workloads on one thread with every
// measurement on, and the share of time the measurements take, against the targets.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace gradscope::cli {

// Runs the command with the arguments after "bench". Exits 0 whether targets are met or not
// (it is a report); 2 for a bad flag.
int runBenchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace gradscope::cli
