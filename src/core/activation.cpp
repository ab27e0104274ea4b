// Activation functions: the table, scalar f/f' and the element-wise matrix forms.
// Definitions follow torch.nn (ReLU's derivative at 0 is 0, Softplus and Mish switch to the
// identity where βx > 20, GELU is the exact erf form).
#include "core/activation.h"

#include <unsupported/Eigen/SpecialFunctions>  // the vectorized erf

#include <array>
#include <cmath>
#include <numbers>

namespace gradscope {
namespace {

constexpr double kSeluLambda = 1.0507009873554804934193349852946;
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSoftplusThreshold = 20.0;  // torch.nn.Softplus(threshold=20)
constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

constexpr std::array<ActivationInfo, 13> kTable{{
    {Activation::Linear, "linear", "Linear", "f(x) = x", "", 0, 0, 0, false},
    {Activation::Sigmoid, "sigmoid", "Sigmoid", "σ(x) = 1 / (1 + e^−x)", "", 0, 0, 0, false},
    {Activation::Tanh, "tanh", "Tanh", "tanh(x) = (e^x − e^−x) / (e^x + e^−x)", "", 0, 0, 0, false},
    {Activation::ReLU, "relu", "ReLU", "f(x) = max(0, x)", "", 0, 0, 0, true},
    {Activation::LeakyReLU, "leaky_relu", "Leaky ReLU", "f(x) = max(αx, x)", "α", 0.01, 0.0, 1.0,
     true},
    {Activation::PReLU, "prelu", "PReLU", "f(x) = max(0, x) + α·min(0, x), α learned per unit",
     "α init", 0.25, 0.0, 1.0, true},
    {Activation::ELU, "elu", "ELU", "f(x) = x if x > 0, else α(e^x − 1)", "α", 1.0, 0.01, 5.0,
     true},
    {Activation::SELU, "selu", "SELU", "f(x) = λx if x > 0, else λα(e^x − 1); λ≈1.0507, α≈1.6733",
     "", 0, 0, 0, true},
    {Activation::GELU, "gelu", "GELU", "f(x) = x·Φ(x) = x/2·(1 + erf(x/√2))", "", 0, 0, 0, false},
    {Activation::SiLU, "silu", "SiLU / Swish", "f(x) = x·σ(x)", "", 0, 0, 0, false},
    {Activation::Softplus, "softplus", "Softplus", "f(x) = ln(1 + e^(βx)) / β", "β", 1.0, 0.1, 10.0,
     false},
    {Activation::Mish, "mish", "Mish", "f(x) = x·tanh(softplus(x))", "", 0, 0, 0, false},
    {Activation::Maxout, "maxout", "Maxout", "f(x) = max_j (w_j·x + b_j) over k pieces", "k pieces",
     2, 2, 8, true},
}};

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double softplus(double x, double beta) {
  if (beta * x > kSoftplusThreshold) return x;
  return std::log1p(std::exp(beta * x)) / beta;
}
double normalPdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi); }
double normalCdf(double x) { return 0.5 * (1.0 + std::erf(x / std::numbers::sqrt2)); }

}  // namespace

std::span<const ActivationInfo> activationTable() { return kTable; }

const ActivationInfo& activationInfo(Activation a) { return kTable[static_cast<size_t>(a)]; }

std::optional<Activation> activationFromKey(std::string_view key) {
  for (const auto& info : kTable)
    if (info.key == key) return info.id;
  if (key == "swish") return Activation::SiLU;
  if (key == "leaky" || key == "leakyrelu") return Activation::LeakyReLU;
  return std::nullopt;
}

std::string_view activationKeyList() {
  return "linear, sigmoid, tanh, relu, leaky_relu, prelu, elu, selu, gelu, silu, softplus, mish, "
         "maxout";
}

