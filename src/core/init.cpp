// Weight initializers (see init.h for the formulas).
#include "core/init.h"

#include <array>
#include <cmath>

namespace gradscope {
namespace {

constexpr std::array<InitInfo, 9> kTable{{
    {Init::Zeros, "zeros", "Zeros", "zeros", "W = 0"},
    {Init::Constant, "constant", "Constant", "constant", "W = c"},
    {Init::Uniform, "uniform", "Uniform ±0.5", "U(±0.5)", "U(−0.5, 0.5)"},
    {Init::Normal, "normal", "Standard normal", "N(0, 1)", "N(0, 1)"},
    {Init::XavierUniform, "xavier_uniform", "Xavier / Glorot uniform", "Xavier",
     "U(−a, a), a = √(6 / (fan_in + fan_out))"},
    {Init::XavierNormal, "xavier_normal", "Xavier / Glorot normal", "Xavier normal",
     "N(0, σ²), σ = √(2 / (fan_in + fan_out))"},
    {Init::HeUniform, "he_uniform", "He / Kaiming uniform", "He", "U(−b, b), b = √(6 / fan_in)"},
    {Init::HeNormal, "he_normal", "He / Kaiming normal", "He normal", "N(0, σ²), σ = √(2 / fan_in)"},
    {Init::LeCunNormal, "lecun_normal", "LeCun normal", "LeCun", "N(0, σ²), σ = √(1 / fan_in)"},
}};

template <typename M>
void fill(Init scheme, M& W, Rng& rng, typename M::Scalar value) {
  using S = typename M::Scalar;
  const double fanIn = static_cast<double>(W.cols());
  const double fanOut = static_cast<double>(W.rows());
  auto uniformFill = [&](double bound) {
    for (Eigen::Index i = 0; i < W.size(); ++i) W.data()[i] = S(rng.uniform(-bound, bound));
  };
  auto normalFill = [&](double sd) {
    for (Eigen::Index i = 0; i < W.size(); ++i) W.data()[i] = S(sd * rng.normal());
  };
  switch (scheme) {
    case Init::Zeros:
      W.setZero();
      break;
    case Init::Constant:
      W.setConstant(value);
      break;
    case Init::Uniform:
      uniformFill(0.5);
      break;
    case Init::Normal:
      normalFill(1.0);
      break;
    case Init::XavierUniform:
      uniformFill(std::sqrt(6.0 / (fanIn + fanOut)));
      break;
    case Init::XavierNormal:
      normalFill(std::sqrt(2.0 / (fanIn + fanOut)));
      break;
    case Init::HeUniform:
      uniformFill(std::sqrt(6.0 / fanIn));
      break;
    case Init::HeNormal:
      normalFill(std::sqrt(2.0 / fanIn));
      break;
    case Init::LeCunNormal:
      normalFill(std::sqrt(1.0 / fanIn));
      break;
  }
}

}  // namespace

std::span<const InitInfo> initTable() { return kTable; }
const InitInfo& initInfo(Init i) { return kTable[static_cast<size_t>(i)]; }

std::optional<Init> initFromKey(std::string_view key) {
  for (const auto& info : kTable)
    if (info.key == key) return info.id;
  if (key == "glorot_uniform") return Init::XavierUniform;
  if (key == "glorot_normal") return Init::XavierNormal;
  if (key == "kaiming_uniform") return Init::HeUniform;
  if (key == "kaiming_normal") return Init::HeNormal;
  return std::nullopt;
}

std::string_view initKeyList() {
  return "zeros, constant, uniform, normal, xavier_uniform, xavier_normal, he_uniform, "
         "he_normal, lecun_normal";
}

double initStddev(Init scheme, int fanIn, int fanOut) {
  const double in = fanIn, out = fanOut;
  switch (scheme) {
    case Init::Zeros:
    case Init::Constant:
      return 0.0;
    case Init::Uniform:
      return 1.0 / std::sqrt(12.0);
    case Init::Normal:
      return 1.0;
    case Init::XavierUniform:
    case Init::XavierNormal:
      return std::sqrt(2.0 / (in + out));
    case Init::HeUniform:
    case Init::HeNormal:
      return std::sqrt(2.0 / in);
    case Init::LeCunNormal:
      return std::sqrt(1.0 / in);
  }
  return 0.0;
}

void initWeights(Init scheme, Eigen::MatrixXf& W, Rng& rng, float value) {
  fill(scheme, W, rng, value);
}
void initWeights(Init scheme, Eigen::MatrixXd& W, Rng& rng, double value) {
  fill(scheme, W, rng, value);
}

}  // namespace gradscope
