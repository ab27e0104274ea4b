// The watch stream's reader: the lines gradscope.watch() writes about a PyTorch run (the
// format is docs/STREAM.md) turned into a header and per-step records. Strict and bounded: a
// line over the limit, more tensors than the limit, nesting deeper than the format's, or any
// value of the wrong type or range stops the stream with one message that names the line.
// It keeps one partial line and the header, whatever the stream's length. No threads, no
// files: the app's socket and file followers, `gradscope replay` and the fuzzer feed it bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gradscope {

// The format's limits (docs/STREAM.md, "Limits"; python/gradscope/_stream.py writes within them).
inline constexpr int kStreamVersion = 1;
inline constexpr std::size_t kStreamMaxLine = 4u * 1024 * 1024;  // bytes before '\n'
inline constexpr int kStreamMaxTensors = 10000;
inline constexpr int kStreamMaxModules = 10000;
inline constexpr std::size_t kStreamMaxName = 256;  // bytes
inline constexpr std::size_t kStreamMaxType = 64;
inline constexpr int kStreamMaxDims = 8;
inline constexpr int kStreamMaxScalars = 64;
inline constexpr std::size_t kStreamMaxScalarKey = 64;
inline constexpr int kStreamMaxDepth = 4;  // nested arrays and objects in a line

struct StreamModule {
  std::string name;   // as model.named_modules() names it ("" for the model itself)
  std::string type;   // class name: "Linear", "ReLU", ...
  bool relu = false;  // ReLU family: its records carry a dead share
  bool operator==(const StreamModule&) const = default;
};

struct StreamParam {
  std::string name;  // as model.named_parameters() names it
  std::vector<long long> shape;
  int module = 0;  // index into StreamHeader::modules
  bool operator==(const StreamParam&) const = default;
};

struct StreamHeader {
  int version = kStreamVersion;
  std::string name;
  int logEvery = 1;
  std::string torch;                  // the writer's torch version; may be empty
  std::vector<StreamModule> modules;  // forward order
  std::vector<StreamParam> params;    // grouped by module, forward order
  bool operator==(const StreamHeader&) const = default;
};

// One logged step. A missing value (JSON null) is a quiet NaN; a non-finite value ("nan",
// "inf", "-inf") is NaN or ±infinity and `nonFinite` names the first one.
struct StreamRecord {
  long long step = 0;
  std::vector<float> grad, ratio;                       // per header parameter
  std::vector<float> dz, dead;                          // per header module
  std::vector<std::pair<std::string, double>> scalars;  // in the record's order
  std::string nonFinite;  // e.g. "grad of fc1.weight is nan"; empty when all are finite
  // A scalar's value, or NaN when the record has none by that name.
  double scalar(std::string_view key) const;
};

class StreamReader {
 public:
  // Feeds the stream's next bytes; every complete line is parsed. Returns false once the
  // stream is bad (error() says why); later calls do nothing.
  bool feed(std::string_view bytes);
  // The stream has ended: a partial last line, or no header at all, is an error.
  bool finish();

  bool failed() const { return !m_error.empty(); }
  const std::string& error() const { return m_error; }
  bool hasHeader() const { return m_hasHeader; }
  const StreamHeader& header() const { return m_header; }
  // Records parsed since the last takeRecords(), in stream order.
  std::vector<StreamRecord> takeRecords() { return std::exchange(m_records, {}); }
  bool hasRecords() const { return !m_records.empty(); }
  long long lines() const { return m_line; }                     // complete lines read
  std::size_t pendingBytes() const { return m_partial.size(); }  // of a line not yet ended
  long long lastStep() const { return m_lastStep; }

 private:
  void parseLine(std::string_view line);
  void fail(std::string message);

  StreamHeader m_header;
  bool m_hasHeader = false;
  std::vector<StreamRecord> m_records;
  std::string m_partial;
  long long m_line = 0;
  long long m_lastStep = 0;
  std::string m_error;
};

}  // namespace gradscope
