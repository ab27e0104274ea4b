// Activation functions, selectable at run time: one enum and one table of
// {key, name, formula, parameter}, plus scalar f/f' for plots and matrix forms for training.
//
// [SECTION] The table
// [SECTION] Scalar value and derivative (plots, tests)
// [SECTION] Matrix forms (training; Scalar = float in the app, double in gradient checks)
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace gradscope {

enum class Activation : std::uint8_t {
  Linear,
  Sigmoid,
  Tanh,
  ReLU,
  LeakyReLU,
  PReLU,
  ELU,
  SELU,
  GELU,
  SiLU,
  Softplus,
  Mish,
  Maxout,
};

//-----------------------------------------------------------------------------
// [SECTION] The table
//-----------------------------------------------------------------------------

struct ActivationInfo {
  Activation id;
  std::string_view key;        // command line and JSON name, e.g. "leaky_relu"
  std::string_view name;       // display name, e.g. "Leaky ReLU"
  std::string_view formula;    // one line, UTF-8
  std::string_view paramName;  // empty when the activation has no parameter
  double paramDefault;
  double paramMin;
  double paramMax;
  bool reluFamily;  // has a region where the output is exactly 0 or a fixed slope: dead units
};

std::span<const ActivationInfo> activationTable();
const ActivationInfo& activationInfo(Activation a);
std::optional<Activation> activationFromKey(std::string_view key);
// "linear, sigmoid, tanh, ..." for help texts and error messages.
std::string_view activationKeyList();

//-----------------------------------------------------------------------------
// [SECTION] Scalar value and derivative
//-----------------------------------------------------------------------------
// For PReLU `param` is the slope α; for Maxout (a max over k learned pieces, not a scalar
// function) the curve is the ReLU special case max(0, x), which Maxout contains.

double activate(Activation a, double x, double param);
double activateDerivative(Activation a, double x, double param);
// sup over x of f'(x): 0.25 for sigmoid, 1 for tanh and ReLU, ~1.129 for GELU.
double maxDerivative(Activation a, double param);

//-----------------------------------------------------------------------------
// [SECTION] Matrix forms
//-----------------------------------------------------------------------------
// Element-wise over z; PReLU (one α per row) and Maxout (k rows per unit) live in the layer.

template <typename Scalar>
using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
template <typename Scalar>
using Vec = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

// a = f(z)
template <typename Scalar>
void activateForward(Activation act, Scalar param, const Mat<Scalar>& z, Mat<Scalar>& a);
// dz = da ∘ f'(z), given z and a = f(z)
template <typename Scalar>
void activateBackward(Activation act, Scalar param, const Mat<Scalar>& z, const Mat<Scalar>& a,
                      const Mat<Scalar>& da, Mat<Scalar>& dz);

}  // namespace gradscope
