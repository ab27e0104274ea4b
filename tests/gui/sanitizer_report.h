// The first sanitizer report in what the app printed, or "" if there is none. The gui tests run
// the app as a child process: under the asan and tsan presets a report there (an invalid
// access, a leak at exit, undefined behaviour, a data race) must fail the test even when the
// test itself only looks at the app's state file.
#pragma once

#include <algorithm>
#include <string>

inline std::string sanitizerReport(const std::string& log) {
  size_t first = std::string::npos;
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                             "WARNING: ThreadSanitizer", "ThreadSanitizer: ", "runtime error: "})
    first = std::min(first, log.find(marker));
  if (first == std::string::npos) return {};
  const size_t start = log.rfind('\n', first);
  return log.substr(start == std::string::npos ? 0 : start + 1, 6000);
}
