// `gradscope soak` (see soak_command.h). It drives the same Session as the app's worker — the
// runs side by side on --threads threads, their evaluations and decision grids within budget,
// a new Snapshot whenever one is due, replacing the one before (as the UI would hold it) — on
// this thread. Memory is read from /proc/self/status:
// VmHWM (the peak resident set) and VmRSS (the current one), sampled every tenth of the
// steps; the baseline is the sample at 1M steps (a tenth of the total for shorter soaks).
#include "cli/soak_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/parse.h"
#include "cli/text.h"
#include "train/session.h"

namespace gradscope::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

constexpr long long kDefaultSteps = 10'000'000;
constexpr long long kMaxSteps = 10'000'000'000;
constexpr long long kBaselineSteps = 1'000'000;
constexpr double kGrowthTarget = 5.0;  // percent of the baseline's peak RSS

// Resident memory in KiB, from /proc/self/status; -1 where it cannot be read.
struct Memory {
  long long peakKiB = -1;  // VmHWM
  long long rssKiB = -1;   // VmRSS
};

Memory readMemory() {
  Memory m;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    long long* field = line.starts_with("VmHWM:")   ? &m.peakKiB
                       : line.starts_with("VmRSS:") ? &m.rssKiB
                                                    : nullptr;
    if (!field) continue;
    const auto digits = line.find_first_of("0123456789");
    if (digits == std::string::npos) continue;
    std::from_chars(line.data() + digits, line.data() + line.size(), *field);
  }
  return m;
}

std::string mib(long long kib) {
  return kib < 0 ? "n/a" : format("%.1f MiB", static_cast<double>(kib) / 1024.0);
}

struct Sample {
  long long step = 0;
  double seconds = 0;
  Memory memory;
};

struct Slot {
  long long steps = 0;
  int resets = 0;
};

struct Result {
  long long steps = 0;
  double seconds = 0;
  std::vector<Sample> samples;  // the first one is the baseline
  Sample baseline, end;
  double growth = 0;  // percent; NaN when memory cannot be read
  long snapshots = 0, evaluations = 0, grids = 0;
  int threads = 1;
  std::vector<std::string> labels;
  std::vector<float> losses;
  std::vector<const Slot*> slots;
};

SessionConfig soakSession() {
  SessionConfig s;  // XOR, 400 samples, 20% held out, seed 1
  s.runs.clear();
  for (Activation a :
       {Activation::Sigmoid, Activation::ReLU, Activation::Tanh, Activation::LeakyReLU}) {
    RunConfig r;  // 10 × 10, BCE, SGD lr 0.1, batch 32
    r.activation = freshActivation(a);
    // He weights: with the default N(0, 1), Leaky ReLU diverges within two steps at lr 0.1
    // (and ReLU dies), so the soak would measure resets rather than training.
    r.init = Init::HeNormal;
    s.runs.push_back(r);
  }
  return s;
}

std::string sampleRow(const Sample& s) {
  return cat(pad(thousands(s.step), 14, true), pad(format("%.1f", s.seconds), 10, true),
             pad(mib(s.memory.peakKiB), 14, true), pad(mib(s.memory.rssKiB), 14, true), "\n");
}

