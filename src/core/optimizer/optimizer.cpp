// The optimizer table (torch.optim's names, defaults and valid ranges, one row per scalar
// hyperparameter), the validation that mirrors torch's constructor checks, and the factory.
// The update rules live in one file per optimizer or family beside this one.
#include "core/optimizer/optimizer.h"

#include "core/optimizer/optimizer_common.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace gradscope {

namespace {

// Unbounded ranges use +∞ as max (open), so the UI can tell "no upper limit" apart.
constexpr double kInf = std::numeric_limits<double>::infinity();

// A real number in [min, ∞) — or (min, ∞) when minOpen — named as in torch.
constexpr HyperParam atLeast(std::string_view key, std::string_view flag, double def, double min,
                             bool minOpen, bool log, std::string_view help) {
  return {key, key, flag, 0, HyperKind::Real, def, min, kInf, minOpen, true, log, {}, help};
}

constexpr HyperParam nonNegative(std::string_view key, std::string_view flag, double def, bool log,
                                 std::string_view help) {
  return atLeast(key, flag, def, 0.0, false, log, help);
}

// A real number in a general range; tuple elements (betas, etas, step_sizes) name their
// position in torchName and flagIndex.
constexpr HyperParam ranged(std::string_view key, std::string_view torchName, std::string_view flag,
                            int index, double def, double min, double max, bool minOpen,
                            bool maxOpen, bool log, std::string_view help) {
  return {key,     torchName, flag, index, HyperKind::Real, def, min, max, minOpen,
          maxOpen, log,       {},   help};
}

constexpr HyperParam boolean(std::string_view key, bool def, std::string_view help) {
  return {key, key, key, 0, HyperKind::Bool, def ? 1.0 : 0.0, 0, 1, false, false, false, {}, help};
}

constexpr HyperParam integer(std::string_view key, std::string_view flag, double def, double min,
                             double max, std::string_view help) {
  return {key, key, flag, 0, HyperKind::Int, def, min, max, false, false, false, {}, help};
}

constexpr HyperParam lr(double def, std::string_view help) {
  return atLeast("lr", "lr", def, 0.0, false, true, help);
}

constexpr HyperParam eps(double def) {
  return nonNegative("eps", "eps", def, true,
                     "Tiny constant added to the denominator so a step stays finite when the "
                     "gradient history of a weight is (nearly) zero.");
}

constexpr HyperParam kMaximize =
    boolean("maximize", false,
            "Climb the loss instead of descending it (gradient ascent). Leave it off to train.");

constexpr HyperParam kWeightDecay =
    nonNegative("weight_decay", "weight-decay", 0.0, true,
                "L2 penalty: adds weight_decay·θ to every gradient, pulling weights toward zero.");

constexpr HyperParam kBeta1 =
    ranged("beta1", "betas[0]", "betas", 0, 0.9, 0.0, 1.0, false, true, false,
           "Decay of the running mean of gradients (the momentum); 0.9 remembers roughly the "
           "last 10 steps.");

constexpr HyperParam kBeta2 =
    ranged("beta2", "betas[1]", "betas", 1, 0.999, 0.0, 1.0, false, true, false,
           "Decay of the running mean of squared gradients that sets each weight's step size; "
           "0.999 remembers roughly the last 1000 steps.");

constexpr std::array kSgdParams{
    lr(0.01,
       "Learning rate: how far each step moves against the gradient. PyTorch 1.13's SGD has "
       "no default lr (later versions use 0.001); gradscope starts at 0.01."),
    nonNegative("momentum", "momentum", 0.0, false,
                "Keeps a running velocity of past gradients so steps build up speed along "
                "consistent directions and damp zig-zags; 0.9 is common, 0 is plain SGD."),
    ranged("dampening", "dampening", "dampening", 0, 0.0, 0.0, 1.0, false, false, false,
           "Scales down the new gradient's share of the velocity: the velocity adds "
           "(1 − dampening)·gradient each step."),
    kWeightDecay,
    boolean("nesterov", false,
            "Nesterov momentum: step with the gradient plus the velocity, a look-ahead that "
            "corrects overshooting. Needs momentum > 0 and dampening = 0."),
    kMaximize,
};

constexpr std::array kAdadeltaParams{
    lr(1.0,
       "Scales the update Adadelta computes. It sizes its own steps, so 1.0 (no scaling) is "
       "the usual choice."),
    ranged("rho", "rho", "rho", 0, 0.9, 0.0, 1.0, false, false, false,
           "Decay of the running averages of squared gradients and squared updates; 0.9 "
           "remembers roughly the last 10 steps."),
    eps(1e-6),
    kWeightDecay,
    kMaximize,
};

constexpr std::array kAdagradParams{
    lr(0.01, "Learning rate: the step size before each weight's own scaling."),
    nonNegative("lr_decay", "lr-decay", 0.0, true,
                "Shrinks the learning rate over time: step t uses lr / (1 + (t − 1)·lr_decay)."),
    kWeightDecay,
    nonNegative("initial_accumulator_value", "initial-accumulator-value", 0.0, false,
                "Starting value of every weight's sum of squared gradients; larger values make "
                "the first steps smaller."),
    eps(1e-10),
    kMaximize,
};

constexpr std::array kAdamParams{
    lr(1e-3, "Learning rate: the largest step a weight takes, roughly, once moments settle."),
    kBeta1,
    kBeta2,
    eps(1e-8),
    kWeightDecay,
    boolean("amsgrad", false,
            "AMSGrad: divide by the largest squared-gradient average seen so far, so a weight's "
            "step size never grows back."),
    kMaximize,
};

constexpr std::array kAdamWParams{
    lr(1e-3, "Learning rate: the largest step a weight takes, roughly, once moments settle."),
    kBeta1,
    kBeta2,
    eps(1e-8),
    nonNegative("weight_decay", "weight-decay", 1e-2, true,
                "Decoupled weight decay: every step first shrinks each weight by "
                "lr·weight_decay·θ, apart from the Adam update."),
    boolean("amsgrad", false,
            "AMSGrad: divide by the largest squared-gradient average seen so far, so a weight's "
            "step size never grows back."),
    kMaximize,
};

constexpr std::array kSparseAdamParams{
    atLeast("lr", "lr", 1e-3, 0.0, true, true,
            "Learning rate: the largest step a weight takes, roughly. Must be > 0."),
    kBeta1,
    kBeta2,
    atLeast("eps", "eps", 1e-8, 0.0, true, true,
            "Tiny constant added to the denominator so a step stays finite; must be > 0."),
    kMaximize,
};

constexpr std::array kAdamaxParams{
    lr(2e-3, "Learning rate: the largest step a weight takes, roughly."),
    kBeta1,
    ranged("beta2", "betas[1]", "betas", 1, 0.999, 0.0, 1.0, false, true, false,
           "Decay of the running maximum of |gradient| (the infinity norm) that sets each "
           "weight's step size."),
    eps(1e-8),
    kWeightDecay,
    kMaximize,
};

constexpr std::array kAsgdParams{
    lr(0.01, "Learning rate: the initial step size, which then decays with the step count."),
    nonNegative("lambd", "lambd", 1e-4, true,
                "Decay term: shrinks weights by lambd·η each step and sets how fast the step "
                "size η decays."),
    nonNegative("alpha", "alpha", 0.75, false,
                "Power of the step-size decay: η = lr / (1 + lambd·lr·t)^alpha."),
    nonNegative("t0", "t0", 1e6, true,
                "Step after which the weights start being averaged; before it the average just "
                "follows the weights."),
    kWeightDecay,
    kMaximize,
};

constexpr std::array<std::string_view, 2> kLineSearchChoices{"none", "strong_wolfe"};

constexpr std::array kLbfgsParams{
    lr(1.0,
       "Step length tried along each search direction; 1 is the natural step of a "
       "quasi-Newton method."),
    integer("max_iter", "max-iter", 20, 1, 10000,
            "Most L-BFGS iterations (direction + line step) inside one optimizer step."),
    integer("max_eval", "max-eval", 0, 0, 100000,
            "Most loss/gradient evaluations in one step; 0 means unset, i.e. max_iter·5/4 as "
            "in PyTorch."),
    nonNegative("tolerance_grad", "tolerance-grad", 1e-7, true,
                "Stop when the largest gradient entry is at most this (a minimum is reached)."),
    nonNegative("tolerance_change", "tolerance-change", 1e-9, true,
                "Stop when the loss or the weights change by less than this between iterations."),
    integer("history_size", "history-size", 100, 1, 1000,
            "How many recent (step, gradient change) pairs form the curvature estimate."),
    HyperParam{"line_search_fn", "line_search_fn", "line-search", 0, HyperKind::Choice, 0, 0, 1,
               false, false, false, kLineSearchChoices,
               "none takes the fixed step lr; strong_wolfe searches along the direction for a "
               "step that lowers the loss enough and flattens the slope."},
};

constexpr std::array kNadamParams{
    lr(2e-3, "Learning rate: the largest step a weight takes, roughly."),
    kBeta1,
    kBeta2,
    eps(1e-8),
    kWeightDecay,
    nonNegative("momentum_decay", "momentum-decay", 4e-3, false,
                "Sets how fast the momentum schedule warms up from 0.5·beta1 toward beta1."),
    kMaximize,
};

constexpr std::array kRadamParams{
    lr(1e-3, "Learning rate: the largest step a weight takes, roughly."),
    kBeta1,
    kBeta2,
    eps(1e-8),
    kWeightDecay,
    kMaximize,
};

constexpr std::array kRmspropParams{
    lr(0.01, "Learning rate: the step size before each weight's own scaling."),
    nonNegative("alpha", "alpha", 0.99, false,
                "Smoothing of the running average of squared gradients; 0.99 remembers roughly "
                "the last 100 steps."),
    eps(1e-8),
    kWeightDecay,
    nonNegative("momentum", "momentum", 0.0, false,
                "Keeps a running velocity of the scaled steps so they build up along consistent "
                "directions; 0 turns it off."),
    boolean("centered", false,
            "Divide by the gradient's variance (mean square minus squared mean) instead of its "
            "mean square."),
    kMaximize,
};

constexpr std::array kRpropParams{
    lr(0.01, "The initial step size of every weight, before it adapts."),
    ranged("eta_minus", "etas[0]", "etas", 0, 0.5, 0.0, 1.0, true, true, false,
           "Factor that shrinks a weight's step when its gradient changes sign (it jumped "
           "over a minimum)."),
    ranged("eta_plus", "etas[1]", "etas", 1, 1.2, 1.0, kInf, true, true, false,
           "Factor that grows a weight's step while its gradient keeps its sign."),
    ranged("step_size_min", "step_sizes[0]", "step-sizes", 0, 1e-6, 0.0, kInf, false, true, true,
           "Smallest step size a weight may shrink to."),
    ranged("step_size_max", "step_sizes[1]", "step-sizes", 1, 50.0, 0.0, kInf, false, true, true,
           "Largest step size a weight may grow to."),
    kMaximize,
};

constexpr std::array<OptimizerInfo, 13> kTable{{
    {OptimizerKind::SGD, "sgd", "SGD",
     "Stochastic gradient descent: step against the gradient, optionally with momentum (a "
     "running velocity) and Nesterov look-ahead.",
     kSgdParams},
    {OptimizerKind::Adadelta, "adadelta", "Adadelta",
     "Sizes each weight's step from running averages of its squared gradients and of its "
     "squared past updates, so it needs almost no learning-rate tuning.",
     kAdadeltaParams},
    {OptimizerKind::Adagrad, "adagrad", "Adagrad",
     "Divides each weight's step by the root of its summed squared gradients: rarely updated "
     "weights keep large steps, busy ones slow down over time.",
     kAdagradParams},
    {OptimizerKind::Adam, "adam", "Adam",
     "Momentum plus a per-weight step size from running averages of the gradient and its "
     "square, bias-corrected for the first steps. The usual first choice.",
     kAdamParams},
    {OptimizerKind::AdamW, "adamw", "AdamW",
     "Adam with decoupled weight decay: weights shrink directly each step instead of through "
     "the gradient, which regularizes more predictably.",
     kAdamWParams},
    {OptimizerKind::SparseAdam, "sparse_adam", "SparseAdam",
     "Adam that only touches weights whose gradient is nonzero this step: the moments and "
     "values of the rest (e.g. behind dead ReLU units) stay as they are.",
     kSparseAdamParams},
    {OptimizerKind::Adamax, "adamax", "Adamax",
     "Adam variant that scales steps by a decaying maximum of |gradient| (the infinity norm) "
     "instead of a root mean square.",
     kAdamaxParams},
    {OptimizerKind::ASGD, "asgd", "ASGD",
     "Averaged SGD: SGD with a slowly decaying step size that also keeps a running average of "
     "the weights (from step t0 on), often a steadier final model.",
     kAsgdParams},
    {OptimizerKind::LBFGS, "lbfgs", "L-BFGS",
     "Quasi-Newton method: estimates curvature from recent gradient changes to pick direction "
     "and length. One step evaluates the loss several times; use the full batch.",
     kLbfgsParams},
    {OptimizerKind::NAdam, "nadam", "NAdam",
     "Adam with Nesterov momentum: the update looks ahead along the momentum, whose strength "
     "warms up over the first steps.",
     kNadamParams},
    {OptimizerKind::RAdam, "radam", "RAdam",
     "Rectified Adam: momentum-SGD steps while the squared-gradient average is still "
     "unreliable, then Adam steps scaled by a rectification term.",
     kRadamParams},
    {OptimizerKind::RMSprop, "rmsprop", "RMSprop",
     "Divides each step by the root of a running average of squared gradients, optionally "
     "centered and with momentum.",
     kRmspropParams},
    {OptimizerKind::Rprop, "rprop", "Rprop",
     "Resilient backpropagation: uses only the sign of each gradient, growing a weight's step "
     "while the sign holds and shrinking it when it flips. Use the full batch.",
     kRpropParams},
}};

std::string formatNumber(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  // Plain digits for everyday magnitudes ("100000", "0.001"), exponents beyond ("1e-06").
  const double a = std::abs(v);
  const bool fixed = a == 0 || (a >= 1e-4 && a < 1e7);
  char buf[64];
  const auto res = fixed ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string rangeText(const HyperParam& p) {
  if (std::isinf(p.max)) return std::string(p.minOpen ? "> " : "≥ ") + formatNumber(p.min);
  return std::string("in ") + (p.minOpen ? "(" : "[") + formatNumber(p.min) + ", " +
         formatNumber(p.max) + (p.maxOpen ? ")" : "]");
}

bool inRange(const HyperParam& p, double v) {
  const bool aboveMin = p.minOpen ? v > p.min : v >= p.min;
  const bool belowMax = p.maxOpen ? v < p.max : v <= p.max;
  return aboveMin && belowMax;
}

const HyperParam* findParam(const OptimizerInfo& info, std::string_view key) {
  for (const auto& p : info.params)
    if (p.key == key) return &p;
  return nullptr;
}

// The message for one value, or empty if it is acceptable on its own.
std::string checkValue(const OptimizerInfo& info, const HyperParam& p, double v,
                       const OptimizerConfig& config) {
  const std::string head = std::string(info.name) + ": " + std::string(p.torchName) + " must be ";
  const std::string got = " (got " + formatNumber(v) + ")";
  if (!std::isfinite(v)) return head + "a finite number" + got;
  switch (p.kind) {
    case HyperKind::Bool:
      if (v != 0.0 && v != 1.0) return head + "0 (false) or 1 (true)" + got;
      return {};
    case HyperKind::Choice:
      if (v != std::floor(v) || v < 0 || v >= static_cast<double>(p.choices.size())) {
        std::string list;
        for (std::size_t i = 0; i < p.choices.size(); ++i)
          list += (i ? ", " : "") + std::to_string(i) + " (" + std::string(p.choices[i]) + ")";
        return head + "one of " + list + got;
      }
      return {};
    case HyperKind::Int:
      if (v != std::floor(v)) return head + "an integer" + got;
      break;
    case HyperKind::Real:
      break;
  }
  if (inRange(p, v)) return {};
  if (p.flag == "etas")
    return std::string(info.name) + ": etas must satisfy 0 < eta− < 1 < eta+ (got " +
           formatNumber(config.get("eta_minus")) + ", " + formatNumber(config.get("eta_plus")) +
           ")";
  return head + rangeText(p) + got;
}

}  // namespace

std::span<const OptimizerInfo> optimizerTable() { return kTable; }

const OptimizerInfo& optimizerInfo(OptimizerKind k) { return kTable[static_cast<std::size_t>(k)]; }

std::optional<OptimizerKind> optimizerFromKey(std::string_view key) {
  for (const auto& info : kTable)
    if (info.key == key) return info.id;
  if (key == "sparseadam") return OptimizerKind::SparseAdam;
  if (key == "l-bfgs" || key == "l_bfgs") return OptimizerKind::LBFGS;
  return std::nullopt;
}

std::string_view optimizerKeyList() {
  return "sgd, adadelta, adagrad, adam, adamw, sparse_adam, adamax, asgd, lbfgs, nadam, radam, "
         "rmsprop, rprop";
}

double OptimizerConfig::get(std::string_view key) const {
  if (const auto it = values.find(key); it != values.end()) return it->second;
  const auto& info = optimizerInfo(kind);
  if (const HyperParam* p = findParam(info, key)) return p->defaultValue;
  throw std::out_of_range(std::string(info.name) + " has no hyperparameter '" + std::string(key) +
                          "'");
}

std::string validateOptimizer(const OptimizerConfig& config) {
  const auto& info = optimizerInfo(config.kind);
  const std::string name(info.name);
  for (const auto& [key, value] : config.values)
    if (!findParam(info, key)) return name + ": unknown hyperparameter '" + key + "'";
  for (const auto& p : info.params)
    if (auto msg = checkValue(info, p, config.get(p.key), config); !msg.empty()) return msg;

  // Checks that involve two values.
  switch (config.kind) {
    case OptimizerKind::SGD:
      if (config.get("nesterov") != 0 &&
          (config.get("momentum") <= 0 || config.get("dampening") != 0))
        return name + ": nesterov requires momentum > 0 and dampening = 0 (got momentum " +
               formatNumber(config.get("momentum")) + ", dampening " +
               formatNumber(config.get("dampening")) + ")";
      break;
    case OptimizerKind::Rprop:
      if (config.get("step_size_min") > config.get("step_size_max"))
        return name + ": step_sizes must satisfy step_size_min ≤ step_size_max (got " +
               formatNumber(config.get("step_size_min")) + ", " +
               formatNumber(config.get("step_size_max")) + ")";
      break;
    default:
      break;
  }
  return {};
}

std::unique_ptr<Optimizer> makeOptimizer(const OptimizerConfig& config,
                                         std::vector<ParamView<float>> params) {
  if (auto msg = validateOptimizer(config); !msg.empty()) throw std::invalid_argument(msg);
  switch (config.kind) {
    case OptimizerKind::SGD:
      return makeSgd(config, std::move(params));
    case OptimizerKind::Adadelta:
      return makeAdadelta(config, std::move(params));
    case OptimizerKind::Adagrad:
      return makeAdagrad(config, std::move(params));
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
      return makeAdam(config, std::move(params));
    case OptimizerKind::SparseAdam:
      return makeSparseAdam(config, std::move(params));
    case OptimizerKind::Adamax:
      return makeAdamax(config, std::move(params));
    case OptimizerKind::ASGD:
      return makeAsgd(config, std::move(params));
    case OptimizerKind::LBFGS:
      return makeLbfgs(config, std::move(params));
    case OptimizerKind::NAdam:
      return makeNadam(config, std::move(params));
    case OptimizerKind::RAdam:
      return makeRadam(config, std::move(params));
    case OptimizerKind::RMSprop:
      return makeRmsprop(config, std::move(params));
    case OptimizerKind::Rprop:
      return makeRprop(config, std::move(params));
  }
  throw std::invalid_argument("unknown optimizer kind");
}

}  // namespace gradscope