double activate(Activation a, double x, double p) {
  switch (a) {
    case Activation::Linear:
      return x;
    case Activation::Sigmoid:
      return sigmoid(x);
    case Activation::Tanh:
      return std::tanh(x);
    case Activation::ReLU:
    case Activation::Maxout:
      return x > 0 ? x : 0.0;
    case Activation::LeakyReLU:
    case Activation::PReLU:
      return x > 0 ? x : p * x;
    case Activation::ELU:
      return x > 0 ? x : p * std::expm1(x);
    case Activation::SELU:
      return kSeluLambda * (x > 0 ? x : kSeluAlpha * std::expm1(x));
    case Activation::GELU:
      return x * normalCdf(x);
    case Activation::SiLU:
      return x * sigmoid(x);
    case Activation::Softplus:
      return softplus(x, p);
    case Activation::Mish:
      return x * std::tanh(softplus(x, 1.0));
  }
  return x;
}

double activateDerivative(Activation a, double x, double p) {
  switch (a) {
    case Activation::Linear:
      return 1.0;
    case Activation::Sigmoid: {
      const double s = sigmoid(x);
      return s * (1.0 - s);
    }
    case Activation::Tanh: {
      const double t = std::tanh(x);
      return 1.0 - t * t;
    }
    case Activation::ReLU:
    case Activation::Maxout:
      return x > 0 ? 1.0 : 0.0;
    case Activation::LeakyReLU:
    case Activation::PReLU:
      return x > 0 ? 1.0 : p;
    case Activation::ELU:
      return x > 0 ? 1.0 : p * std::exp(x);
    case Activation::SELU:
      return kSeluLambda * (x > 0 ? 1.0 : kSeluAlpha * std::exp(x));
    case Activation::GELU:
      return normalCdf(x) + x * normalPdf(x);
    case Activation::SiLU: {
      const double s = sigmoid(x);
      return s * (1.0 + x * (1.0 - s));
    }
    case Activation::Softplus:
      return p * x > kSoftplusThreshold ? 1.0 : sigmoid(p * x);
    case Activation::Mish: {
      const double sp = softplus(x, 1.0);
      const double t = std::tanh(sp);
      const double dsp = x > kSoftplusThreshold ? 1.0 : sigmoid(x);
      return t + x * (1.0 - t * t) * dsp;
    }
  }
  return 1.0;
}

double maxDerivative(Activation a, double p) {
  switch (a) {
    case Activation::Sigmoid:
      return 0.25;
    case Activation::Linear:
    case Activation::Tanh:
    case Activation::ReLU:
    case Activation::Maxout:
    case Activation::Softplus:
      return 1.0;
    case Activation::LeakyReLU:
    case Activation::PReLU:
    case Activation::ELU:
      return std::max(1.0, p);
    case Activation::SELU:
      return kSeluLambda * kSeluAlpha;  // approached as x → 0⁻
    case Activation::GELU:
    case Activation::SiLU:
    case Activation::Mish:
      break;
  }
  // Smooth bumps above 1: a fine scan, then golden-section refinement around the best cell.
  double best = -1e300, bestX = 0;
  for (int i = 0; i <= 2000; ++i) {
    const double x = -10.0 + i * 0.01;
    const double d = activateDerivative(a, x, p);
    if (d > best) best = d, bestX = x;
  }
  double lo = bestX - 0.01, hi = bestX + 0.01;
  const double g = (std::sqrt(5.0) - 1.0) / 2.0;
  for (int i = 0; i < 60; ++i) {
    const double m1 = hi - g * (hi - lo), m2 = lo + g * (hi - lo);
    if (activateDerivative(a, m1, p) < activateDerivative(a, m2, p))
      lo = m1;
    else
      hi = m2;
  }
  return std::max(best, activateDerivative(a, 0.5 * (lo + hi), p));
}