// Trains and samples memory; each sample's row goes to `progress` as it is taken, if given.
Result soak(long long totalSteps, int threads, std::vector<Slot>& slots,
            const SessionConfig& config, std::ostream* progress) {
  Result r;
  r.threads = threads;
  const long long sampleEvery = std::max(1LL, std::min(kBaselineSteps, totalSteps / 10));
  SessionOptions options;
  options.threads = threads;
  options.sliceSeconds = 1.0;  // ticks end on step counts, so every run gets its exact share
  Session session(config, options);
  slots.resize(static_cast<size_t>(session.runCount()));
  std::shared_ptr<const Snapshot> latest = session.publish();
  ++r.snapshots;

  const auto start = Clock::now();
  const auto sample = [&] {
    r.samples.push_back({r.steps, seconds(Clock::now() - start), readMemory()});
    if (progress) *progress << sampleRow(r.samples.back()) << std::flush;
  };
  std::vector<long> before(slots.size(), 0);
  long long nextSample = sampleEvery;
  while (r.steps < totalSteps) {
    // Each run steps an equal share of what is left before the next sample (or the end).
    const long long target = std::min(nextSample, totalSteps);
    const long long share = (target - r.steps + session.runCount() - 1) / session.runCount();
    session.setMaxStepsPerTick(static_cast<int>(std::min<long long>(share, 4096)));
    session.tick();
    for (int i = 0; i < session.runCount(); ++i) {
      Slot& s = slots[static_cast<size_t>(i)];
      const Run& run = session.run(i);
      const long now = run.steps();
      s.steps += now - before[static_cast<size_t>(i)];
      r.steps += now - before[static_cast<size_t>(i)];
      before[static_cast<size_t>(i)] = now;
      if (run.state() == RunState::Diverged) {  // starts over, as a learner would reset it
        session.resetRun(i);
        before[static_cast<size_t>(i)] = 0;
        ++s.resets;
      }
    }
    if (session.publishDue()) {
      latest = session.publish();
      ++r.snapshots;
    }
    while (r.steps >= nextSample && nextSample <= totalSteps) {
      sample();
      nextSample += sampleEvery;
    }
  }
  r.seconds = seconds(Clock::now() - start);
  if (r.samples.empty() || r.samples.back().step != r.steps) sample();
  r.baseline = r.samples.front();
  r.end = r.samples.back();
  r.growth = r.baseline.memory.peakKiB > 0 && r.end.memory.peakKiB >= 0
                 ? 100.0 * static_cast<double>(r.end.memory.peakKiB - r.baseline.memory.peakKiB) /
                       static_cast<double>(r.baseline.memory.peakKiB)
                 : std::nan("");
  for (size_t i = 0; i < slots.size(); ++i) {
    r.labels.push_back(runLabel(config, static_cast<int>(i)));
    r.slots.push_back(&slots[i]);
  }
  for (int i = 0; i < session.runCount(); ++i) r.losses.push_back(session.run(i).lastLoss());
  r.evaluations = session.evaluations();
  r.grids = session.grids();
  return r;
}

bool passes(const Result& r) { return std::isfinite(r.growth) && r.growth <= kGrowthTarget; }

void printHeader(std::ostream& out, long long steps) {
  out << "gradscope soak: " << thousands(steps)
      << " steps in total, 4 runs (2 → 10×10 → 1 on XOR, He init, batch 32, SGD lr 0.1) "
         "side by side, with the worker's evaluations, decision grids and snapshots\n\n";
  out << pad("step", 14, true) << pad("seconds", 10, true) << pad("peak RSS", 14, true)
      << pad("RSS", 14, true) << '\n';
}

// After the sample rows: the baseline and the end, growth, speed, the runs.
void printSummary(std::ostream& out, const Result& r) {
  out << '\n';
  out << "peak RSS at " << thousands(r.baseline.step)
      << " steps: " << mib(r.baseline.memory.peakKiB) << " (RSS " << mib(r.baseline.memory.rssKiB)
      << ")\n";
  out << "peak RSS at " << thousands(r.end.step) << " steps: " << mib(r.end.memory.peakKiB)
      << " (RSS " << mib(r.end.memory.rssKiB) << ")\n";
  out << "growth: " << (std::isfinite(r.growth) ? format("%+.2f%%", r.growth) : std::string("n/a"))
      << format("  (target ≤ %.0f%%)", kGrowthTarget) << (passes(r) ? "  PASS" : "  MISS") << '\n';
  out << "speed: " << thousands(std::llround(r.seconds > 0 ? r.steps / r.seconds : 0))
      << " steps/s over " << format("%.1f", r.seconds) << " s on " << r.threads << " thread"
      << (r.threads == 1 ? "" : "s") << "; " << thousands(r.evaluations) << " evaluations, "
      << thousands(r.grids) << " decision grids, " << thousands(r.snapshots) << " snapshots\n";
  for (size_t i = 0; i < r.slots.size(); ++i) {
    const Slot& s = *r.slots[i];
    out << "  " << pad(r.labels[i], 12) << pad(thousands(s.steps), 12, true) << " steps, loss "
        << format("%.4g", r.losses[i]);
    if (s.resets > 0) out << ", reset " << s.resets << "× after diverging";
    out << '\n';
  }
}

