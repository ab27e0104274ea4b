// `gradscope --bench-frames N`: the cost of the app's frames while training runs. Four runs
// train while the window draws N frames; frames after the first 10 are timed (the UI thread's
// CPU time, wall time from frame start to rendered and to presented, vertices), and the trainer's
// throughput is set beside the same session trained without a window.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "train/run_config.h"
#include "train/session.h"
#include "train/snapshot.h"

namespace gradscope::ui {

// The default session with four runs (sigmoid, ReLU, tanh, leaky ReLU).
SessionConfig benchSession();

// Steps per second of `session` trained without a window for about 3 s, and of its first run
// alone (what each of several runs can expect at best is that ÷ the run count).
struct HeadlessRates {
  float session = 0;
  float singleRun = 0;
};
HeadlessRates measureHeadless(const SessionConfig& session, const SessionOptions& options);

// A frame's clocks, started at construction: wall time and the calling thread's CPU time
// (the UI thread's own work, not the trainer's or a software renderer's threads).
class FrameClock {
 public:
  FrameClock();
  double wallMs() const;
  double cpuMs() const;

 private:
  std::chrono::steady_clock::time_point m_wall;
  double m_cpu;
};

class FrameBench {
 public:
  explicit FrameBench(int frames) : m_frames(frames) {}
  bool enabled() const { return m_frames > 0; }
  // At the start of loop iteration `number` (1-based), before the frame is drawn.
  void frameStarts(int number);
  // Frame `number` has rendered: its times (FrameClock) and the vertices it drew.
  void frameRendered(int number, double wallMs, double cpuMs, long vertices);
  // Frame `number` was presented: how long the swap took (a software renderer rasterizes the
  // frame there, and the X server copies it).
  void frameSwapped(int number, double swapMs);
  // Right after the loop, with how many frames it drew.
  void loopEnded(int framesDrawn);
  // The report on stdout. `last` is the trainer's newest snapshot; `recording` the
  // recording's summary ("" when none).
  void print(int fbw, int fbh, const SessionConfig& session, const Snapshot& last,
             const HeadlessRates& headless, const std::string& recording) const;

 private:
  int m_frames;
  std::vector<double> m_cpuMs, m_wallMs, m_swapMs, m_frameMs;  // m_frameMs: wall + swap
  long m_vertices = 0;
  std::chrono::steady_clock::time_point m_start{};  // loop iteration 11 began
  double m_seconds = 0;                             // from there to the loop's end
  int m_framesDrawn = 0;
};

}  // namespace gradscope::ui
