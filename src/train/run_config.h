// What a session trains: the data, one to four runs (each a network + optimizer), the speed.
// Plain values; the trainer diffs an old and a new config to decide what must be reset.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/activation.h"
#include "core/dataset.h"
#include "core/init.h"
#include "core/loss.h"
#include "core/mlp.h"
#include "core/optimizer/optimizer.h"
#include "train/config_schema.h"
#include "train/message.h"

namespace gradscope {

inline constexpr int kMaxRuns = 4;

struct DataConfig {
  DatasetKind kind = DatasetKind::Xor;
  std::string csvPath;  // non-empty: load this CSV instead of a built-in set
  int samples = static_cast<int>(field::Samples.defaultValue);
  double noise = field::Noise.defaultValue;
  double testFraction = field::TestFraction.defaultValue;  // not for image sets (own test set)
  int trainImages = static_cast<int>(field::TrainImages.defaultValue);  // image sets only

  bool operator==(const DataConfig&) const = default;
};

struct ActivationChoice {
  Activation activation = Activation::ReLU;
  double param = 0.0;  // Leaky/ELU α, Softplus β, PReLU initial α, Maxout k

  bool operator==(const ActivationChoice&) const = default;
};

struct RunConfig {
  std::string label;  // shown in legends; empty: derived from what differs
  std::vector<int> hidden{10, 10, 10, 10, 10, 10, 10, 10, 10, 10};  // widths, input side first
  ActivationChoice activation{Activation::Sigmoid, 0.0};
  std::map<int, ActivationChoice> layerActivations;  // per-layer overrides (0 = first hidden)
  Init init = Init::Normal;                          // defaultInit of the built-in 2-D sets
  float initConstant = static_cast<float>(field::InitConstant.defaultValue);  // Init::Constant's
  float biasInit = static_cast<float>(field::BiasInit.defaultValue);
  Loss loss = Loss::BCE;
  OptimizerConfig optimizer{OptimizerKind::SGD, {{"lr", 0.1}}};
  int batchSize = static_cast<int>(field::Batch.defaultValue);  // 0: the whole set every step
  Norm norm = Norm::None;                          // in every hidden layer, Linear → norm → f
  bool residual = false;                           // skips around equal-width hidden layers
  double clipNorm = field::ClipNorm.defaultValue;  // clip_grad_norm_ max norm; 0: off
  double dropout = field::Dropout.defaultValue;    // after each hidden activation, training

  bool operator==(const RunConfig&) const = default;
  // The network shape for `inputs` features and `classes` classes.
  MlpShape shape(int inputs, int classes) const;
};

enum class SpeedMode : std::uint8_t { Unlimited, Capped };

// The gradient measures the views can chart, by preset key, in the UI's order.
// "norm_grad_norm" is the normalization's ‖(dL/dγ, dL/dβ)‖ per hidden layer (runs with a norm).
inline constexpr std::array<std::string_view, 5> kGradientMeasureKeys{
    "grad_norm", "mean_abs_dz", "update_ratio", "sign_agreement", "norm_grad_norm"};

// How a preset (a lesson) wants its phenomenon shown. The app applies it when the preset opens;
// the trainer pauses at the horizon.
struct ViewConfig {
  int run = 0;       // the run the controls and the Activation panel follow
  int layer = 0;     // the hidden layer whose z histogram the Activation panel shows
  int measure = 0;   // index into kGradientMeasureKeys
  long horizon = 0;  // > 0: training pauses once every run reaches this step; charts span it

  bool operator==(const ViewConfig&) const = default;
};

struct SessionConfig {
  DataConfig data;
  std::vector<RunConfig> runs{RunConfig{}};
  std::uint64_t seed = 1;  // weights, batches and data
  SpeedMode speed = SpeedMode::Unlimited;
  double stepsPerSecond = field::StepsPerSecond.defaultValue;  // per run, when capped
  // Whole-set measurements every N steps; 0: automatic (within the Session's time budget).
  int evalEvery = static_cast<int>(field::EvalEvery.defaultValue);
  std::map<std::string, bool> panels;  // which panels the UI shows (the UI's keys)
  ViewConfig view;

  bool operator==(const SessionConfig&) const = default;
};

// The initializer a run starts from when none is chosen: N(0, 1), the plain start the lessons
// compare against, for the 2-D sets and CSV files; He normal for image data, whose 784 inputs
// in [0, 1] would give N(0, 1) weights first-layer pre-activations of σ ≈ 13, growing ×8 per
// 128-wide ReLU layer, so that softmax saturates from the first step.
Init defaultInit(const DataConfig& data);

// Empty when valid, else one message naming the field and what is allowed, e.g.
// "runs[1].hidden: depth must be 1 to 64 hidden layers (got 0)".
std::string validateSession(const SessionConfig& config);

// A label for run `index` of `config`, unique among the runs: its own label, else the settings
// in which the runs differ ("ReLU", "Tanh, Xavier", "SGD momentum=0.9"; one run: its
// activation). A label that occurs earlier gets a number: "Sigmoid (2)".
// In English (the terminal's `gradscope train`, tests); runLabelMessage for the app to translate.
std::string runLabel(const SessionConfig& config, int index);
Message runLabelMessage(const SessionConfig& config, int index);

// A run's label names its settings: where an edit from `before` to `after` changes a run's
// settings but not its label, the label goes, and the run is labelled by what it now is.
void dropStaleLabels(const SessionConfig& before, SessionConfig& after);

}  // namespace gradscope
