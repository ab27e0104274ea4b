// A watched run: a PyTorch run whose steps happen elsewhere (gradscope.watch, docs/STREAM.md).
// Its stream's records fill the same bounded series a Run fills — per parameter tensor ‖grad‖,
// mean |dL/dz| of its module's output and update ratio; per ReLU-family module the dead share;
// the loss and accuracy the user logged — and fillSnapshot publishes them as a RunSnapshot, so
// every panel draws it unchanged. Nothing here can train, reset or reconfigure it. No I/O: the
// Session feeds it the bytes its WatchServer reads.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "train/series.h"
#include "train/snapshot.h"
#include "train/watch_stream.h"

namespace gradscope {

// A stream whose header has not arrived this long after it opened is given up (a client that
// connects and sends nothing).
inline constexpr double kWatchHeaderTimeout = 10.0;  // seconds

class WatchedRun {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  WatchedRun(int id, std::string source, TimePoint opened);

  // The stream's next bytes. Returns true when the run changed (a header, records or an error).
  bool feed(std::string_view bytes);
  // The source ended (a connection closed, or a finished file): a partial last line or no
  // header is an error; either way the run is no longer connected.
  void end();
  // Stops the stream with `reason` (e.g. the header timeout); the run stays, marked disconnected.
  void disconnect(std::string reason);
  // Gives up a stream whose header is overdue; true when it did.
  bool checkHeaderTimeout(TimePoint now);

  int id() const { return m_id; }
  const std::string& source() const { return m_source; }
  bool connected() const { return m_connected; }
  bool hasHeader() const { return m_reader.hasHeader(); }
  // Why the stream stopped (empty while it is good).
  const std::string& error() const { return m_error; }
  long long steps() const { return m_step; }
  const StreamHeader& header() const { return m_reader.header(); }

  void fillSnapshot(RunSnapshot& out) const;

 private:
  void start();  // sizes everything from the header
  void add(const StreamRecord& r);

  int m_id;
  std::string m_source;
  TimePoint m_opened;
  StreamReader m_reader;
  bool m_connected = true;
  bool m_started = false;
  std::string m_error;
  std::string m_diverged;  // "step 12: grad of fc1.weight is nan"
  long long m_step = 0;
  float m_loss = 0;
  std::vector<int> m_moduleOf;  // per parameter: its module
  std::vector<int> m_reluModules;
  std::vector<float> m_grad, m_dz, m_ratio, m_dead;
  BoundedSeries m_lossSeries, m_accuracySeries;
  std::vector<BoundedSeries> m_gradSeries, m_dzSeries, m_ratioSeries, m_deadSeries;
};

}  // namespace gradscope
