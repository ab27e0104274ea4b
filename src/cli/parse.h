// Command-line parsing shared by the simple subcommands (`bench`, `soak`): help to `out`, any
// mistake as one line on `err` naming the subcommand and the flag, exit code 2.
#pragma once

#include <CLI/CLI.hpp>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/text.h"

namespace gradscope::cli {

// Parses `args` (the words after the subcommand name). Returns the exit code to stop with (0
// after --help, 2 after a bad flag or argument), or nothing when the command should run.
inline std::optional<int> parseSubcommand(CLI::App& app, const std::vector<std::string>& args,
                                          const std::string& name, std::ostream& out,
                                          std::ostream& err) {
  const auto usage = [&](const std::string& line) {
    err << "gradscope " << name << ": " << line << '\n';
    return 2;
  };
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string line = e.what();
    std::replace(line.begin(), line.end(), '\n', ' ');
    return usage(line);
  }
  if (!app.remaining().empty()) {
    const std::string extra = app.remaining().front();  // remaining() returns a copy
    return usage(extra.starts_with("-")
                     ? cat("unknown flag '", extra, "' (see gradscope ", name, " --help)")
                     : cat("unexpected argument '", extra, "'"));
  }
  return std::nullopt;
}

// `--threads N` for the commands that train: the option and its check (1 to 64; default: all
// cores). Returns the message for a bad value, or nothing.
inline void addThreadsOption(CLI::App& app, std::string& text) {
  app.add_option("--threads", text,
                 "Training threads, 1 to 64 (default: all cores); runs train side by side, with "
                 "the same results for any count")
      ->type_name("N");
}
inline std::optional<std::string> parseThreads(const std::string& text, int defaultThreads,
                                               int& threads) {
  if (text.empty()) {
    threads = defaultThreads;
    return std::nullopt;
  }
  int value = 0;
  size_t used = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value < 1 || value > 64)
    return cat("--threads: expected an integer 1 to 64 (got '", text, "')");
  threads = value;
  return std::nullopt;
}

}  // namespace gradscope::cli