template <typename Scalar>
void activateForward(Activation act, Scalar p, const Mat<Scalar>& z, Mat<Scalar>& a) {
  a.resize(z.rows(), z.cols());
  auto Z = z.array();
  auto A = a.array();
  const Scalar one(1), zero(0);
  switch (act) {
    case Activation::Linear:
      A = Z;
      break;
    case Activation::Sigmoid:
      A = one / (one + (-Z).exp());
      break;
    case Activation::Tanh:
      A = Z.tanh();
      break;
    case Activation::ReLU:
    case Activation::Maxout:
      A = Z.max(zero);
      break;
    case Activation::LeakyReLU:
    case Activation::PReLU:
      A = (Z > zero).select(Z, p * Z);
      break;
    // Written with max/min instead of select so Eigen vectorizes them: for z > 0 the exp term
    // is e^0 − 1 = 0, for z ≤ 0 the max term is 0.
    case Activation::ELU:
      A = Z.max(zero) + p * (Z.min(zero).exp() - one);
      break;
    case Activation::SELU:
      A = Scalar(kSeluLambda) * (Z.max(zero) + Scalar(kSeluAlpha) * (Z.min(zero).exp() - one));
      break;
    case Activation::GELU:
      A = Scalar(0.5) * Z * (one + (Z * Scalar(kInvSqrt2)).erf());
      break;
    case Activation::SiLU:
      A = Z / (one + (-Z).exp());
      break;
    // softplus(x) = max(x, 0) + log1p(e^−|x|): the stable form of log1p(e^x), vectorized.
    // Above torch's threshold (βx > 20) the second term is below float's resolution of x, so
    // the result equals torch's "return x" there too.
    case Activation::Softplus:
      A = ((p * Z).max(zero) + (-(p * Z).abs()).exp().log1p()) / p;
      break;
    case Activation::Mish:
      A = Z * (Z.max(zero) + (-Z.abs()).exp().log1p()).tanh();
      break;
  }
}

template <typename Scalar>
void activateBackward(Activation act, Scalar p, const Mat<Scalar>& z, const Mat<Scalar>& a,
                      const Mat<Scalar>& da, Mat<Scalar>& dz) {
  dz.resize(z.rows(), z.cols());
  auto Z = z.array();
  auto A = a.array();
  auto D = da.array();
  auto G = dz.array();
  const Scalar one(1), zero(0);
  switch (act) {
    case Activation::Linear:
      G = D;
      break;
    case Activation::Sigmoid:
      G = D * A * (one - A);
      break;
    case Activation::Tanh:
      G = D * (one - A.square());
      break;
    case Activation::ReLU:
    case Activation::Maxout:
      G = (Z > zero).select(D, zero);
      break;
    case Activation::LeakyReLU:
    case Activation::PReLU:
      G = (Z > zero).select(D, p * D);
      break;
    case Activation::ELU:
      G = (Z > zero).select(D, D * (A + p));
      break;  // α e^z = f + α
    case Activation::SELU:
      G = (Z > zero).select(Scalar(kSeluLambda) * D,
                            D * (A + Scalar(kSeluLambda * kSeluAlpha)));  // λα e^z = f + λα
      break;
    case Activation::GELU:
      G = D * Z.unaryExpr([](Scalar x) {
        const Scalar cdf = Scalar(0.5) * (Scalar(1) + std::erf(x * Scalar(kInvSqrt2)));
        const Scalar pdf = std::exp(Scalar(-0.5) * x * x) * Scalar(kInvSqrt2Pi);
        return cdf + x * pdf;
      });
      break;
    case Activation::SiLU: {
      auto s = one / (one + (-Z).exp());
      G = D * s * (one + Z * (one - s));
      break;
    }
    case Activation::Softplus: {
      const Scalar t(kSoftplusThreshold);
      G = (p * Z > t).select(D, D / (one + (-p * Z).exp()));
      break;
    }
    case Activation::Mish: {
      const Scalar t(kSoftplusThreshold);
      G = Z.binaryExpr(D, [t](Scalar x, Scalar d) {
        const Scalar sp = x > t ? x : std::log1p(std::exp(x));
        const Scalar th = std::tanh(sp);
        const Scalar dsp = x > t ? Scalar(1) : Scalar(1) / (Scalar(1) + std::exp(-x));
        return d * (th + x * (Scalar(1) - th * th) * dsp);
      });
      break;
    }
  }
}

template void activateForward<float>(Activation, float, const Mat<float>&, Mat<float>&);
template void activateForward<double>(Activation, double, const Mat<double>&, Mat<double>&);
template void activateBackward<float>(Activation, float, const Mat<float>&, const Mat<float>&,
                                      const Mat<float>&, Mat<float>&);
template void activateBackward<double>(Activation, double, const Mat<double>&, const Mat<double>&,
                                       const Mat<double>&, Mat<double>&);

}  // namespace gradscope
