// `gradscope bench` (see bench_command.h): each reference workload trains on this thread for
// a fixed time exactly as the app's worker would — every per-step measurement on, a
// whole-set evaluation every N steps with N chosen so evaluation costs about 2% — and the
// steps per second and measurement share are compared with the targets.
#include "cli/bench_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/parse.h"
#include "cli/text.h"
#include "train/float_mode.h"
#include "train/run.h"
#include "train/trainer.h"

namespace gradscope::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

constexpr double kMeasureTarget = 0.10;        // measurements ≤ 10% of the time
constexpr double kEvalShare = kEvalTimeShare;  // the worker's whole-set evaluation budget

struct Workload {
  std::string_view name;
  std::string_view description;
  int depth, width;
  Activation activation;
  Init init;
  OptimizerConfig optimizer;
  int batch;
  double target;  // steps/s
};

const std::vector<Workload>& workloads() {
  static const std::vector<Workload> all{
      {"W1", "2 → 10×10 sigmoid → 1, batch 32, SGD lr 0.1", 10, 10, Activation::Sigmoid,
       Init::Normal, OptimizerConfig{OptimizerKind::SGD, {{"lr", 0.1}}}, 32, 30'000},
      {"W2", "2 → 8×64 ReLU → 1, batch 64, Adam", 8, 64, Activation::ReLU, Init::HeNormal,
       OptimizerConfig{OptimizerKind::Adam, {}}, 64, 3'000},
      {"W3", "2 → 32×16 tanh → 1, batch 128, RMSprop", 32, 16, Activation::Tanh, Init::XavierNormal,
       OptimizerConfig{OptimizerKind::RMSprop, {}}, 128, 2'000},
  };
  return all;
}

struct Result {
  const Workload* workload = nullptr;
  long steps = 0;
  double seconds = 0;
  double stepsPerSecond = 0;
  double measureShare = 0;
  int evalEvery = 0;
  std::string diverged;
};

Result runWorkload(const Workload& w, double budget) {
  SessionConfig session;  // XOR, 400 samples, 20% held out, seed 1
  RunConfig& rc = session.runs[0];
  rc.hidden.assign(static_cast<size_t>(w.depth), w.width);
  rc.activation = {w.activation, 0.0};
  rc.init = w.init;
  rc.loss = Loss::BCE;
  rc.optimizer = w.optimizer;
  rc.batchSize = w.batch;
  const auto data = makeSessionData(session);
  const FlushDenormals flush;  // as `gradscope train` trains
  Run run(0, rc, data, session.seed);
  run.setState(RunState::Running);

  // The eval interval as the worker sets it: after every whole-set evaluation, N steps such
  // that evaluating costs kEvalShare of the time (N = ⌈eval time / (kEvalShare · step time)⌉).
  Result r;
  r.workload = &w;
  double stepTime = 0;
  const auto evaluate = [&] {
    const auto e0 = Clock::now();
    run.evaluate();
    const double evalTime = seconds(Clock::now() - e0);
    r.evalEvery = static_cast<int>(
        std::clamp(std::ceil(evalTime / (kEvalShare * std::max(stepTime, 1e-9))), 10.0, 1e6));
    return evalTime;
  };
  // Warm-up: the first step and the first evaluation size their buffers.
  for (int i = 0; i < 50; ++i) run.step();
  run.evaluate();
  constexpr int kCalibrationSteps = 200;
  const auto t0 = Clock::now();
  for (int i = 0; i < kCalibrationSteps; ++i) run.step();
  stepTime = seconds(Clock::now() - t0) / kCalibrationSteps;
  evaluate();

  run.reset(session.seed);  // fresh weights and time totals for the measured part
  run.setState(RunState::Running);
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget));
  int sinceEval = 0;
  while (true) {
    if (!run.step()) {
      r.diverged = run.reason();
      break;
    }
    ++r.steps;
    if (++sinceEval >= r.evalEvery) {
      sinceEval = 0;
      stepTime = run.meanStepSeconds();
      run.addTimes(0.0, evaluate());
    }
    if ((r.steps & 31) == 0 && Clock::now() >= deadline) break;
  }
  r.seconds = seconds(Clock::now() - start);
  r.stepsPerSecond = r.seconds > 0 ? static_cast<double>(r.steps) / r.seconds : 0;
  r.measureShare = run.measureShare();
  return r;
}

void printTable(std::ostream& out, const std::vector<Result>& results, double budget) {
  out << "gradscope bench: " << format("%g", budget)
      << " s per workload, one thread, every per-step measurement on, whole-set evaluation every N "
         "steps "
         "(N set so it costs about 2%)\n\n";
  out << pad("workload", 48) << pad("steps/s", 10, true) << pad("target", 12, true) << "      "
      << pad("measurements", 12, true) << pad("target", 8, true) << "      "
      << pad("eval every", 14, true) << '\n';
  for (const Result& r : results) {
    const bool fast = r.stepsPerSecond >= r.workload->target;
    const bool light = r.measureShare <= kMeasureTarget;
    out << pad(cat(r.workload->name, "  ", r.workload->description), 48)
        << pad(thousands(std::llround(r.stepsPerSecond)), 10, true)
        << pad(cat("≥ ", thousands(std::llround(r.workload->target))), 12, true)
        << (fast ? "  PASS" : "  MISS") << pad(format("%.1f%%", 100 * r.measureShare), 12, true)
        << pad(format("≤ %.0f%%", 100 * kMeasureTarget), 8, true) << (light ? "  PASS" : "  MISS")
        << pad(cat(thousands(r.evalEvery), " steps"), 14, true) << '\n';
    if (!r.diverged.empty())
      out << "  " << r.workload->name << " stopped early: " << r.diverged << '\n';
  }
}

void printJson(std::ostream& out, const std::vector<Result>& results, double budget) {
  nlohmann::ordered_json j;
  j["seconds_per_workload"] = budget;
  j["measure_share_target"] = kMeasureTarget;
  j["workloads"] = nlohmann::ordered_json::array();
  for (const Result& r : results) {
    nlohmann::ordered_json w;
    w["name"] = r.workload->name;
    w["description"] = r.workload->description;
    w["steps"] = r.steps;
    w["seconds"] = r.seconds;
    w["steps_per_second"] = r.stepsPerSecond;
    w["steps_per_second_target"] = r.workload->target;
    w["steps_per_second_pass"] = r.stepsPerSecond >= r.workload->target;
    w["measure_share"] = r.measureShare;
    w["measure_share_pass"] = r.measureShare <= kMeasureTarget;
    w["eval_every"] = r.evalEvery;
    w["diverged"] =
        r.diverged.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.diverged);
    j["workloads"].push_back(w);
  }
  out << j.dump(2) << '\n';
}

}  // namespace

int runBenchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "Measure training speed (steps/s on one thread, every per-step measurement on) and the share "
      "of time "
      "spent measuring, against the targets.",
      "gradscope bench"};
  app.allow_extras();
  app.set_help_flag("-h,--help", "Show this help and exit");
  app.footer(
      "Workloads (XOR data, 320 training samples): W1 2 → 10×10 sigmoid → 1, batch 32, SGD lr 0.1 "
      "(target ≥ 30,000 "
      "steps/s); W2 2 → 8×64 ReLU → 1, batch 64, Adam (≥ 3,000); W3 2 → 32×16 tanh → 1, batch 128, "
      "RMSprop "
      "(≥ 2,000). Measurements: ≤ 10% of the time. Exit code 0 whatever the outcome (it is a "
      "report), 2 for a bad "
      "flag.");
  std::string secondsText = "3", workload = "all";
  bool json = false;
  app.add_option("--seconds", secondsText, "Seconds per workload, 0.01 to 3600 (default 3)")
      ->type_name("S");
  app.add_option("--workload", workload, "W1, W2, W3 or all (default all)")->type_name("W");
  app.add_flag("--json", json, "Machine-readable output");
  const auto usage = [&](const std::string& line) {
    err << "gradscope bench: " << line << '\n';
    return 2;
  };
  if (const auto code = parseSubcommand(app, args, "bench", out, err)) return *code;
  double budget = 0;
  try {
    size_t used = 0;
    budget = std::stod(secondsText, &used);
    if (used != secondsText.size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    return usage(cat("--seconds: expected a number (got '", secondsText, "')"));
  }
  if (!(budget >= 0.01 && budget <= 3600))
    return usage(cat("--seconds: must be 0.01 to 3600 (got ", secondsText, ")"));
  std::string upper = workload;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  std::vector<const Workload*> chosen;
  for (const Workload& w : workloads())
    if (upper == "ALL" || upper == w.name) chosen.push_back(&w);
  if (chosen.empty())
    return usage(cat("--workload: '", workload, "' is not one of W1, W2, W3, all"));

  std::vector<Result> results;
  for (const Workload* w : chosen) results.push_back(runWorkload(*w, budget));
  if (json)
    printJson(out, results, budget);
  else
    printTable(out, results, budget);
  return 0;
}

}  // namespace gradscope::cli
