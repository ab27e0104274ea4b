// The frame benchmark (see frame_bench.h).
#include "ui/frame_bench.h"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "gfx/framebuffer.h"
#include "train/trainer.h"
#include "ui/app.h"

namespace gradscope::ui {
namespace {

using Clock = std::chrono::steady_clock;

float totalStepsPerSecond(const Snapshot& s) {
  float sps = 0;
  for (const auto& r : s.runs) sps += r.stepsPerSecond;
  return sps;
}

// The process's peak resident memory (VmHWM), in MiB; 0 where /proc cannot be read.
double peakRssMiB() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("VmHWM:")) return std::atof(line.c_str() + 6) / 1024.0;
  return 0;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * (v.size() - 1) + 0.5))];
}

double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

}  // namespace

SessionConfig benchSession() {
  SessionConfig c = defaultSession();
  // Lesson 1's pace is for watching; the benchmark trains flat out and never pauses.
  c.speed = SpeedMode::Unlimited;
  c.view.horizon = 0;
  RunConfig base = c.runs[0];
  c.runs.clear();
  for (Activation a :
       {Activation::Sigmoid, Activation::ReLU, Activation::Tanh, Activation::LeakyReLU}) {
    base.activation = freshActivation(a);
    c.runs.push_back(base);
  }
  return c;
}

HeadlessRates measureHeadless(const SessionConfig& session, const SessionOptions& options) {
  const auto measure = [&](const SessionConfig& c) {
    Trainer headless(c, options);
    std::this_thread::sleep_for(std::chrono::milliseconds(3200));
    return totalStepsPerSecond(*headless.latest());
  };
  HeadlessRates rates;
  rates.session = measure(session);
  SessionConfig single = session;
  single.runs.resize(1);
  rates.singleRun = session.runs.size() > 1 ? measure(single) : rates.session;
  return rates;
}

FrameClock::FrameClock() : m_wall(Clock::now()), m_cpu(threadCpuMs()) {}
double FrameClock::wallMs() const {
  return std::chrono::duration<double, std::milli>(Clock::now() - m_wall).count();
}
double FrameClock::cpuMs() const { return threadCpuMs() - m_cpu; }

void FrameBench::frameStarts(int number) {
  if (number == 11) m_start = Clock::now();
}

void FrameBench::frameRendered(int number, double wallMs, double cpuMs, long vertices) {
  if (m_frames <= 0 || number <= 10) return;
  m_cpuMs.push_back(cpuMs);
  m_wallMs.push_back(wallMs);
  m_vertices += vertices;
}

void FrameBench::frameSwapped(int number, double swapMs) {
  if (m_frames <= 0 || number <= 10 || m_wallMs.empty()) return;
  m_swapMs.push_back(swapMs);
  m_frameMs.push_back(m_wallMs.back() + swapMs);
}

void FrameBench::loopEnded(int framesDrawn) {
  m_seconds = std::chrono::duration<double>(Clock::now() - m_start).count();
  m_framesDrawn = framesDrawn;
}

void FrameBench::print(int fbw, int fbh, const SessionConfig& session, const Snapshot& last,
                       const HeadlessRates& headless, const std::string& recording) const {
  const float windowSps = totalStepsPerSecond(last);
  // The pace the trainer ran at (its own config, as the last snapshot has it): frame times
  // beside a capped trainer would flatter the window.
  char pace[64] = "training uncapped";
  if (last.config.speed == SpeedMode::Capped)
    std::snprintf(pace, sizeof pace, "training capped at %.0f steps/s a run",
                  last.config.stepsPerSecond);
  std::printf("gradscope --bench-frames %d: %d×%d framebuffer, %zu runs of %zu×%d, %s, %s\n",
              m_frames, fbw, fbh, session.runs.size(), session.runs[0].hidden.size(),
              session.runs[0].hidden[0], pace, gfx::glVersionString().c_str());
  std::printf("  frame CPU time (UI thread): median %.2f ms, p95 %.2f ms (target p95 <= 16 ms)\n",
              percentile(m_cpuMs, 0.5), percentile(m_cpuMs, 0.95));
  std::printf(
      "  frame wall time (build, render, swap): median %.2f ms, p95 %.2f ms (target median <= 50 "
      "ms)\n    of which building and submitting median %.2f ms, the swap median %.2f ms (a "
      "software renderer rasterizes there); %ld vertices per frame\n",
      percentile(m_frameMs, 0.5), percentile(m_frameMs, 0.95), percentile(m_wallMs, 0.5),
      percentile(m_swapMs, 0.5),
      m_vertices / std::max<long>(1, static_cast<long>(m_wallMs.size())));
  std::printf("  trainer: %.0f steps/s with the window, %.0f headless: %.0f%% (target >= 70%%)\n",
              windowSps, headless.session,
              headless.session > 0 ? 100.0 * windowSps / headless.session : 0.0);
  const double fair = headless.singleRun / static_cast<double>(last.runs.size());
  std::printf("  per run with the window (one run alone headless: %.1f steps/s, ÷ %zu = %.1f):",
              headless.singleRun, last.runs.size(), fair);
  for (const auto& r : last.runs)
    std::printf(" %.1f (%.0f%%)", r.stepsPerSecond, fair > 0 ? 100.0 * r.stepsPerSecond / fair : 0);
  std::printf("\n  peak RSS %.1f MiB, %d training thread%s\n", peakRssMiB(), last.threads,
              last.threads == 1 ? "" : "s");
  if (m_framesDrawn > 11)
    std::printf("  app frame rate: %.1f frames/s over frames 11–%d (paced to at most 60)\n",
                (m_framesDrawn - 10) / m_seconds, m_framesDrawn);
  if (!recording.empty()) std::printf("  recording: %s\n", recording.c_str());
}

}  // namespace gradscope::ui
