// `gradscope train` (see train_command.h): flags → one SessionConfig (a preset, overridden by
// flags, optionally expanded into compare runs), validated completely before anything is
// trained or written; then each Run is stepped on this thread and the outputs, written under
// temporary names while training, are renamed into place.
//
// [SECTION] Errors and values
// [SECTION] Flags
// [SECTION] The session
// [SECTION] Outputs
// [SECTION] Training and the summary
#include "cli/train_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>

#include "cli/output.h"
#include "cli/text.h"
#include "train/asset_paths.h"
#include "train/config_json.h"
#include "train/float_mode.h"
#include "train/run.h"
#include "train/session.h"

namespace gradscope::cli {
namespace {

//-----------------------------------------------------------------------------
// [SECTION] Errors and values
//-----------------------------------------------------------------------------

// A bad flag or value. what() is the line after "gradscope train: " and names the flag.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A value that does not parse or is out of range; the caller adds the flag's name.
class ValueError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs `parse`, turning a ValueError into a UsageError that starts with `flag`.
template <typename F>
auto flagged(std::string_view flag, F&& parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const ValueError& e) {
    throw UsageError(cat(flag, ": ", e.what()));
  }
}

std::string number(double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

double parseReal(std::string_view text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
    throw ValueError(cat("expected a number (got '", text, "')"));
  return v;
}

double parseRealIn(std::string_view text, double lo, double hi) {
  const double v = parseReal(text);
  if (v < lo || v > hi)
    throw ValueError(cat("must be ", number(lo), " to ", number(hi), " (got ", text, ")"));
  return v;
}

long long parseInteger(std::string_view text, long long lo, long long hi) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size())
    throw ValueError(cat("expected an integer (got '", text, "')"));
  if (ec == std::errc::result_out_of_range || v < lo || v > hi)
    throw ValueError(
        cat("must be ", std::to_string(lo), " to ", std::to_string(hi), " (got ", text, ")"));
  return v;
}

// A number in a field's declared range (integers for integer fields).
double parseField(std::string_view text, const FieldSpec& spec) {
  if (spec.integer)
    return static_cast<double>(
        parseInteger(text, static_cast<long long>(spec.min), static_cast<long long>(spec.max)));
  return parseRealIn(text, spec.min, spec.max);
}

std::uint64_t parseSeed(std::string_view text) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    throw ValueError(cat("expected an integer 0 to 18446744073709551615 (got '", text, "')"));
  return v;
}

// A bare boolean flag (--nesterov) is true.
bool parseBool(std::string_view text) {
  if (text.empty() || text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  throw ValueError(cat("expected true or false (got '", text, "')"));
}

template <typename Lookup>
auto parseKey(std::string_view text, Lookup lookup, std::string_view keyList) {
  if (const auto id = lookup(text)) return *id;
  throw ValueError(cat("'", text, "' is not one of ", keyList));
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// "10x10" (depth × width) or "16,16,8" (widths, input side first).
std::vector<int> parseHidden(std::string_view text) {
  const auto bad = [&] {
    return ValueError(cat("expected DEPTHxWIDTH like 10x10 or widths like 16,16,8 (depth 1–",
                          std::to_string(kMaxDepth), ", width 1–", std::to_string(kMaxWidth),
                          "), got '", text, "'"));
  };
  const auto integer = [&](std::string_view part, int hi) {
    int v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || v < 1 || v > hi)
      throw bad();
    return v;
  };
  if (const size_t x = text.find_first_of("xX"); x != std::string_view::npos) {
    const int depth = integer(text.substr(0, x), kMaxDepth);
    const int width = integer(text.substr(x + 1), kMaxWidth);
    return std::vector<int>(static_cast<size_t>(depth), width);
  }
  const auto parts = split(text, ',');
  if (parts.size() > static_cast<size_t>(kMaxDepth)) throw bad();
  std::vector<int> widths;
  for (auto part : parts) widths.push_back(integer(part, kMaxWidth));
  return widths;
}

int parseBatch(std::string_view text) {
  if (text == "full") return 0;
  long long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < 1 ||
      v > kMaxSamples)
    throw ValueError(cat("expected a batch size 1 to ", std::to_string(kMaxSamples),
                         " or 'full' (got '", text, "')"));
  return static_cast<int>(v);
}

Activation parseActivation(std::string_view text) {
  return parseKey(
      text, [](std::string_view k) { return activationFromKey(k); }, activationKeyList());
}
Init parseInit(std::string_view text) {
  return parseKey(
      text, [](std::string_view k) { return initFromKey(k); }, initKeyList());
}
Norm parseNorm(std::string_view text) {
  return parseKey(
      text, [](std::string_view k) { return normFromKey(k); }, normKeyList());
}
OptimizerKind parseOptimizer(std::string_view text) {
  return parseKey(
      text, [](std::string_view k) { return optimizerFromKey(k); }, optimizerKeyList());
}

//-----------------------------------------------------------------------------
// [SECTION] Flags
//-----------------------------------------------------------------------------

// One command-line flag of the optimizer table: PyTorch's tuples share a flag
// (--betas 0.9,0.999), so a flag has one or two elements.
struct HyperFlag {
  std::string_view flag;  // "betas"
  HyperKind kind = HyperKind::Real;
  int arity = 1;
  std::string_view help;
  std::span<const std::string_view> choices;
  std::string_view secondHelp;  // a tuple's second element
  std::string optimizers;       // "sgd, rmsprop"
  int optimizerCount = 0;
  std::optional<double> commonDefault;  // when every optimizer that takes it agrees
  bool defaultsDiffer = false;
};