void printJson(std::ostream& out, const Result& r) {
  using Json = nlohmann::ordered_json;
  const auto memory = [](const Sample& s) {
    return Json{{"step", s.step},
                {"seconds", s.seconds},
                {"peak_rss_kib", s.memory.peakKiB},
                {"rss_kib", s.memory.rssKiB}};
  };
  Json j;
  j["steps"] = r.steps;
  j["seconds"] = r.seconds;
  j["steps_per_second"] = r.seconds > 0 ? r.steps / r.seconds : 0.0;
  j["baseline"] = memory(r.baseline);
  j["end"] = memory(r.end);
  j["growth_percent"] = std::isfinite(r.growth) ? Json(r.growth) : Json(nullptr);
  j["growth_target_percent"] = kGrowthTarget;
  j["pass"] = passes(r);
  j["threads"] = r.threads;
  j["evaluations"] = r.evaluations;
  j["grids"] = r.grids;
  j["snapshots"] = r.snapshots;
  j["samples"] = Json::array();
  for (const Sample& s : r.samples) j["samples"].push_back(memory(s));
  j["runs"] = Json::array();
  for (size_t i = 0; i < r.slots.size(); ++i) {
    const Slot& s = *r.slots[i];
    j["runs"].push_back(Json{
        {"label", r.labels[i]}, {"steps", s.steps}, {"loss", r.losses[i]}, {"resets", s.resets}});
  }
  out << j.dump(2) << '\n';
}

}  // namespace

int runSoakCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "Memory soak: 4 compare runs (sigmoid, ReLU, tanh, Leaky ReLU; 10×10 network, XOR) train "
      "side by side in the app worker's Session, with its evaluations, decision grids and "
      "snapshots; peak RSS at 1M steps and at the end, and its growth against ≤ 5%.",
      "gradscope soak"};
  app.allow_extras();
  app.set_help_flag("-h,--help", "Show this help and exit");
  app.footer(
      "Memory is read from /proc/self/status (VmHWM: peak resident set; VmRSS: current). A "
      "benchmark, not a "
      "test: the default 10,000,000 steps take a few minutes. Exit code 0 whatever the outcome, 2 "
      "for a bad "
      "flag.");
  std::string stepsText = std::to_string(kDefaultSteps);
  bool json = false;
  app.add_option("--steps", stepsText,
                 "Steps in total over the 4 runs, 1 to 10,000,000,000 (default 10,000,000)")
      ->type_name("N");
  app.add_flag("--json", json, "Machine-readable output");
  std::string threadsText;
  addThreadsOption(app, threadsText);
  const auto usage = [&](const std::string& line) {
    err << "gradscope soak: " << line << '\n';
    return 2;
  };
  if (const auto code = parseSubcommand(app, args, "soak", out, err)) return *code;
  long long steps = 0;
  const auto [end, ec] =
      std::from_chars(stepsText.data(), stepsText.data() + stepsText.size(), steps);
  if (ec != std::errc() || end != stepsText.data() + stepsText.size() || steps < 1 ||
      steps > kMaxSteps)
    return usage(cat("--steps: expected an integer 1 to 10,000,000,000 (got '", stepsText, "')"));

  int threads = 1;
  if (auto bad = parseThreads(threadsText, TaskPool::defaultThreads(), threads)) return usage(*bad);
  const SessionConfig session = soakSession();
  std::vector<Slot> slots;
  if (!json) printHeader(out, steps);
  const Result r = soak(steps, threads, slots, session, json ? nullptr : &out);
  if (json)
    printJson(out, r);
  else
    printSummary(out, r);
  return 0;
}

}  // namespace gradscope::cli
