// Activations: derivatives against central differences, known values, and the matrix forms
// against the scalar ones.
#include "core/activation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gradscope {
namespace {

bool hasKinkAtZero(Activation a) {
  switch (a) {
    case Activation::ReLU:
    case Activation::LeakyReLU:
    case Activation::PReLU:
    case Activation::ELU:
    case Activation::SELU:
    case Activation::Maxout:
      return true;
    default:
      return false;
  }
}

class EachActivation : public ::testing::TestWithParam<Activation> {};

TEST_P(EachActivation, DerivativeMatchesCentralDifferences) {
  const auto& info = activationInfo(GetParam());
  const double p = info.paramDefault;
  const double h = 1e-5;
  int checked = 0;
  for (double x = -8.0; x <= 8.0; x += 0.0137) {
    if (hasKinkAtZero(info.id) && std::abs(x) < 1e-3) continue;
    const double numeric = (activate(info.id, x + h, p) - activate(info.id, x - h, p)) / (2 * h);
    const double analytic = activateDerivative(info.id, x, p);
    // Truncation error is O(h²·f''') ≈ 1e-10, rounding O(ε/h) ≈ 1e-11.
    EXPECT_NEAR(analytic, numeric, 1e-7 * (1.0 + std::abs(numeric))) << info.name << " at x=" << x;
    ++checked;
  }
  EXPECT_GT(checked, 1000);
}

TEST_P(EachActivation, MaxDerivativeIsTheSupremum) {
  const auto& info = activationInfo(GetParam());
  const double p = info.paramDefault;
  const double m = maxDerivative(info.id, p);
  double seen = 0;
  for (double x = -12.0; x <= 12.0; x += 0.001)
    seen = std::max(seen, activateDerivative(info.id, x, p));
  EXPECT_GE(m, seen - 1e-9) << info.name;
  EXPECT_LE(m, seen + 1e-3) << info.name;  // SELU's sup is approached at 0⁻
}

template <typename S>
void expectMatrixFormsMatchScalar(Activation act, double p, double tol) {
  Mat<S> z(7, 40);
  for (Eigen::Index i = 0; i < z.size(); ++i)
    z.data()[i] = S(-9.0 + 18.0 * i / (z.size() - 1) + 0.003);
  Mat<S> a, da = Mat<S>::Constant(7, 40, S(1)), dz;
  activateForward<S>(act, S(p), z, a);
  activateBackward<S>(act, S(p), z, a, da, dz);
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    const double x = double(z.data()[i]);
    EXPECT_NEAR(double(a.data()[i]), activate(act, x, p), tol * (1 + std::abs(x))) << x;
    EXPECT_NEAR(double(dz.data()[i]), activateDerivative(act, x, p), tol * 4) << x;
  }
}

TEST_P(EachActivation, MatrixFormsMatchScalarForms) {
  const auto& info = activationInfo(GetParam());
  expectMatrixFormsMatchScalar<double>(info.id, info.paramDefault, 1e-12);
  expectMatrixFormsMatchScalar<float>(info.id, info.paramDefault, 2e-6);
}

TEST_P(EachActivation, TableEntryIsComplete) {
  const auto& info = activationInfo(GetParam());
  EXPECT_EQ(info.id, GetParam());
  EXPECT_FALSE(info.key.empty());
  EXPECT_FALSE(info.name.empty());
  EXPECT_FALSE(info.formula.empty());
  EXPECT_EQ(activationFromKey(info.key), info.id);
  EXPECT_NE(activationKeyList().find(info.key), std::string_view::npos);
  if (!info.paramName.empty()) {
    EXPECT_LE(info.paramMin, info.paramDefault);
    EXPECT_LE(info.paramDefault, info.paramMax);
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, EachActivation,
    ::testing::Values(Activation::Linear, Activation::Sigmoid, Activation::Tanh, Activation::ReLU,
                      Activation::LeakyReLU, Activation::PReLU, Activation::ELU, Activation::SELU,
                      Activation::GELU, Activation::SiLU, Activation::Softplus, Activation::Mish,
                      Activation::Maxout),
    [](const auto& param) { return std::string(activationInfo(param.param).key); });

TEST(Activation, TableCoversEveryEnumValueInOrder) {
  const auto table = activationTable();
  ASSERT_EQ(table.size(), 13u);
  for (size_t i = 0; i < table.size(); ++i) EXPECT_EQ(static_cast<size_t>(table[i].id), i);
}

TEST(Activation, KnownValues) {
  EXPECT_DOUBLE_EQ(activate(Activation::Sigmoid, 0, 0), 0.5);
  EXPECT_DOUBLE_EQ(activateDerivative(Activation::Sigmoid, 0, 0), 0.25);
  EXPECT_DOUBLE_EQ(maxDerivative(Activation::Sigmoid, 0), 0.25);
  EXPECT_DOUBLE_EQ(activateDerivative(Activation::Tanh, 0, 0), 1.0);
  EXPECT_DOUBLE_EQ(maxDerivative(Activation::Tanh, 0), 1.0);
  EXPECT_EQ(activateDerivative(Activation::ReLU, -0.5, 0), 0.0);
  EXPECT_EQ(activateDerivative(Activation::ReLU, -1e-30, 0), 0.0);
  EXPECT_EQ(activateDerivative(Activation::ReLU, 0.0, 0), 0.0);  // torch: grad 0 at 0
  EXPECT_EQ(activateDerivative(Activation::ReLU, 3.0, 0), 1.0);
  EXPECT_DOUBLE_EQ(activate(Activation::LeakyReLU, -2.0, 0.01), -0.02);
  EXPECT_DOUBLE_EQ(activate(Activation::ELU, -1.0, 1.0), std::exp(-1.0) - 1.0);
  EXPECT_NEAR(activate(Activation::SELU, -100.0, 0), -1.0507009873554805 * 1.6732632423543772,
              1e-12);
  EXPECT_NEAR(activate(Activation::GELU, 1.0, 0), 0.8413447460685429, 1e-12);
  EXPECT_NEAR(maxDerivative(Activation::GELU, 0), 1.1289, 1e-4);
  EXPECT_NEAR(maxDerivative(Activation::SiLU, 0), 1.0998, 1e-4);
  EXPECT_NEAR(activate(Activation::Softplus, 0.0, 1.0), std::log(2.0), 1e-15);
  EXPECT_NEAR(activate(Activation::Mish, 1.0, 0), 0.8650983882673103, 1e-12);
  // σ' ≤ 0.25 everywhere: ten sigmoid layers scale a gradient by at most 0.25¹⁰ ≈ 9.5e-7.
  EXPECT_LT(std::pow(maxDerivative(Activation::Sigmoid, 0), 10), 1e-6);
}

TEST(Activation, SaturatedTailsAreFinite) {
  Mat<float> z(1, 4);
  z << -200.f, -90.f, 90.f, 200.f;
  for (const auto& info : activationTable()) {
    Mat<float> a, dz, da = Mat<float>::Ones(1, 4);
    activateForward<float>(info.id, float(info.paramDefault), z, a);
    activateBackward<float>(info.id, float(info.paramDefault), z, a, da, dz);
    EXPECT_TRUE(a.allFinite()) << info.name;
    EXPECT_TRUE(dz.allFinite()) << info.name;
  }
}

TEST(Activation, UnknownKey) {
  EXPECT_FALSE(activationFromKey("sigmoidd").has_value());
  EXPECT_EQ(activationFromKey("swish"), Activation::SiLU);
}

}  // namespace
}  // namespace gradscope