const std::vector<HyperFlag>& hyperFlags() {
  static const std::vector<HyperFlag> flags = [] {
    std::vector<HyperFlag> out;
    for (const auto& info : optimizerTable())
      for (const auto& p : info.params) {
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const HyperFlag& f) { return f.flag == p.flag; });
        if (it == out.end()) {
          HyperFlag f;
          f.flag = p.flag;
          f.kind = p.kind;
          f.help = p.help;
          f.choices = p.choices;
          it = out.insert(out.end(), f);
        }
        it->arity = std::max(it->arity, p.flagIndex + 1);
        if (p.flagIndex > 0) {  // the tuple's first element already counted this optimizer
          if (it->secondHelp.empty()) it->secondHelp = p.help;
          continue;
        }
        if (!it->commonDefault) it->commonDefault = p.defaultValue;
        it->defaultsDiffer = it->defaultsDiffer || *it->commonDefault != p.defaultValue;
        it->optimizers.append(it->optimizers.empty() ? "" : ", ").append(info.key);
        ++it->optimizerCount;
      }
    return out;
  }();
  return flags;
}

const HyperFlag* findHyperFlag(std::string_view flag) {
  for (const auto& f : hyperFlags())
    if (f.flag == flag) return &f;
  return nullptr;
}

// The values of a hyperparameter flag, one per element ("0.9,0.999" → {0.9, 0.999}).
std::vector<double> parseHyperValues(const HyperFlag& f, std::string_view text) {
  const auto parts = f.arity > 1 ? split(text, ',') : std::vector<std::string_view>{text};
  if (static_cast<int>(parts.size()) != f.arity)
    throw ValueError(cat("expected ", std::to_string(f.arity),
                         " comma-separated numbers like 0.9,0.999 (got '", text, "')"));
  std::vector<double> values;
  for (auto part : parts) switch (f.kind) {
      case HyperKind::Bool:
        values.push_back(parseBool(part) ? 1.0 : 0.0);
        break;
      case HyperKind::Int:
        values.push_back(static_cast<double>(parseInteger(part, -(1LL << 53), 1LL << 53)));
        break;
      case HyperKind::Real:
        values.push_back(parseReal(part));
        break;
      case HyperKind::Choice: {
        std::string list;
        for (auto c : f.choices) list.append(list.empty() ? "" : ", ").append(c);
        const auto it = std::find(f.choices.begin(), f.choices.end(), part);
        if (it == f.choices.end()) throw ValueError(cat("'", part, "' is not one of ", list));
        values.push_back(static_cast<double>(it - f.choices.begin()));
        break;
      }
    }
  return values;
}

// validateOptimizer's message for one flag: "SGD: lr must be ≥ 0 (got -1)" → "must be ≥ 0
// (got -1)"; tuple elements keep their torch name ("betas[0] must be in [0, 1) (got 1)").
std::string flagMessage(const std::string& message, const HyperFlag& f, const OptimizerInfo& info) {
  std::string rest = message;
  if (const std::string head = cat(info.name, ": "); rest.starts_with(head))
    rest.erase(0, head.size());
  if (f.arity == 1)
    for (const auto& p : info.params)
      if (p.flag == f.flag && rest.starts_with(cat(p.torchName, " ")))
        rest.erase(0, p.torchName.size() + 1);
  return rest;
}

std::string takesList(const OptimizerInfo& info) {
  std::string list;
  for (const auto& p : info.params) {
    const std::string flag = cat("--", p.flag);
    if (p.flagIndex == 0) list.append(list.empty() ? "" : ", ").append(flag);
  }
  return list;
}

struct Flags {
  std::map<std::string, CLI::Option*, std::less<>> options;

  // The flag's last value, or null when it was not given (a bare flag gives "").
  const std::string* given(std::string_view name) const {
    const auto it = options.find(name);
    if (it == options.end() || it->second->count() == 0) return nullptr;
    const auto& results = it->second->results();
    static const std::string empty;
    return results.empty() ? &empty : &results.back();
  }
};

constexpr std::string_view kFooter =
    "Exit codes: 0 trained; 1 an output could not be written; 2 a bad flag or value (one line on\n"
    "stderr, nothing written); 3 trained, but a run diverged (its reason is in the summary);\n"
    "130 interrupted (nothing written).\n"
    "\n"
    "Hyperparameter flags apply to every run whose optimizer takes them; one no run takes is an\n"
    "error. --optimizer replaces a preset's optimizer together with its hyperparameters, and\n"
    "--activation sets every hidden layer. With --compare and --save-weights each run gets its\n"
    "own file: w.json becomes w-1.json, w-2.json, ... and --compare starts from a preset's first\n"
    "run. With --batch full and --test-fraction 0 every step uses all samples in file order.\n"
    "Ctrl-C stops training and writes nothing (exit 130).\n"
    "\n"
    "Examples:\n"
    "  gradscope train --hidden 10x10 --activation sigmoid --steps 2000 --metrics sigmoid.csv\n"
    "  gradscope train --compare activation=sigmoid,relu --init he_normal --metrics compare.csv\n"
    "  gradscope train --optimizer adam --lr 0.001 --betas 0.9,0.999 --save-weights w.json\n";

