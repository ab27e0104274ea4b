// Small text helpers the subcommands share: concatenation, number formatting, table columns.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace gradscope::cli {

// Concatenation through append (GCC 12 reports false -Wrestrict on "literal" + std::string).
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string s;
  (s.append(std::string_view(parts)), ...);
  return s;
}

// printf formatting of one number, e.g. format("%.3g", x).
inline std::string format(const char* spec, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

// 41234 → "41,234".
inline std::string thousands(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? cat("-", out) : out;
}

// Pads to `width` columns, counting code points rather than bytes ("–" is one column).
inline std::string pad(std::string s, size_t width, bool right = false) {
  size_t columns = 0;
  for (unsigned char c : s) columns += (c & 0xC0) != 0x80;
  if (columns >= width) return s;
  std::string fill(width - columns, ' ');
  return right ? fill.append(s) : s.append(fill);
}

}  // namespace gradscope::cli
