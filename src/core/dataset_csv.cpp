// CSV import: header row, numeric feature columns, integer class label last. Every refusal
// names the source, the line and (where it applies) the column.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/dataset.h"

namespace gradscope {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Position of the first byte that is not part of valid UTF-8, or npos.
size_t invalidUtf8At(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || (len == 2 && c < 0xC2) || i + len > s.size()) return i;
    for (int k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::vector<std::string_view> splitFields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    out.push_back(
        trim(line.substr(start, comma == std::string_view::npos ? line.npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string quoted(std::string_view s) {
  constexpr size_t kMax = 24;
  std::string out(1, '\'');
  out.append(s.substr(0, kMax));
  if (s.size() > kMax) out.append("…");
  out.push_back('\'');
  return out;
}

}  // namespace

Dataset parseCsv(std::string_view text, std::string_view sourceName) {
  const std::string src(sourceName);
  auto fail = [&](size_t line, const std::string& what) -> DataError {
    return DataError(src + ":" + std::to_string(line) + ": " + what);
  };
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
  if (const size_t bad = invalidUtf8At(text); bad != std::string_view::npos) {
    const size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + bad, '\n'));
    throw fail(line, "invalid UTF-8 (byte " + std::to_string(bad) + " of the file)");
  }

  std::vector<std::string_view> header;
  size_t headerLine = 0;
  std::vector<float> values;  // row-major while reading
  std::vector<long long> labels;
  size_t lineNo = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t nl = text.find('\n', pos);
    const std::string_view raw = text.substr(pos, nl == text.npos ? text.npos : nl - pos);
    pos = nl == text.npos ? text.size() + 1 : nl + 1;
    ++lineNo;
    const std::string_view line = trim(raw);
    if (line.empty()) continue;
    auto fields = splitFields(line);
    if (header.empty()) {
      header = fields;
      headerLine = lineNo;
      if (header.size() < 2)
        throw fail(lineNo, "the header needs at least one feature column and a label column");
      if (header.size() > static_cast<size_t>(kMaxColumns))
        throw fail(lineNo, std::to_string(header.size() - 1) + " feature columns; at most " +
                               std::to_string(kMaxFeatures) + " are supported");
      continue;
    }
    if (fields.size() != header.size())
      throw fail(lineNo, "expected " + std::to_string(header.size()) +
                             " fields like the header, found " + std::to_string(fields.size()));
    if (labels.size() >= static_cast<size_t>(kMaxSamples))
      throw fail(lineNo, "more than " + std::to_string(kMaxSamples) + " rows; at most " +
                             std::to_string(kMaxSamples) + " are supported");
    for (size_t c = 0; c < fields.size(); ++c) {
      const std::string_view f = fields[c];
      const std::string where =
          "column " + std::to_string(c + 1) + " (" + quoted(header[c]) + "): ";
      if (f.empty()) throw fail(lineNo, where + "empty value");
      if (c + 1 < fields.size()) {
        float v = 0;
        const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
        if (ec == std::errc::result_out_of_range)
          throw fail(lineNo, where + quoted(f) + " is out of the float range");
        if (ec != std::errc() || end != f.data() + f.size())
          throw fail(lineNo, where + quoted(f) + " is not a number");
        if (!std::isfinite(v)) throw fail(lineNo, where + quoted(f) + " is not a finite number");
        values.push_back(v);
      } else {
        long long label = 0;
        const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), label);
        if (ec != std::errc() || end != f.data() + f.size())
          throw fail(lineNo, where + quoted(f) + " is not an integer class label");
        labels.push_back(label);
      }
    }
  }
  if (header.empty())
    throw DataError(src + ": the file is empty (expected a header row and data rows)");
  if (labels.empty()) throw fail(headerLine, "a header but no data rows");

  std::map<long long, int> classOf;
  for (long long l : labels) classOf.emplace(l, 0);
  if (classOf.size() < 2)
    throw DataError(src + ": every row has class " + std::to_string(labels.front()) +
                    "; at least two classes are needed");
  Dataset d;
  int next = 0;
  for (auto& [label, index] : classOf) {
    index = next++;
    d.classNames.push_back(std::to_string(label));
  }
  d.classes = next;
  const Eigen::Index features = static_cast<Eigen::Index>(header.size()) - 1;
  const Eigen::Index n = static_cast<Eigen::Index>(labels.size());
  d.X = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>>(
      values.data(), features, n);
  d.y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) d.y[i] = classOf[labels[static_cast<size_t>(i)]];
  for (Eigen::Index c = 0; c < features; ++c)
    d.featureNames.emplace_back(header[static_cast<size_t>(c)]);
  return d;
}

Dataset loadCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parseCsv(buffer.str(), path);
}

}  // namespace gradscope
