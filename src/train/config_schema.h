// One declaration per numeric config field: its valid range, default, the controls' slider range
// and scale, display format and help. The JSON reader, validateSession, the command line's flags
// and the Controls panel all read these, so they cannot disagree.
#pragma once

#include <string>
#include <string_view>

#include "core/activation.h"
#include "core/dataset.h"

namespace gradscope {

enum class SliderScale : unsigned char { Linear, Log };

struct FieldSpec {
  std::string_view path;  // JSON path in a preset, e.g. "data.noise" (runs[i]. omitted)
  std::string_view flag;  // `gradscope train` flag without dashes
  double min, max;        // valid, inclusive
  double defaultValue;
  double sliderMin, sliderMax;  // the Controls panel's slider (ctrl+click types any valid value)
  SliderScale scale;
  bool integer;             // whole numbers only
  std::string_view format;  // the slider's printf format (of a double)
  std::string_view help;    // one line for the flag's help, without range and default

  bool valid(double v) const { return v >= min && v <= max; }  // false for NaN
  // "0 to 1", "2 to 1000000": the range as messages and help texts give it.
  std::string range() const;
  // "data.noise: must be 0 to 1 (got 3)".
  std::string outOfRange(std::string_view where, double got) const;
  // The flag's help: help, range and default.
  std::string flagHelp() const;
};

namespace field {
inline constexpr FieldSpec Samples{"data.samples",
                                   "samples",
                                   2,
                                   kMaxSamples,
                                   400,
                                   10,
                                   5000,
                                   SliderScale::Log,
                                   true,
                                   "%.0f",
                                   "Samples of a built-in set"};
inline constexpr FieldSpec TrainImages{
    "data.train_images",
    "train-images",
    1,
    60'000,
    10'000,
    100,
    60'000,
    SliderScale::Log,
    true,
    "%.0f training images",
    "Training images of an image set (Fashion-MNIST: the first N "
    "of its 60,000; the test set is its own 10,000)"};
inline constexpr FieldSpec Noise{"data.noise",
                                 "noise",
                                 0,
                                 1,
                                 0.05,
                                 0,
                                 1,
                                 SliderScale::Linear,
                                 false,
                                 "σ = %.2f",
                                 "Gaussian jitter of a built-in set"};
inline constexpr FieldSpec TestFraction{"data.test_fraction",
                                        "test-fraction",
                                        0,
                                        0.9,
                                        0.2,
                                        0,
                                        0.9,
                                        SliderScale::Linear,
                                        false,
                                        "%.2f held out",
                                        "Share held out for testing"};
inline constexpr FieldSpec StepsPerSecond{"speed.steps_per_second",
                                          "steps-per-second",
                                          0.1,
                                          1e7,
                                          1000,
                                          1,
                                          1e5,
                                          SliderScale::Log,
                                          false,
                                          "%.0f steps/s per run",
                                          "Steps per second per run when capped"};
inline constexpr FieldSpec EvalEvery{
    "eval_every",
    "eval-every",
    0,
    1'000'000,
    0,
    0,
    0,
    SliderScale::Linear,
    true,
    "%.0f",
    "Whole-set measurements every N steps (0: automatic, within their time budget)"};
inline constexpr FieldSpec Horizon{"view.horizon",
                                   "",
                                   0,
                                   1e12,
                                   0,
                                   0,
                                   0,
                                   SliderScale::Linear,
                                   true,
                                   "%.0f",
                                   "Pause once every run reaches this step (0: never)"};
inline constexpr FieldSpec BiasInit{"bias_init",
                                    "bias-init",
                                    -100,
                                    100,
                                    0,
                                    -2,
                                    2,
                                    SliderScale::Linear,
                                    false,
                                    "%.2f",
                                    "Initial value of every bias"};
inline constexpr FieldSpec InitConstant{"init_constant",
                                        "init-constant",
                                        -100,
                                        100,
                                        0,
                                        -2,
                                        2,
                                        SliderScale::Linear,
                                        false,
                                        "%.3f",
                                        "The value of --init constant"};
inline constexpr FieldSpec Batch{"batch",
                                 "batch",
                                 0,
                                 kMaxSamples,
                                 32,
                                 1,
                                 512,
                                 SliderScale::Log,
                                 true,
                                 "batch %.0f",
                                 "Batch size (0 or full: the whole training set every step)"};
// The cures (norm and residual are choices, not numbers).
inline constexpr FieldSpec ClipNorm{
    "clip_norm",
    "clip-norm",
    0,
    1e6,
    0,
    0.01,
    100,
    SliderScale::Log,
    false,
    "clip ‖g‖ at %.3g",
    "Clip the gradient's norm over all parameters at this (0: off)"};
inline constexpr FieldSpec Dropout{
    "dropout",
    "dropout",
    0,
    0.99,
    0,
    0,
    0.9,
    SliderScale::Linear,
    false,
    "dropout p = %.2f",
    "Dropout probability after each hidden activation (training only)"};
}  // namespace field

// The choice of activation `a` with its parameter at the activation's default: what picking
// a new activation means everywhere (the parameter of the old one does not carry over).
struct ActivationChoice;
ActivationChoice freshActivation(Activation a);

}  // namespace gradscope