void addOptions(CLI::App& app, Flags& flags) {
  const auto add = [&](std::string_view name, std::string_view type, std::string help,
                       std::string_view group) {
    CLI::Option* o = app.add_option(cat("--", name));
    o->description(std::move(help));
    o->type_name(std::string(type));
    o->group(std::string(group));
    o->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    flags.options[std::string(name)] = o;
    return o;
  };
  add("preset", "NAME|FILE",
      "A preset from assets/presets or a preset JSON file; other flags override it", "Session");
  add("seed", "INTEGER", "Seed of the weights, the data and the batches (default 1)", "Session");
  add("steps", "INTEGER", "Training steps per run (default 1000)", "Session");
  add("threads", "N",
      "Training threads, 1 to 64 (default: all cores); runs train side by side with the same "
      "results for any count",
      "Session");
  add("compare", "KEY=V1,V2",
      "2 to 4 runs from the same seed and weights that differ in KEY: activation, init, optimizer, "
      "batch, norm, residual, clip-norm, dropout or a "
      "hyperparameter (e.g. activation=sigmoid,relu, norm=none,batch or lr=0.1,0.01)",
      "Session");

  add("dataset", "NAME", cat("Built-in data set: ", datasetKeyList(), " (default xor)"), "Data");
  add("data", "FILE.csv",
      "Load a CSV (header row, numeric features, integer class in the last column)", "Data");
  add(field::Samples.flag, "INTEGER", field::Samples.flagHelp(), "Data");
  add(field::Noise.flag, "NUMBER", field::Noise.flagHelp(), "Data");
  add(field::TestFraction.flag, "NUMBER", field::TestFraction.flagHelp(), "Data");
  add(field::TrainImages.flag, "INTEGER", field::TrainImages.flagHelp(), "Data");

  add("hidden", "DxW|W,W,..",
      "Hidden layers: DEPTHxWIDTH like 10x10, or widths like 16,16,8 (default 10x10)", "Network");
  add("activation", "NAME",
      cat("Activation of every hidden layer: ", activationKeyList(), " (default sigmoid)"),
      "Network");
  add("activation-param", "NUMBER", "Leaky ReLU/ELU α, PReLU initial α, Softplus β or Maxout k",
      "Network");
  {
    DataConfig images;
    images.kind = DatasetKind::FashionMnist;
    add("init", "NAME",
        cat("Weight initializer: ", initKeyList(), " (default ", initInfo(defaultInit({})).key,
            "; ", initInfo(defaultInit(images)).key, " for fashion-mnist)"),
        "Network");
  }
  add(field::InitConstant.flag, "NUMBER", field::InitConstant.flagHelp(), "Network");
  add(field::BiasInit.flag, "NUMBER", field::BiasInit.flagHelp(), "Network");
  add("loss", "NAME", cat("Loss: ", lossKeyList(), " (default bce for two classes, ce for more)"),
      "Network");
  add("batch", "N|full", "Batch size, or full for the whole training set every step (default 32)",
      "Network");
  add("norm", "NAME",
      cat("Normalization between each hidden Linear and its activation: ", normKeyList(),
          " (batch: BatchNorm1d, layer: LayerNorm; default none)"),
      "Network");
  add("residual", "[true|false]",
      "Skip connections around every hidden layer after the first whose width equals its "
      "input's (default false)",
      "Network")
      ->expected(0, 1);
  add(field::ClipNorm.flag, "NUMBER", field::ClipNorm.flagHelp(), "Network");
  add(field::Dropout.flag, "NUMBER", field::Dropout.flagHelp(), "Network");

  add("optimizer", "NAME",
      cat("torch.optim algorithm: ", optimizerKeyList(), " (default sgd with lr 0.1)"),
      "Optimizer (PyTorch's names and defaults)");
  for (const auto& f : hyperFlags()) {
    std::string type;
    switch (f.kind) {
      case HyperKind::Bool:
        type = "[true|false]";
        break;
      case HyperKind::Int:
        type = "INTEGER";
        break;
      case HyperKind::Real:
        type = f.arity > 1 ? "NUMBER,NUMBER" : "NUMBER";
        break;
      case HyperKind::Choice:
        for (auto c : f.choices) type.append(type.empty() ? "" : "|").append(c);
        break;
    }
    const std::string who = f.optimizerCount == static_cast<int>(optimizerTable().size())
                                ? std::string("all")
                                : f.optimizers;
    std::string help =
        f.arity > 1 ? cat("First: ", f.help, " Second: ", f.secondHelp) : std::string(f.help);
    if (f.arity == 1 && !f.defaultsDiffer && f.commonDefault) {
      std::string def = number(*f.commonDefault);
      if (f.kind == HyperKind::Bool) def = *f.commonDefault != 0 ? "true" : "false";
      if (f.kind == HyperKind::Choice)
        def = std::string(f.choices[static_cast<size_t>(*f.commonDefault)]);
      help.append(" (default ").append(def).append(")");
    }
    CLI::Option* o =
        add(f.flag, type, cat(help, " [", who, "]"), "Optimizer (PyTorch's names and defaults)");
    if (f.kind == HyperKind::Bool) o->expected(0, 1);
  }

  add("load-weights", "FILE.json",
      "Start from these weights (torch.nn.Linear layout) instead of the initializer", "Files");
  add("save-weights", "FILE.json",
      "Write the trained weights (with --compare: FILE-1.json, FILE-2.json, ...)", "Files");
  add("metrics", "FILE.csv",
      "One row per step: step,loss,gradnorm_1,...,gradnorm_L (loss before the update, ‖dL/dW_l‖ of "
      "the same "
      "pass, l = 1 at the input); --compare adds a first column run",
      "Files");
}

//-----------------------------------------------------------------------------
// [SECTION] The session
//-----------------------------------------------------------------------------

struct Plan {
  SessionConfig session;
  long long steps = 1000;
  int threads = 1;
  bool compare = false;
  bool lossGiven = false;  // else cross-entropy for data with more than two classes
  std::string loadWeights, saveWeights, metrics;
};

std::string resolvePreset(const std::string& name) {
  namespace fs = std::filesystem;
  if (name.empty()) throw ValueError("expected a preset name or a .json file");
  if (name.ends_with(".json") || name.find('/') != std::string::npos || fs::exists(name))
    return name;
  const fs::path dir = fs::path(assetsDir()) / "presets";
  const fs::path file = dir / cat(name, ".json");
  if (fs::exists(file)) return file.string();
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  std::string list;
  for (const auto& n : names) list.append(list.empty() ? "" : ", ").append(n);
  if (list.empty())
    throw ValueError(cat("no built-in preset '", name, "' (",
                         assets().found() ? "none are installed" : notFoundMessage(assets()),
                         "; give a FILE.json)"));
  throw ValueError(
      cat("no built-in preset '", name, "' (built-in: ", list, "; or give a FILE.json)"));
}

