// Measurements on constructed networks whose answers are known.
#include "core/measure.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gradscope {
namespace {

Mat<float> samples(int n) {
  Mat<float> X(2, n);
  for (int j = 0; j < n; ++j)
    X(0, j) = std::sin(0.7f * j), X(1, j) = std::cos(1.3f * j);  // in [−1, 1]²
  return X;
}

Mlp network(Activation act, double param) {
  MlpShape s;
  s.inputs = 2;
  s.hidden = {{4, act, param}};
  s.outputs = 1;
  Mlp net(s);
  auto& L = net.layer(0);
  // Units 0 and 1 see x1 and −x1 (each positive on some samples); units 2 and 3 have zero
  // weights and a negative bias: z = −1 on every sample.
  L.W << 1, 0, -1, 0, 0, 0, 0, 0;
  L.b << 0, 0, -1, -1;
  net.layer(1).W.setOnes();
  return net;
}

TEST(Measure, DeadReluUnitsAreCounted) {
  Mlp net = network(Activation::ReLU, 0);
  MlpCache<float> cache;
  const int n = 200;
  net.forward(samples(n), cache);
  const auto stats = measureLayers(net, cache);
  ASSERT_EQ(stats.size(), 1u);
  const LayerStats& s = stats[0];
  EXPECT_EQ(s.units, 4);
  EXPECT_EQ(s.dead, 2);
  EXPECT_FLOAT_EQ(s.unitStats[2].activeRate, 0.0f);
  EXPECT_TRUE(s.unitStats[2].dead);
  EXPECT_FALSE(s.unitStats[0].dead);
  EXPECT_FLOAT_EQ(s.unitStats[3].meanZ, -1.0f);
  EXPECT_FLOAT_EQ(s.unitStats[2].weightNorm, 0.0f);
  EXPECT_FLOAT_EQ(s.unitStats[0].weightNorm, 1.0f);
  // Units 0 and 1 are active on complementary halves: together exactly n samples are active.
  EXPECT_NEAR((s.unitStats[0].activeRate + s.unitStats[1].activeRate) * n, n, 1.0);
  // Zeros: units 2, 3 always; units 0, 1 on their inactive halves (x1 = 0 exactly never occurs
  // except at j = 0, where both are 0).
  const float expectedSparsity = (2.0f * n + n + 1) / (4.0f * n);
  EXPECT_NEAR(s.sparsity, expectedSparsity, 1.0f / (4 * n));
  EXPECT_NEAR(s.saturation, expectedSparsity, 1.0f / (4 * n));  // ReLU: saturated ⇔ z ≤ 0
  float total = 0;
  for (float c : s.histogram) total += c;
  EXPECT_EQ(total, 4.0f * n);
  EXPECT_LE(s.histLo, -1.0f);
  EXPECT_GE(s.histHi, 0.99f);
}

TEST(Measure, LeakyAndSmoothActivationsHaveNoDeadUnits) {
  for (Activation a : {Activation::LeakyReLU, Activation::ELU, Activation::PReLU,
                       Activation::Sigmoid, Activation::GELU}) {
    Mlp net = network(a, activationInfo(a).paramDefault);
    MlpCache<float> cache;
    net.forward(samples(100), cache);
    EXPECT_EQ(measureLayers(net, cache)[0].dead, 0) << activationInfo(a).name;
  }
}

TEST(Measure, SaturatedSigmoidUnits) {
  Mlp net = network(Activation::Sigmoid, 0);
  auto& L = net.layer(0);
  L.W.setZero();
  L.b << 0, 10, -10, 3;  // σ'(±10) ≈ 4.5e-5 < 1% of 0.25; σ'(0) and σ'(3) = 0.045 are not
  MlpCache<float> cache;
  net.forward(samples(50), cache);
  const auto s = measureLayers(net, cache)[0];
  EXPECT_FLOAT_EQ(s.saturation, 0.5f);
  EXPECT_FLOAT_EQ(s.sparsity, 0.0f);
  EXPECT_FLOAT_EQ(s.unitStats[1].activeRate, 0.0f);
  EXPECT_FLOAT_EQ(s.unitStats[0].activeRate, 1.0f);
  EXPECT_EQ(s.dead, 0);  // saturated is not dead: f' is tiny, not 0
}

TEST(Measure, GradientNormsAreFrobeniusNorms) {
  Mlp net = network(Activation::ReLU, 0);
  net.layer(0).dW << 3, 4, 0, 0, 0, 0, 0, 0;
  net.layer(1).dW << 1, 1, 1, 1;
  float norms[2];
  gradientNorms(net, norms);
  EXPECT_FLOAT_EQ(norms[0], 5.0f);
  EXPECT_FLOAT_EQ(norms[1], 2.0f);
}

TEST(Measure, SignAgreementIsTheShareOfAUnitsGradientsWithOneSign) {
  Mlp net = network(Activation::Sigmoid, 0);
  // Layer 1 (4 units × 2 inputs): rows (+,+) → 1, (+,−) → 0, (−,0) → 1/2, (0,0) → 0.
  net.layer(0).dW << 2, 3, 1, -1, -4, 0, 0, 0;
  // Layer 2 (1 unit × 4 inputs): three negative, one positive → |−3 + 1| / 4.
  net.layer(1).dW << -1, -2, -3, 4;
  float agreement[2];
  signAgreement(net, agreement);
  EXPECT_FLOAT_EQ(agreement[0], (1 + 0 + 0.5f + 0) / 4);
  EXPECT_FLOAT_EQ(agreement[1], 0.5f);

  // One sample through sigmoid units: all inputs of layer 2 are positive, so its gradient row
  // has the sign of the unit's dL/dz whatever the weights, and the agreement is exactly 1.
  Mlp deep = network(Activation::Sigmoid, 0);
  deep.layer(0).W << 1, -2, -1, 3, 2, 1, -3, -1;
  deep.layer(1).W << 1, -1, 2, -2;
  const Mat<float> x = samples(1);
  MlpCache<float> cache;
  deep.forward(x, cache);
  Mat<float> dOut(1, 1);
  dOut << 0.7f;
  deep.backward(x, cache, dOut);
  signAgreement(deep, agreement);
  EXPECT_FLOAT_EQ(agreement[1], 1.0f);
}

// Wide layers are counted a block of units at a time: 150 units (two full blocks and a part)
// over 7 inputs, against the definition row by row; and the one-sweep form used while
// training gives the same floats as the two measures on their own.
TEST(Measure, SignAgreementOfWideLayersMatchesItsDefinitionAndTheFusedSweep) {
  MlpShape s;
  s.inputs = 7;
  s.hidden = {{150, Activation::Tanh, 0.0}, {3, Activation::Tanh, 0.0}};
  s.outputs = 1;
  Mlp net(s);
  for (int l = 0; l < net.layerCount(); ++l) {
    auto& dW = net.layer(l).dW;
    for (Eigen::Index i = 0; i < dW.rows(); ++i)
      for (Eigen::Index j = 0; j < dW.cols(); ++j) {
        const int k = static_cast<int>(i * 31 + j * 17 + l * 5) % 7;  // some zeros, mixed signs
        dW(i, j) = static_cast<float>(k - 2 - static_cast<int>(i % 3));
      }
  }
  float agreement[3], norms[3], fusedAgreement[3], fusedNorms[3];
  signAgreement(net, agreement);
  gradientNorms(net, norms);
  for (int l = 0; l < net.layerCount(); ++l)
    weightGradientMeasures(net.layer(l), fusedNorms[l], fusedAgreement[l]);
  for (int l = 0; l < net.layerCount(); ++l) {
    const auto& dW = net.layer(l).dW;
    double sum = 0;
    for (Eigen::Index i = 0; i < dW.rows(); ++i) {
      int balance = 0;
      for (Eigen::Index j = 0; j < dW.cols(); ++j) balance += (dW(i, j) > 0) - (dW(i, j) < 0);
      sum += std::abs(balance) / static_cast<double>(dW.cols());
    }
    EXPECT_EQ(agreement[l], static_cast<float>(sum / static_cast<double>(dW.rows()))) << l;
    EXPECT_EQ(fusedAgreement[l], agreement[l]) << l;
    EXPECT_EQ(fusedNorms[l], norms[l]) << l;
  }
  EXPECT_GT(agreement[0], 0.0f);
  EXPECT_LT(agreement[0], 1.0f);
}

}  // namespace
}  // namespace gradscope
