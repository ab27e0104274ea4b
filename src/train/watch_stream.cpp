// The watch stream's reader (see watch_stream.h; the format is docs/STREAM.md).
#include "train/watch_stream.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace gradscope {
namespace {

using Json = nlohmann::json;

// Why a line is refused; the reader adds "line N: ".
struct LineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Values a line may hold: the header's 10,000 parameters with 8-dimensional shapes and
// 10,000 modules stay below it, so it only bounds the memory of a hostile line.
constexpr long kMaxValues = 250000;

std::string str(const auto&... parts) {
  std::string s;
  (s.append(parts), ...);
  return s;
}

std::string withCommas(long long v) {
  std::string digits = std::to_string(v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A JSON value in a message: short, one line.
std::string shown(const Json& v) {
  std::string text = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

Json parseLineJson(std::string_view line) {
  int depth = 0;
  long values = 0;
  const Json::parser_callback_t bound = [&](int, Json::parse_event_t event, Json&) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (++depth > kStreamMaxDepth)
          throw LineError(str("nested deeper than ", std::to_string(kStreamMaxDepth),
                              " levels (the format needs at most ", std::to_string(kStreamMaxDepth),
                              ")"));
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        --depth;
        break;
      case Json::parse_event_t::value:
        if (++values > kMaxValues)
          throw LineError(str("more than ", withCommas(kMaxValues), " values in one line"));
        break;
      case Json::parse_event_t::key:
        break;
    }
    return true;
  };
  try {
    return Json::parse(line.begin(), line.end(), bound);
  } catch (const Json::parse_error& e) {
    // "[json.exception.parse_error.101] parse error at line 1, column 14: ..." → "column 14: ..."
    std::string what = e.what();
    const auto at = what.find("column ");
    what = at == std::string::npos ? what : what.substr(at);
    // The lexer stops at NaN's N and Infinity's I: say why such a line fails, not just where.
    if (const auto read = what.rfind("last read: '"); read != std::string::npos) {
      const auto end = what.rfind('\'');
      if (end > read + 12 && (what[end - 1] == 'N' || what[end - 1] == 'I'))
        what += " (NaN and Infinity are not JSON numbers; the format writes \"nan\", \"inf\")";
    }
    throw LineError(str("malformed JSON at ", what));
  } catch (const Json::out_of_range&) {
    throw LineError("malformed JSON: a number beyond the range of a double");
  }
}

const Json& need(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end()) throw LineError(str("missing \"", key, "\""));
  return *it;
}

void onlyKeys(const Json& obj, std::initializer_list<std::string_view> keys, const char* what) {
  for (const auto& [key, value] : obj.items()) {
    bool known = false;
    for (std::string_view k : keys) known = known || key == k;
    if (!known) throw LineError(str("unknown key \"", key, "\" in ", what));
  }
}

long long integer(const Json& v, const std::string& path, long long lo, long long hi) {
  long long x = 0;
  if (v.is_number_unsigned()) {
    const auto u = v.get<unsigned long long>();
    x = u > static_cast<unsigned long long>(hi) ? hi + 1 : static_cast<long long>(u);
  } else if (v.is_number_integer()) {
    x = v.get<long long>();
  } else {
    throw LineError(str(path, ": expected an integer, got ", shown(v)));
  }
  if (x < lo || x > hi)
    throw LineError(str(path, ": expected ", std::to_string(lo), " to ", std::to_string(hi),
                        ", got ", shown(v)));
  return x;
}

std::string text(const Json& v, const std::string& path, std::size_t minBytes,
                 std::size_t maxBytes) {
  if (!v.is_string()) throw LineError(str(path, ": expected a string, got ", shown(v)));
  std::string s = v.get<std::string>();
  if (s.size() < minBytes || s.size() > maxBytes)
    throw LineError(str(path, ": expected ", std::to_string(minBytes), " to ",
                        std::to_string(maxBytes), " bytes, got ", std::to_string(s.size())));
  return s;
}

const Json& array(const Json& v, const std::string& path, std::size_t maxSize) {
  if (!v.is_array()) throw LineError(str(path, ": expected an array, got ", shown(v)));
  if (v.size() > maxSize)
    throw LineError(str(path, ": ", withCommas(static_cast<long long>(v.size())),
                        " entries; the stream allows at most ",
                        withCommas(static_cast<long long>(maxSize))));
  return v;
}

StreamHeader readHeader(const Json& j) {
  StreamHeader h;
  const Json& version = need(j, "gradscope_stream");
  if (!version.is_number_integer() || version.get<long long>() != kStreamVersion)
    throw LineError(str("stream format version ", shown(version), "; this gradscope reads version ",
                        std::to_string(kStreamVersion),
                        " (update gradscope or the Python package)"));
  onlyKeys(j, {"gradscope_stream", "name", "log_every", "torch", "modules", "params"},
           "the header");
  h.name = text(need(j, "name"), "name", 1, kStreamMaxName);
  h.logEvery = static_cast<int>(integer(need(j, "log_every"), "log_every", 1, 1'000'000'000));
  if (const auto it = j.find("torch"); it != j.end()) h.torch = text(*it, "torch", 0, 64);
  const Json& modules = array(need(j, "modules"), "modules", kStreamMaxModules);
  for (std::size_t i = 0; i < modules.size(); ++i) {
    const std::string at = str("modules[", std::to_string(i), "]");
    const Json& m = modules[i];
    if (!m.is_object()) throw LineError(str(at, ": expected an object, got ", shown(m)));
    onlyKeys(m, {"name", "type", "relu"}, at.c_str());
    StreamModule out;
    out.name = text(need(m, "name"), at + ".name", 0, kStreamMaxName);
    out.type = text(need(m, "type"), at + ".type", 1, kStreamMaxType);
    if (const auto it = m.find("relu"); it != m.end()) {
      if (!it->is_boolean()) throw LineError(str(at, ".relu: expected true or false"));
      out.relu = it->get<bool>();
    }
    h.modules.push_back(std::move(out));
  }
  const Json& params = array(need(j, "params"), "params", kStreamMaxTensors);
  if (params.empty()) throw LineError("params: a run needs at least one parameter");
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string at = str("params[", std::to_string(i), "]");
    const Json& p = params[i];
    if (!p.is_object()) throw LineError(str(at, ": expected an object, got ", shown(p)));
    onlyKeys(p, {"name", "shape", "module"}, at.c_str());
    StreamParam out;
    out.name = text(need(p, "name"), at + ".name", 1, kStreamMaxName);
    const Json& shape = array(need(p, "shape"), at + ".shape", kStreamMaxDims);
    for (std::size_t d = 0; d < shape.size(); ++d)
      out.shape.push_back(integer(shape[d], str(at, ".shape[", std::to_string(d), "]"), 0,
                                  std::numeric_limits<int>::max()));
    if (h.modules.empty()) throw LineError(str(at, ".module: the header lists no modules"));
    out.module = static_cast<int>(integer(need(p, "module"), at + ".module", 0,
                                          static_cast<long long>(h.modules.size()) - 1));
    if (i > 0 && out.module < h.params[i - 1].module)
      throw LineError(str(at, ": parameters must be grouped by module in forward order (module ",
                          std::to_string(out.module), " after ",
                          std::to_string(h.params[i - 1].module), ")"));
    for (const StreamParam& q : h.params)
      if (q.name == out.name) throw LineError(str(at, ".name: \"", out.name, "\" twice"));
    h.params.push_back(std::move(out));
  }
  return h;
}

// A number, null (NaN) or "nan"/"inf"/"-inf". `finite` is cleared for the latter.
double value(const Json& v, const std::string& path, bool& finite) {
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (v.is_number()) {
    const double x = v.get<double>();
    if (!std::isfinite(x)) finite = false;  // not reachable from JSON text; kept for safety
    return x;
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    finite = false;
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  throw LineError(
      str(path, ": expected a number, null, \"nan\", \"inf\" or \"-inf\", got ", shown(v)));
}

void readFloats(const Json& j, const char* key, std::size_t count, double lo, double hi,
                const auto& nameOf, std::vector<float>& out, std::string& nonFinite) {
  const Json& a = array(need(j, key), key, count);
  if (a.size() != count)
    throw LineError(str(key, ": ", std::to_string(a.size()), " entries; the header has ",
                        std::to_string(count)));
  out.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    bool finite = true;
    const std::string path = str(key, "[", std::to_string(i), "]");
    const double x = value(a[i], path, finite);
    if (!finite) {
      if (nonFinite.empty())
        nonFinite = str(key, " of ", nameOf(i), " is ",
                        std::isnan(x) ? "nan"
                        : x > 0       ? "inf"
                                      : "-inf");
    } else if (x == x && (x < lo || x > hi)) {
      throw LineError(str(path, ": expected ", lo == 0 && hi == 1 ? "0 to 1" : "a value >= 0",
                          ", got ", shown(a[i])));
    }
    // A finite double beyond the float range is infinite as a float: diverged, not an error.
    const float f = static_cast<float>(x);
    if (finite && x == x && !std::isfinite(f) && nonFinite.empty())
      nonFinite = str(key, " of ", nameOf(i), " is beyond the float range");
    out[i] = f;
  }
}

StreamRecord readRecord(const Json& j, const StreamHeader& h, long long lastStep) {
  onlyKeys(j, {"step", "grad", "ratio", "dz", "dead", "scalars"}, "a record");
  StreamRecord r;
  r.step = integer(need(j, "step"), "step", 1, std::numeric_limits<long long>::max() / 2);
  if (r.step <= lastStep)
    throw LineError(str("step ", std::to_string(r.step), " after step ", std::to_string(lastStep),
                        " (steps must increase)"));
  const double inf = std::numeric_limits<double>::infinity();
  const auto param = [&](std::size_t i) { return h.params[i].name; };
  const auto module = [&](std::size_t i) {
    return h.modules[i].name.empty() ? str("(", h.modules[i].type, ")") : h.modules[i].name;
  };
  readFloats(j, "grad", h.params.size(), 0, inf, param, r.grad, r.nonFinite);
  readFloats(j, "ratio", h.params.size(), 0, inf, param, r.ratio, r.nonFinite);
  readFloats(j, "dz", h.modules.size(), 0, inf, module, r.dz, r.nonFinite);
  readFloats(j, "dead", h.modules.size(), 0, 1, module, r.dead, r.nonFinite);
  if (const auto it = j.find("scalars"); it != j.end()) {
    if (!it->is_object()) throw LineError(str("scalars: expected an object, got ", shown(*it)));
    if (it->size() > static_cast<std::size_t>(kStreamMaxScalars))
      throw LineError(str("scalars: ", std::to_string(it->size()), " entries; at most ",
                          std::to_string(kStreamMaxScalars)));
    for (const auto& [key, v] : it->items()) {
      if (key.empty() || key.size() > kStreamMaxScalarKey)
        throw LineError(
            str("scalars: names are 1 to ", std::to_string(kStreamMaxScalarKey), " bytes"));
      bool finite = true;
      const double x = value(v, str("scalars.", key), finite);
      if (!finite && r.nonFinite.empty())
        r.nonFinite = str(key, " is ", std::isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
      r.scalars.emplace_back(key, x);
    }
  }
  return r;
}

}  // namespace

double StreamRecord::scalar(std::string_view key) const {
  for (const auto& [k, v] : scalars)
    if (k == key) return v;
  return std::numeric_limits<double>::quiet_NaN();
}

bool StreamReader::feed(std::string_view bytes) {
  while (!failed() && !bytes.empty()) {
    const std::size_t nl = bytes.find('\n');
    const std::size_t take = nl == std::string_view::npos ? bytes.size() : nl;
    if (m_partial.size() + take > kStreamMaxLine) {
      fail(str("line ", std::to_string(m_line + 1), " is longer than ",
               withCommas(static_cast<long long>(kStreamMaxLine)), " bytes (the stream's limit)"));
      break;
    }
    if (nl == std::string_view::npos) {
      m_partial.append(bytes);
      break;
    }
    ++m_line;
    if (m_partial.empty()) {
      parseLine(bytes.substr(0, nl));
    } else {
      m_partial.append(bytes.substr(0, nl));
      parseLine(m_partial);
      m_partial.clear();
    }
    bytes.remove_prefix(nl + 1);
  }
  return !failed();
}

bool StreamReader::finish() {
  if (failed()) return false;
  if (!m_partial.empty())
    fail(str("line ", std::to_string(m_line + 1),
             " is truncated (the stream ended without its "
             "newline)"));
  else if (!m_hasHeader)
    fail(m_line == 0 ? "the stream is empty (no header line)" : "the stream has no header");
  return !failed();
}

void StreamReader::fail(std::string message) {
  if (m_error.empty()) m_error = std::move(message);
  m_partial.clear();
  m_partial.shrink_to_fit();
}

void StreamReader::parseLine(std::string_view line) {
  try {
    if (line.empty() || line.find_first_not_of(" \t\r") == std::string_view::npos)
      throw LineError("empty line");
    const Json j = parseLineJson(line);
    if (!j.is_object()) throw LineError(str("expected a JSON object, got ", shown(j)));
    const bool isHeader = j.contains("gradscope_stream");
    if (!m_hasHeader) {
      if (!isHeader)
        throw LineError(
            "not a gradscope watch stream (the first line has no \"gradscope_stream\" "
            "version)");
      m_header = readHeader(j);
      m_hasHeader = true;
      return;
    }
    if (isHeader) {
      if (!(readHeader(j) == m_header))
        throw LineError("the header changed mid-stream (another run's header in the same stream)");
      return;  // the same header again (a writer that reconnected)
    }
    StreamRecord r = readRecord(j, m_header, m_lastStep);
    m_lastStep = r.step;
    m_records.push_back(std::move(r));
  } catch (const LineError& e) {
    fail(str("line ", std::to_string(m_line), ": ", e.what()));
  } catch (const std::exception& e) {  // nlohmann's type errors and the like: still one line
    fail(str("line ", std::to_string(m_line), ": ", e.what()));
  }
}

}  // namespace gradscope