// The keys --compare accepts besides the hyperparameter flags.
constexpr std::array<std::string_view, 8> kCompareKeys{
    "activation", "init", "optimizer", "batch", "norm", "residual", "clip-norm", "dropout"};

std::string compareKeyList() {
  std::string list;
  for (auto k : kCompareKeys) list.append(list.empty() ? "" : ", ").append(k);
  list.append(" or a hyperparameter (");
  bool first = true;
  for (const auto& f : hyperFlags())
    if (f.arity == 1) list.append(first ? "" : ", ").append(f.flag), first = false;
  return list.append(")");
}

// Sets one hyperparameter flag's value(s) on a run's optimizer; false if its optimizer does
// not take the flag. Each value is checked against its own range here (so the message names
// the flag); checks that involve two hyperparameters come after all flags.
bool setHyper(RunConfig& run, const HyperFlag& f, const std::vector<double>& values,
              std::string_view flag) {
  const OptimizerInfo& info = optimizerInfo(run.optimizer.kind);
  OptimizerConfig alone{run.optimizer.kind, {}};
  for (const auto& p : info.params)
    if (p.flag == f.flag)
      alone.values[std::string(p.key)] = values[static_cast<size_t>(p.flagIndex)];
  if (alone.values.empty()) return false;
  if (f.kind == HyperKind::Real || f.kind == HyperKind::Int)
    if (auto e = validateOptimizer(alone); !e.empty())
      throw UsageError(cat(flag, ": ", flagMessage(e, f, info)));
  for (const auto& [key, value] : alone.values) run.optimizer.values[key] = value;
  return true;
}

void setActivation(RunConfig& run, Activation a) {
  run.activation = freshActivation(a);
  run.layerActivations.clear();
}

void setOptimizer(RunConfig& run, OptimizerKind kind) {
  // Another algorithm starts from its own defaults; the same one keeps its values.
  if (run.optimizer.kind != kind) run.optimizer = OptimizerConfig{kind, {}};
}

// One compare run: `base` with KEY set to `value`.
RunConfig compareRun(const RunConfig& base, const std::string& key, std::string_view value) {
  RunConfig run = base;
  const std::string flag = cat("--compare: ", key);
  // The label names what sets the run apart, in the summary as in the app's legends.
  run.label = cat(key, "=", value);
  if (key == "activation") {
    setActivation(run, flagged(flag, [&] { return parseActivation(value); }));
    run.label = activationInfo(run.activation.activation).name;
  } else if (key == "init") {
    run.init = flagged(flag, [&] { return parseInit(value); });
    run.label = initInfo(run.init).name;
  } else if (key == "optimizer") {
    setOptimizer(run, flagged(flag, [&] { return parseOptimizer(value); }));
    run.label = optimizerInfo(run.optimizer.kind).name;
  } else if (key == "batch") {
    run.batchSize = flagged(flag, [&] { return parseBatch(value); });
  } else if (key == "norm") {
    run.norm = flagged(flag, [&] { return parseNorm(value); });
    run.label = normInfo(run.norm).name;
  } else if (key == "residual") {
    run.residual = flagged(flag, [&] { return parseBool(value); });
    run.label = run.residual ? "residual" : "plain";
  } else if (key == "clip-norm") {
    run.clipNorm = flagged(flag, [&] { return parseField(value, field::ClipNorm); });
  } else if (key == "dropout") {
    run.dropout = flagged(flag, [&] { return parseField(value, field::Dropout); });
  } else {
    const HyperFlag* f = findHyperFlag(key);
    const auto values = flagged(flag, [&] { return parseHyperValues(*f, value); });
    if (!setHyper(run, *f, values, flag)) {
      const auto& info = optimizerInfo(run.optimizer.kind);
      throw UsageError(cat(flag, ": not a hyperparameter of ", info.name, " (", info.name,
                           " takes ", takesList(info), ")"));
    }
  }
  return run;
}

// The flag to blame for a message about two hyperparameters, e.g. "nesterov requires momentum".
std::string blame(const std::string& message, const Flags& flags) {
  for (const auto& f : hyperFlags()) {
    if (!flags.given(f.flag)) continue;
    std::string torchName(f.flag);
    std::replace(torchName.begin(), torchName.end(), '-', '_');
    if (message.find(torchName) != std::string::npos) return cat("--", f.flag);
  }
  return flags.given("preset") ? "--preset" : "--optimizer";
}

