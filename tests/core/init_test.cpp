// Initializers: statistics against their formulas, and seed determinism.
#include "core/init.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/mlp.h"

namespace gradscope {
namespace {

TEST(Init, StatisticsMatchFormulas) {
  const int fanOut = 300, fanIn = 200;  // 60,000 draws: the sample std is within ~0.6% (3σ)
  for (const auto& info : initTable()) {
    Eigen::MatrixXd W(fanOut, fanIn);
    Rng rng(42);
    initWeights(info.id, W, rng, 0.3);
    const double mean = W.mean();
    const double sd = std::sqrt((W.array() - mean).square().mean());
    if (info.id == Init::Constant) {
      EXPECT_TRUE((W.array() == 0.3).all());
      continue;
    }
    if (info.id == Init::Zeros) {
      EXPECT_TRUE((W.array() == 0.0).all());
      continue;
    }
    const double expected = initStddev(info.id, fanIn, fanOut);
    EXPECT_NEAR(sd, expected, 0.01 * expected) << info.name;
    EXPECT_NEAR(mean, 0.0, 0.02 * expected) << info.name;
  }
}

TEST(Init, UniformBoundsAreRespected) {
  Eigen::MatrixXd W(64, 32);
  Rng rng(1);
  initWeights(Init::XavierUniform, W, rng);
  const double a = std::sqrt(6.0 / (64 + 32));
  EXPECT_LE(W.cwiseAbs().maxCoeff(), a);
  EXPECT_GT(W.cwiseAbs().maxCoeff(), 0.95 * a);
  initWeights(Init::HeUniform, W, rng);
  EXPECT_LE(W.cwiseAbs().maxCoeff(), std::sqrt(6.0 / 32));
  initWeights(Init::Uniform, W, rng);
  EXPECT_LE(W.cwiseAbs().maxCoeff(), 0.5);
}

TEST(Init, KnownFormulas) {
  EXPECT_DOUBLE_EQ(initStddev(Init::HeNormal, 50, 10), std::sqrt(2.0 / 50));
  EXPECT_DOUBLE_EQ(initStddev(Init::XavierNormal, 30, 10), std::sqrt(2.0 / 40));
  EXPECT_DOUBLE_EQ(initStddev(Init::LeCunNormal, 25, 3), 0.2);
  EXPECT_DOUBLE_EQ(initStddev(Init::Normal, 25, 3), 1.0);
}

TEST(Init, SameSeedGivesBitIdenticalWeights) {
  MlpShape s;
  s.hidden.assign(10, {10, Activation::Sigmoid, 0});
  Mlp a(s), b(s);
  Rng ra(2024), rb(2024);
  a.initialize(Init::Normal, 0.0f, ra);
  b.initialize(Init::Normal, 0.0f, rb);
  for (int l = 0; l < a.layerCount(); ++l)
    EXPECT_EQ(
        std::memcmp(a.layer(l).W.data(), b.layer(l).W.data(), sizeof(float) * a.layer(l).W.size()),
        0);

  // The activation does not change the draws: sigmoid and ReLU start from the same weights.
  MlpShape r = s;
  for (auto& h : r.hidden) h.activation = Activation::ReLU;
  Mlp c(r);
  Rng rc(2024);
  c.initialize(Init::Normal, 0.0f, rc);
  for (int l = 0; l < a.layerCount(); ++l) EXPECT_EQ(a.layer(l).W, c.layer(l).W);

  Mlp d(s);
  Rng rd(2025);
  d.initialize(Init::Normal, 0.0f, rd);
  EXPECT_NE(a.layer(0).W, d.layer(0).W);
}

TEST(Init, RngIsTheSameOnEveryMachine) {
  // mt19937_64's 10,000th output for the default seed is fixed by the C++ standard.
  std::mt19937_64 e;
  e.discard(9999);
  EXPECT_EQ(e(), 9981545732273789042ULL);
  Rng rng(5489);
  const double u = rng.uniform();
  EXPECT_EQ(u, static_cast<double>(14514284786278117030ULL >> 11) * 0x1.0p-53);
}

TEST(Init, KeysRoundTrip) {
  for (const auto& info : initTable()) {
    EXPECT_EQ(initFromKey(info.key), info.id);
    EXPECT_NE(initKeyList().find(info.key), std::string_view::npos);
  }
  EXPECT_EQ(initFromKey("kaiming_normal"), Init::HeNormal);
  EXPECT_FALSE(initFromKey("he").has_value());
}

}  // namespace
}  // namespace gradscope
