// The optimizer interface shared by every torch.optim algorithm gradscope implements, and
// the hyperparameter table the command line and the UI's sliders are built from.
//
// Contract of step(): on entry every ParamView's grad holds dL/dθ at the current values and
// `loss` is that loss. Most optimizers update the values in place once. LBFGS may evaluate the
// closure several times (each call recomputes the loss and refills every grad for the values
// as they are then, over the same batch) and returns with the values updated.
//
// [SECTION] Kinds and hyperparameters
// [SECTION] Optimizer
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/mlp.h"

namespace gradscope {

//-----------------------------------------------------------------------------
// [SECTION] Kinds and hyperparameters
//-----------------------------------------------------------------------------

enum class OptimizerKind : std::uint8_t {
  SGD,
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  SparseAdam,
  Adamax,
  ASGD,
  LBFGS,
  NAdam,
  RAdam,
  RMSprop,
  Rprop,
};

enum class HyperKind : std::uint8_t { Real, Int, Bool, Choice };

// One scalar hyperparameter. PyTorch's tuples are split into scalars that share a flag:
// betas → beta1, beta2 (--betas 0.9,0.999), etas → eta_minus, eta_plus, step_sizes →
// step_size_min, step_size_max.
struct HyperParam {
  std::string_view key;        // "lr", "beta1", "nesterov", "line_search_fn"
  std::string_view torchName;  // "lr", "betas[0]", "nesterov", "line_search_fn"
  std::string_view flag;       // command-line flag without dashes: "lr", "betas", "line-search"
  int flagIndex;               // position in a comma-separated flag value (betas: 0 or 1)
  HyperKind kind;
  double defaultValue;  // PyTorch's default (Bool: 0/1, Choice: index into choices)
  double min;           // valid range, inclusive unless the *Open flag says otherwise
  double max;
  bool minOpen;
  bool maxOpen;
  bool logSlider;                             // lr, eps, weight decay: logarithmic slider
  std::span<const std::string_view> choices;  // Choice only, e.g. {"none", "strong_wolfe"}
  std::string_view help;                      // one sentence for tooltips and --help
};

struct OptimizerInfo {
  OptimizerKind id;
  std::string_view key;   // "sgd", "adamw", "rmsprop"
  std::string_view name;  // "SGD", "AdamW", "RMSprop"
  std::string_view help;  // what the optimizer does, one or two sentences
  std::span<const HyperParam> params;
};

std::span<const OptimizerInfo> optimizerTable();
const OptimizerInfo& optimizerInfo(OptimizerKind k);
std::optional<OptimizerKind> optimizerFromKey(std::string_view key);
std::string_view optimizerKeyList();

// An optimizer and its hyperparameter values by key; a key left out takes its default.
struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::Adam;
  std::map<std::string, double, std::less<>> values;

  double get(std::string_view key) const;  // value or the table's default
  bool operator==(const OptimizerConfig&) const = default;
};

// Empty if valid; otherwise one message naming the first bad parameter and its range, e.g.
// "Adam: betas[0] must be in [0, 1) (got 1)" or "SGD: unknown hyperparameter 'beta1'".
std::string validateOptimizer(const OptimizerConfig& config);

//-----------------------------------------------------------------------------
// [SECTION] Optimizer
//-----------------------------------------------------------------------------

// Recomputes loss and gradients at the current parameter values; returns the loss.
using Closure = std::function<float()>;

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // One optimizer step (see the contract above). Allocates nothing after construction.
  virtual void step(float loss, const Closure& closure) = 0;
  // Forgets all state (moments, step counts, histories) as if newly constructed.
  virtual void reset() = 0;
  // ASGD's running average of each parameter (same order and sizes as the ParamViews);
  // empty for every other optimizer.
  virtual std::span<const std::vector<float>> averagedParameters() const { return {}; }
  // Loss/gradient evaluations in the last step (1 except LBFGS).
  virtual int lastEvaluations() const { return 1; }

  // Some update passes also measure what they did, per parameter tensor: Σ(θ_after − θ_before)²
  // and Σθ_after², so a caller that reports ‖ΔW‖ / ‖W‖ needs no copy of the weights. True
  // when the next step() will fill stepNorms() (for every tensor).
  virtual bool measuresSteps() const { return false; }
  struct StepNorm {
    float deltaSq = 0, valueSq = 0;
  };
  virtual std::span<const StepNorm> stepNorms() const { return {}; }
};

// Throws std::invalid_argument with validateOptimizer's message when the config is invalid.
// The views must stay valid (point into the same network) for the optimizer's lifetime.
std::unique_ptr<Optimizer> makeOptimizer(const OptimizerConfig& config,
                                         std::vector<ParamView<float>> params);

}  // namespace gradscope