Plan buildPlan(const Flags& flags) {
  Plan plan;
  SessionConfig& s = plan.session;
  const auto given = [&](std::string_view name) { return flags.given(name); };

  if (const std::string* p = given("preset")) {
    const std::string path = flagged("--preset", [&] { return resolvePreset(*p); });
    try {
      s = loadPreset(path).session;
    } catch (const std::exception& e) {
      throw UsageError(cat("--preset: ", e.what()));
    }
  }

  // Data and seed.
  if (given("dataset") && given("data"))
    throw UsageError("--data: cannot be combined with --dataset");
  if (const std::string* v = given("dataset")) {
    s.data.kind = flagged("--dataset", [&] {
      return parseKey(
          *v, [](std::string_view k) { return datasetFromKey(k); }, datasetKeyList());
    });
    s.data.csvPath.clear();
  }
  if (const std::string* v = given("data")) {
    if (v->empty()) throw UsageError("--data: expected a CSV file");
    s.data.csvPath = *v;
  }
  const bool images = s.data.csvPath.empty() && s.data.kind == DatasetKind::FashionMnist;
  for (std::string_view name : {"samples", "noise"}) {
    if (given(name) && !s.data.csvPath.empty())
      throw UsageError(cat("--", name, ": only for the built-in data sets, not with a CSV file"));
    if (given(name) && images)
      throw UsageError(cat("--", name, ": not for fashion-mnist (its images are read from files; ",
                           "--train-images sets how many train)"));
  }
  if (given("test-fraction") && images)
    throw UsageError("--test-fraction: fashion-mnist tests on its own 10,000 test images");
  if (given("train-images") && !images)
    throw UsageError("--train-images: only for --dataset fashion-mnist");
  if (const std::string* v = given("train-images"))
    s.data.trainImages = static_cast<int>(
        flagged("--train-images", [&] { return parseField(*v, field::TrainImages); }));
  if (const std::string* v = given("samples"))
    s.data.samples =
        static_cast<int>(flagged("--samples", [&] { return parseField(*v, field::Samples); }));
  if (const std::string* v = given("noise"))
    s.data.noise = flagged("--noise", [&] { return parseField(*v, field::Noise); });
  if (const std::string* v = given("test-fraction"))
    s.data.testFraction =
        flagged("--test-fraction", [&] { return parseField(*v, field::TestFraction); });
  if (const std::string* v = given("seed"))
    s.seed = flagged("--seed", [&] { return parseSeed(*v); });
  plan.lossGiven = given("loss") != nullptr;
  // Without a preset or --init, each run starts from the data set's own default initializer.
  if (!given("preset") && !given("init"))
    for (RunConfig& r : s.runs) r.init = defaultInit(s.data);
  if (const std::string* v = given("steps"))
    plan.steps = flagged("--steps", [&] { return parseInteger(*v, 0, 1'000'000'000); });
  plan.threads = TaskPool::defaultThreads();
  if (const std::string* v = given("threads"))
    plan.threads = static_cast<int>(flagged("--threads", [&] { return parseInteger(*v, 1, 64); }));

  // --compare is read first: its key may not also be given as a flag.
  std::string compareKey;
  std::vector<std::string_view> compareValues;
  if (const std::string* v = given("compare")) {
    const size_t eq = v->find('=');
    compareKey = v->substr(0, eq);
    std::replace(compareKey.begin(), compareKey.end(), '_', '-');
    const HyperFlag* f = findHyperFlag(compareKey);
    const bool known =
        std::find(kCompareKeys.begin(), kCompareKeys.end(), compareKey) != kCompareKeys.end() ||
        (f && f->arity == 1);
    if (eq == std::string::npos || !known)
      throw UsageError(cat("--compare: expected KEY=V1,V2[,V3,V4] with KEY one of ",
                           compareKeyList(), " (got '", *v, "')"));
    compareValues = split(std::string_view(*v).substr(eq + 1), ',');
    if (compareValues.size() < 2 || compareValues.size() > static_cast<size_t>(kMaxRuns))
      throw UsageError(cat("--compare: give 2 to ", std::to_string(kMaxRuns), " values after ",
                           compareKey, "= (got ", std::to_string(compareValues.size()), ")"));
    if (given(compareKey))
      throw UsageError(
          cat("--compare: ", compareKey, " is also given as --", compareKey, "; give one of them"));
    plan.compare = true;
  }

  // Run-level flags, applied to every run of the preset (or to the one run compare expands).
  std::vector<RunConfig> runs = s.runs;
  if (plan.compare) runs.resize(1);
  for (RunConfig& r : runs) {
    if (const std::string* v = given("hidden")) {
      r.hidden = flagged("--hidden", [&] { return parseHidden(*v); });
      std::erase_if(r.layerActivations,
                    [&](const auto& kv) { return kv.first >= static_cast<int>(r.hidden.size()); });
    }
    if (const std::string* v = given("activation"))
      setActivation(r, flagged("--activation", [&] { return parseActivation(*v); }));
    if (const std::string* v = given("init"))
      r.init = flagged("--init", [&] { return parseInit(*v); });
    if (const std::string* v = given("init-constant"))
      r.initConstant = static_cast<float>(
          flagged("--init-constant", [&] { return parseField(*v, field::InitConstant); }));
    if (const std::string* v = given("bias-init"))
      r.biasInit = static_cast<float>(
          flagged("--bias-init", [&] { return parseField(*v, field::BiasInit); }));
    if (const std::string* v = given("loss"))
      r.loss = flagged("--loss", [&] {
        return parseKey(
            *v, [](std::string_view k) { return lossFromKey(k); }, lossKeyList());
      });
    if (const std::string* v = given("batch"))
      r.batchSize = flagged("--batch", [&] { return parseBatch(*v); });
    if (const std::string* v = given("optimizer"))
      setOptimizer(r, flagged("--optimizer", [&] { return parseOptimizer(*v); }));
    if (const std::string* v = given("norm"))
      r.norm = flagged("--norm", [&] { return parseNorm(*v); });
    if (const std::string* v = given("residual"))
      r.residual = flagged("--residual", [&] { return parseBool(*v); });
    if (const std::string* v = given(field::ClipNorm.flag))
      r.clipNorm = flagged("--clip-norm", [&] { return parseField(*v, field::ClipNorm); });
    if (const std::string* v = given(field::Dropout.flag))
      r.dropout = flagged("--dropout", [&] { return parseField(*v, field::Dropout); });
  }
  if (plan.compare) {
    const RunConfig base = runs[0];
    runs.clear();
    for (auto value : compareValues) runs.push_back(compareRun(base, compareKey, value));
  }

  // Parameters that apply to the runs that have them.
  if (const std::string* v = given("activation-param")) {
    const double x = flagged("--activation-param", [&] { return parseReal(*v); });
    bool applied = false;
    for (RunConfig& r : runs) {
      const ActivationInfo& info = activationInfo(r.activation.activation);
      if (info.paramName.empty()) continue;
      const bool integral = r.activation.activation != Activation::Maxout || x == std::floor(x);
      if (x < info.paramMin || x > info.paramMax || !integral)
        throw UsageError(cat("--activation-param: ", info.name, " ", info.paramName, " must be ",
                             integral ? "" : "an integer ", number(info.paramMin), " to ",
                             number(info.paramMax), " (got ", *v, ")"));
      r.activation.param = x;
      applied = true;
    }
    if (!applied)
      throw UsageError(
          cat("--activation-param: ", activationInfo(runs[0].activation.activation).key,
              " has no parameter (leaky_relu, prelu, elu, softplus and maxout have one)"));
  }
  for (const HyperFlag& f : hyperFlags()) {
    const std::string* v = given(f.flag);
    if (!v) continue;
    const std::string flag = cat("--", f.flag);
    const auto values = flagged(flag, [&] { return parseHyperValues(f, *v); });
    bool applied = false;
    for (RunConfig& r : runs) applied = setHyper(r, f, values, flag) || applied;
    if (applied) continue;
    std::string names;
    for (const RunConfig& r : runs) {
      const std::string name(optimizerInfo(r.optimizer.kind).name);
      if (names.find(name) == std::string::npos)
        names.append(names.empty() ? "" : " or ").append(name);
    }
    const OptimizerInfo& info = optimizerInfo(runs[0].optimizer.kind);
    throw UsageError(runs.size() == 1 || names == info.name
                         ? cat(flag, ": not a hyperparameter of ", info.name, " (", info.name,
                               " takes ", takesList(info), ")")
                         : cat(flag, ": not a hyperparameter of ", names, " (it belongs to ",
                               f.optimizers, ")"));
  }
  for (const RunConfig& r : runs)
    if (auto e = validateOptimizer(r.optimizer); !e.empty())
      throw UsageError(cat(blame(e, flags), ": ", e));

  s.runs = std::move(runs);
  if (auto e = validateSession(s); !e.empty())
    throw UsageError(given("preset") ? cat("--preset: ", e) : e);

  for (std::string_view name : {"load-weights", "save-weights", "metrics"})
    if (const std::string* v = given(name); v && v->empty())
      throw UsageError(cat("--", name, ": expected a file name"));
  if (const std::string* v = given("load-weights")) plan.loadWeights = *v;
  if (const std::string* v = given("save-weights")) plan.saveWeights = *v;
  if (const std::string* v = given("metrics")) plan.metrics = *v;
  if (!plan.metrics.empty() && plan.metrics == plan.saveWeights)
    throw UsageError("--metrics: the same file as --save-weights");
  return plan;
}

//-----------------------------------------------------------------------------
// [SECTION] Outputs
//-----------------------------------------------------------------------------

// "w.json" → "w-2.json": one weights file per compare run.
std::string numberedPath(const std::string& path, int run) {
  const std::filesystem::path p(path);
  std::filesystem::path numbered =
      p.parent_path() / cat(p.stem().string(), "-", std::to_string(run));
  numbered += p.extension();
  return numbered.string();
}

//-----------------------------------------------------------------------------
// [SECTION] Training and the summary
//-----------------------------------------------------------------------------

// Ctrl-C (or SIGTERM) stops training between steps; the pending outputs are then discarded
// rather than left half-written.
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void onInterrupt(int) { g_interrupted = 1; }

class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = 0;
    m_int = std::signal(SIGINT, onInterrupt);
    m_term = std::signal(SIGTERM, onInterrupt);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  ~InterruptGuard() {
    std::signal(SIGINT, m_int);
    std::signal(SIGTERM, m_term);
  }

 private:
  void (*m_int)(int);
  void (*m_term)(int);
};

struct RunResult {
  long steps = 0;
  double seconds = 0;
};

std::string lossText(float v) {
  if (std::isnan(v)) return "nan";
  return std::isinf(v) ? "inf" : format("%.5g", v);
}

std::string percent(float v) {
  return std::isfinite(v) ? format("%.1f%%", 100.0 * v) : std::string("–");
}

void printSummary(std::ostream& out, const Plan& plan, const Split& data, const Session& session,
                  const std::vector<RunResult>& results) {
  const SessionConfig& s = plan.session;
  const std::string dataName = s.data.csvPath.empty()
                                   ? std::string(datasetInfo(s.data.kind).name)
                                   : std::filesystem::path(s.data.csvPath).filename().string();
  out << "gradscope train: " << dataName << ", " << data.train.samples() << " training + "
      << data.test.samples() << " test samples, seed " << s.seed << ", " << plan.steps
      << " steps per run\n";
  std::vector<std::string> labels;
  size_t labelWidth = 5;
  const size_t runs = static_cast<size_t>(session.runCount());
  for (size_t i = 0; i < runs; ++i) {
    labels.push_back(runLabel(s, static_cast<int>(i)));
    labelWidth = std::max(labelWidth, labels.back().size());
  }
  out << pad("run", 4) << pad("label", labelWidth + 2) << pad("steps", 10, true)
      << pad("loss", 11, true) << pad("train acc", 11, true) << pad("test acc", 10, true)
      << pad("grad 1st/last", 15, true) << pad("dead units", 13, true) << pad("steps/s", 11, true)
      << '\n';
  for (size_t i = 0; i < runs; ++i) {
    const Run& run = session.run(static_cast<int>(i));
    RunSnapshot snap;
    run.fillSnapshot(snap);
    const EvalResult* eval = snap.eval.get();
    const auto& g = run.gradNorms();
    const std::string ratio = results[i].steps > 0 && !g.empty() && g.back() > 0
                                  ? format("%.3g", g.front() / g.back())
                                  : std::string("–");
    const std::string rate =
        results[i].seconds > 0
            ? thousands(std::llround(static_cast<double>(results[i].steps) / results[i].seconds))
            : "–";
    out << pad(std::to_string(i + 1), 4) << pad(labels[i], labelWidth + 2)
        << pad(std::to_string(results[i].steps), 10, true)
        << pad(eval ? lossText(eval->trainLoss) : "–", 11, true)
        << pad(eval ? percent(eval->trainAccuracy) : "–", 11, true)
        << pad(eval ? percent(eval->testAccuracy) : "–", 10, true) << pad(ratio, 15, true)
        << pad(eval ? cat(std::to_string(eval->deadTotal), " of ", std::to_string(eval->unitsTotal))
                    : "–",
               13, true)
        << pad(rate, 11, true) << '\n';
  }
  // More than two classes: how each class fares, on the test set if there is one.
  for (size_t i = 0; i < runs; ++i) {
    RunSnapshot snap;
    session.run(static_cast<int>(i)).fillSnapshot(snap);
    const EvalResult* eval = snap.eval.get();
    if (!eval || eval->classes <= 2 || eval->classAccuracy.empty()) continue;
    out << "run " << i + 1 << (eval->detailOnTest ? " test" : " train") << " accuracy per class:";
    for (int c = 0; c < eval->classes; ++c)
      out << (c ? ", " : " ") << data.train.classNames[static_cast<size_t>(c)] << ' '
          << percent(eval->classAccuracy[static_cast<size_t>(c)]);
    out << '\n';
  }
  for (size_t i = 0; i < runs; ++i)
    if (session.run(static_cast<int>(i)).state() == RunState::Diverged)
      out << "run " << i + 1 << " " << session.run(static_cast<int>(i)).reason() << '\n';
}

int train(const Plan& givenPlan, std::ostream& out, std::ostream& err) {
  Plan plan = givenPlan;
  const SessionConfig& s = plan.session;
  // Everything that can be refused is checked before the first step or the first file.
  std::shared_ptr<const Split> data;
  try {
    data = makeSessionData(s);
  } catch (const std::exception& e) {
    const bool csv = !s.data.csvPath.empty();
    throw UsageError(cat(csv ? "--data: " : "--dataset: ", e.what()));
  }
  for (RunConfig& r : plan.session.runs)
    if (r.loss == Loss::BCE && data->train.classes > 2 && !plan.lossGiven)
      r.loss = Loss::CrossEntropy;
  for (const RunConfig& r : s.runs)
    if (r.loss == Loss::BCE && data->train.classes != 2)
      throw UsageError(cat("--loss: bce needs exactly two classes; the data has ",
                           std::to_string(data->train.classes), " (use --loss ce or mse)"));
  // Every run of the session side by side on the task pool, each stopping at plan.steps; no
  // whole-set measurement until the end.
  SessionOptions options;
  options.threads = plan.threads;
  options.measure = false;
  options.stepLimit = static_cast<long>(plan.steps);
  std::unique_ptr<Session> session;
  try {
    session = std::make_unique<Session>(s, data, options);
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  const int runCount = session->runCount();
  if (!plan.loadWeights.empty()) {
    try {
      const std::string text = readTextFile(plan.loadWeights);
      for (int i = 0; i < runCount; ++i) {
        Mlp weights = session->run(i).net();
        try {
          parseWeights(text, weights);
        } catch (const JsonError& e) {
          throw JsonError(cat(plan.loadWeights, ": ", e.what()));
        }
        session->run(i).setWeights(weights);
      }
    } catch (const std::exception& e) {
      throw UsageError(cat("--load-weights: ", e.what()));
    }
  }
  // Several runs: a `run` column, and FILE-1.json, FILE-2.json, … for the weights.
  const bool several = runCount > 1;
  std::unique_ptr<PendingFile> metrics;
  std::vector<std::unique_ptr<PendingFile>> weights;
  try {
    if (!plan.metrics.empty()) metrics = std::make_unique<PendingFile>(plan.metrics);
  } catch (const std::exception& e) {
    throw UsageError(cat("--metrics: ", e.what()));
  }
  try {
    if (!plan.saveWeights.empty())
      for (int i = 0; i < runCount; ++i)
        weights.push_back(std::make_unique<PendingFile>(
            several ? numberedPath(plan.saveWeights, i + 1) : plan.saveWeights));
  } catch (const std::exception& e) {
    throw UsageError(cat("--save-weights: ", e.what()));
  }

  // Metrics rows, grouped by run: each run formats its own rows on the thread that steps it;
  // the first run's go straight to the file, the others' wait in temporary files until the
  // runs before them are written. The bytes do not depend on the thread count.
  struct Rows {
    std::string buffer;
    std::FILE* spill = nullptr;  // runs after the first
    long count = 0;
    std::string error;  // why the rows could not be written
  };
  std::vector<Rows> rows(static_cast<size_t>(runCount));
  std::string header;
  if (metrics) {
    if (several) header += "run,";
    header += "step,loss";
    for (int l = 1; l <= session->run(0).net().layerCount(); ++l)
      header.append(",gradnorm_").append(std::to_string(l));
    header += '\n';
    rows[0].buffer = header;
    for (int i = 1; i < runCount; ++i) rows[static_cast<size_t>(i)].spill = std::tmpfile();
  }
  const auto flushRows = [&](int i) {
    Rows& r = rows[static_cast<size_t>(i)];
    if (!r.error.empty()) return r.buffer.clear();
    if (i == 0) {
      try {
        metrics->write(r.buffer);
      } catch (const std::exception& e) {  // on a pool thread: reported after training
        r.error = e.what();
      }
    } else if (!r.spill ||
               std::fwrite(r.buffer.data(), 1, r.buffer.size(), r.spill) != r.buffer.size()) {
      r.error = cat("cannot write the metrics of run ", std::to_string(i + 1),
                    " to a temporary file (", std::strerror(errno), ")");
    }
    r.buffer.clear();
  };
  if (metrics)
    session->setStepHook([&](int i, const Run& run) {
      Rows& r = rows[static_cast<size_t>(i)];
      if (several) r.buffer.append(std::to_string(i + 1)).push_back(',');
      r.buffer += std::to_string(run.steps());
      r.buffer += ',';
      appendFloat(r.buffer, run.lastLoss());
      for (float g : run.gradNorms()) {
        r.buffer += ',';
        appendFloat(r.buffer, g);
      }
      r.buffer += '\n';
      ++r.count;
      if (r.buffer.size() > (1u << 16)) flushRows(i);
    });

  std::vector<RunResult> results(static_cast<size_t>(runCount));
  const InterruptGuard interrupts;
  if (plan.steps > 0)
    while (!session->finished() && !g_interrupted) session->tick();
  {
    const FlushDenormals flush;  // as the steps were taken
    for (int i = 0; i < runCount; ++i) {
      results[static_cast<size_t>(i)].steps = session->run(i).steps();
      results[static_cast<size_t>(i)].seconds = session->stepSeconds(i);
      session->run(i).evaluate();
    }
  }
  long rowCount = 0;
  for (const auto& r : rows) rowCount += r.count;
  const auto closeSpills = [&] {
    for (auto& r : rows)
      if (r.spill) std::fclose(r.spill), r.spill = nullptr;
  };

  if (g_interrupted) {
    closeSpills();
    err << "gradscope train: interrupted; nothing written\n";
    return kExitInterrupted;
  }
  int status = kExitOk;
  std::vector<std::string> notes;
  try {
    if (metrics) {
      for (int i = 0; i < runCount; ++i) flushRows(i);
      for (const auto& r : rows)
        if (!r.error.empty()) throw std::runtime_error(r.error);
      for (int i = 1; i < runCount; ++i) {
        Rows& r = rows[static_cast<size_t>(i)];
        std::rewind(r.spill);
        char chunk[1 << 16];
        size_t got;
        while ((got = std::fread(chunk, 1, sizeof chunk, r.spill)) > 0)
          metrics->write(std::string_view(chunk, got));
        std::fclose(r.spill);
        r.spill = nullptr;
      }
      metrics->commit();
      notes.push_back(cat("metrics: ", plan.metrics, " (", std::to_string(rowCount), " rows)"));
    }
    for (size_t i = 0; i < weights.size(); ++i) {
      std::string json;
      try {
        json = weightsToJson(session->run(static_cast<int>(i)).net());
      } catch (const JsonError& e) {
        weights[i]->discard();
        notes.push_back(cat("weights of run ", std::to_string(i + 1), " not saved: ", e.what()));
        continue;
      }
      weights[i]->write(json);
      weights[i]->commit();
      notes.push_back(cat("weights: ", weights[i]->path()));
    }
  } catch (const std::exception& e) {
    err << "gradscope train: " << e.what() << '\n';
    status = kExitIoError;
  }
  closeSpills();
  printSummary(out, plan, *data, *session, results);
  for (const auto& note : notes) out << note << '\n';
  if (status == kExitOk)
    for (int i = 0; i < runCount; ++i)
      if (session->run(i).state() == RunState::Diverged) status = kExitDiverged;
  return status;
}

// CLI11's message for a flag without its value, "--lr: 1 required TEXT missing", as ours.
std::string missingValue(const CLI::App& app, const std::string& message) {
  const std::string flag = message.substr(0, message.find(':'));
  for (const CLI::Option* o : app.get_options())
    if (cat("--", o->get_single_name()) == flag || o->get_single_name() == flag)
      return cat(flag, ": missing value (expected ", o->get_type_name(), ")");
  return message;
}

}  // namespace

int runTrainCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"Train a configuration without a window and print a summary.", "gradscope train"};
  app.allow_extras();
  app.set_help_flag("-h,--help", "Show this help and exit");
  app.footer(std::string(kFooter));
  Flags flags;
  addOptions(app, flags);
  const auto usage = [&](const std::string& line) {
    err << "gradscope train: " << line << '\n';
    return kExitUsage;
  };
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::ArgumentMismatch& e) {
    return usage(missingValue(app, e.what()));
  } catch (const CLI::ParseError& e) {
    std::string line = e.what();
    std::replace(line.begin(), line.end(), '\n', ' ');
    return usage(line);
  }
  // CLI11 gives a flag that needs a value the next argument even when that is another flag
  // ("--lr --steps 5" sets lr to "--steps"): report the missing value instead.
  for (const auto& [name, option] : flags.options)
    for (const std::string& value : option->results())
      if (value.starts_with("--") && flags.options.contains(value.substr(2, value.find('=') - 2)))
        return usage(cat("--", name, ": missing value (expected ", option->get_type_name(), ")"));
  if (!app.remaining().empty()) {
    const std::string extra = app.remaining().front();  // remaining() returns a copy
    if (extra.starts_with("-") && extra != "-")
      return usage(cat("unknown flag '", extra.substr(0, extra.find('=')),
                       "' (see gradscope train --help)"));
    return usage(
        cat("unexpected argument '", extra,
            "' (every flag takes one value; lists are comma-separated, e.g. --betas 0.9,0.999)"));
  }
  try {
    const Plan plan = buildPlan(flags);
    return train(plan, out, err);
  } catch (const UsageError& e) {
    return usage(e.what());
  }
}

}  // namespace gradscope::cli
