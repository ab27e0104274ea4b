// Normalization, residual connections, dropout and gradient clipping in the network: every
// activation × norm × residual combination (and dropout with a fixed mask) against central
// finite differences in double and in float, the float path against the double one, and the
// definitions torch gives BatchNorm1d, LayerNorm, Dropout and clip_grad_norm_.
#include <gtest/gtest.h>

#include <cmath>

#include "core/clip.h"
#include "core/loss.h"
#include "core/mlp.h"
#include "core/norm.h"

namespace gradscope {
namespace {

struct Combo {
  Activation act;
  Norm norm;
  bool residual;
  double dropout;
};

std::string comboName(const Combo& c) {
  return std::string(activationInfo(c.act).key) + "_" + std::string(normInfo(c.norm).key) +
         (c.residual ? "_residual" : "") + (c.dropout > 0 ? "_dropout" : "");
}

// 3 → 5 → 5 → 5 → outputs: the skips of layers 2 and 3 apply when residual is on.
MlpShape comboShape(const Combo& c, int outputs) {
  const double param = activationInfo(c.act).paramDefault;
  MlpShape s;
  s.inputs = 3;
  s.hidden = {{5, c.act, param}, {5, c.act, param}, {5, c.act, param}};
  s.outputs = outputs;
  s.norm = c.norm;
  s.residual = c.residual;
  s.dropout = c.dropout;
  return s;
}

template <typename S>
void perturbNorms(BasicMlp<S>& net) {
  // γ, β and the running statistics away from 1, 0 so their gradients and uses are not alike.
  for (int l = 0; l < net.layerCount(); ++l) {
    auto& n = net.layer(l).norm;
    for (Eigen::Index i = 0; i < n.weight.size(); ++i) {
      n.weight[i] = S(0.8 + 0.1 * i);
      n.bias[i] = S(0.05 * i - 0.1);
    }
    for (Eigen::Index i = 0; i < n.runningMean.size(); ++i) {
      n.runningMean[i] = S(0.1 * i);
      n.runningVar[i] = S(0.5 + 0.2 * i);
    }
    for (Eigen::Index i = 0; i < net.layer(l).alpha.size(); ++i)
      net.layer(l).alpha[i] = S(0.1 + 0.05 * i);
  }
}

template <typename S>
BasicMlp<S> makeNet(const Combo& c) {
  BasicMlp<double> ref(comboShape(c, 3));
  Rng rng(7);
  ref.initialize(Init::XavierNormal, 0.1, rng);
  perturbNorms(ref);
  BasicMlp<S> net(comboShape(c, 3));
  net.copyParametersFrom(ref);
  return net;
}

template <typename S>
Mat<S> inputs(int batch) {
  Rng rng(11);
  Mat<double> X(3, batch);
  for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = rng.uniform(-1.5, 1.5);
  return X.cast<S>();
}

Eigen::VectorXi labels(int batch) {
  Eigen::VectorXi y(batch);
  for (int j = 0; j < batch; ++j) y[j] = j % 3;
  return y;
}

// Which side of its kink every pre-activation lies on (z > 0 for the ReLU family, ELU and SELU;
// Maxout's winning piece): a difference quotient across a kink is a chord, not the derivative.
template <typename S>
std::vector<int> kinkPattern(const MlpCache<S>& cache, Activation act) {
  const bool kinkAtZero = act == Activation::ReLU || act == Activation::LeakyReLU ||
                          act == Activation::PReLU || act == Activation::ELU ||
                          act == Activation::SELU;
  std::vector<int> out;
  for (size_t l = 0; l + 1 < cache.size(); ++l) {
    if (kinkAtZero)
      for (Eigen::Index i = 0; i < cache[l].z.size(); ++i) out.push_back(cache[l].z.data()[i] > 0);
    for (Eigen::Index i = 0; i < cache[l].argmax.size(); ++i)
      out.push_back(cache[l].argmax.data()[i]);
  }
  return out;
}

// Analytic gradients of a training forward (fixed dropout masks, running statistics left
// alone) against central differences of the loss over every parameter. An entry whose ±h
// passes put a pre-activation on the other side of a kink is not compared; at most
// `maxSkipped` of them may be.
template <typename S>
void checkGradients(const Combo& c, double h, double absTol, double relTol, double maxSkipped) {
  BasicMlp<S> net = makeNet<S>(c);
  const Mat<S> X = inputs<S>(6);
  const Eigen::VectorXi y = labels(6);
  MlpCache<S> cache;
  Rng masks(5);
  Mat<S> dOut;
  lossForward<S>(Loss::CrossEntropy, net.trainForward(X, cache, &masks, false), y, &dOut);
  net.backward(X, cache, dOut);
  const MlpCache<S> fixed = cache;  // the masks every perturbed pass reuses
  const std::vector<int> pattern = kinkPattern(fixed, c.act);
  bool crossed = false;
  auto lossAt = [&] {
    MlpCache<S> k = fixed;
    const double l = double(
        lossForward<S>(Loss::CrossEntropy, net.trainForward(X, k, nullptr, false), y, nullptr));
    crossed |= kinkPattern(k, c.act) != pattern;
    return l;
  };
  int checked = 0, skipped = 0;
  for (auto& p : net.parameters())
    for (Eigen::Index i = 0; i < p.size; ++i) {
      const S saved = p.value[i];
      crossed = false;
      p.value[i] = S(double(saved) + h);
      const double up = lossAt();
      p.value[i] = S(double(saved) - h);
      const double down = lossAt();
      p.value[i] = saved;
      if (crossed) {
        ++skipped;
        continue;
      }
      const double numeric = (up - down) / (2 * h);
      EXPECT_NEAR(double(p.grad[i]), numeric, absTol + relTol * std::abs(numeric))
          << comboName(c) << " " << p.name << "[" << i << "]";
      ++checked;
    }
  EXPECT_EQ(checked + skipped, net.parameterCount());
  EXPECT_LE(skipped, maxSkipped * double(net.parameterCount())) << comboName(c);
}

class NormGradientCheck : public ::testing::TestWithParam<Combo> {};

TEST_P(NormGradientCheck, DoubleMatchesFiniteDifferences) {
  // Truncation O(h²) ≈ 1e-12, rounding ≈ 1e-16/h = 1e-10; at h = 1e-6 no kink is crossed here.
  checkGradients<double>(GetParam(), 1e-6, 1e-8, 1e-6, 0.0);
}

TEST_P(NormGradientCheck, FloatMatchesFiniteDifferences) {
  // In float, h = 3e-3 balances rounding (≈ 1e-6·loss/h ≈ 3e-4) against truncation (O(h²),
  // the norms' curvature makes it ≈ 5e-4 relative at this h). At this h some entries move a
  // pre-activation across ReLU's 0 or a Maxout tie (up to a quarter of them for Maxout with
  // its k pieces per unit); those are left out, and FloatPathAgreesWithDoublePath compares
  // every entry.
  checkGradients<float>(GetParam(), 3e-3, 1e-3, 3e-3, 0.3);
}

TEST_P(NormGradientCheck, FloatPathAgreesWithDoublePath) {
  const Combo c = GetParam();
  BasicMlp<double> ref = makeNet<double>(c);
  BasicMlp<float> net = makeNet<float>(c);
  const Mat<double> X = inputs<double>(8);
  const Eigen::VectorXi y = labels(8);
  MlpCache<double> cd;
  MlpCache<float> cf;
  Rng md(3), mf(3);  // the same seed: the same masks in both precisions
  Mat<double> dd;
  Mat<float> df;
  const double ld = lossForward<double>(Loss::CrossEntropy, ref.trainForward(X, cd, &md), y, &dd);
  const float lf =
      lossForward<float>(Loss::CrossEntropy, net.trainForward(X.cast<float>(), cf, &mf), y, &df);
  ref.backward(X, cd, dd);
  net.backward(X.cast<float>(), cf, df);
  EXPECT_NEAR(lf, ld, 1e-5 * (1 + std::abs(ld))) << comboName(c);
  auto pd = ref.parameters();
  auto pf = net.parameters();
  ASSERT_EQ(pd.size(), pf.size());
  for (size_t k = 0; k < pd.size(); ++k) {
    double scale = 0;
    for (Eigen::Index i = 0; i < pd[k].size; ++i) scale = std::max(scale, std::abs(pd[k].grad[i]));
    for (Eigen::Index i = 0; i < pd[k].size; ++i)
      EXPECT_NEAR(pf[k].grad[i], pd[k].grad[i], 1e-4 * (1 + scale))
          << comboName(c) << " " << pd[k].name << "[" << i << "]";
  }
  for (int l = 0; l < ref.layerCount(); ++l) {
    const auto& a = ref.layer(l).norm;
    const auto& b = net.layer(l).norm;
    ASSERT_EQ(a.runningVar.size(), b.runningVar.size());
    for (Eigen::Index i = 0; i < a.runningVar.size(); ++i) {
      EXPECT_NEAR(b.runningMean[i], a.runningMean[i], 1e-5 * (1 + std::abs(a.runningMean[i])));
      EXPECT_NEAR(b.runningVar[i], a.runningVar[i], 1e-5 * (1 + std::abs(a.runningVar[i])));
    }
  }
}

std::vector<Combo> allCombos() {
  std::vector<Combo> out;
  for (const auto& a : activationTable())
    for (const auto& n : normTable())
      for (bool residual : {false, true}) out.push_back({a.id, n.id, residual, 0.0});
  // Dropout with a fixed mask, with and without the norms and the skips.
  for (Activation a : {Activation::ReLU, Activation::Tanh, Activation::Maxout, Activation::PReLU})
    for (const auto& n : normTable())
      for (bool residual : {false, true}) out.push_back({a, n.id, residual, 0.3});
  return out;
}

INSTANTIATE_TEST_SUITE_P(EveryActivationNormResidual, NormGradientCheck,
                         ::testing::ValuesIn(allCombos()),
                         [](const auto& param) { return comboName(param.param); });

// BatchNorm1d by its definition, entry by entry: biased batch variance in training, running
// mean and unbiased running variance moved by momentum 0.1, evaluation from the running ones.
TEST(BatchNorm, FollowsTorchDefinition) {
  Mat<double> x(2, 4);
  x << 1, 2, 3, 6,  //
      -1, 0, 0, 5;
  NormParams<double> p;
  initNorm(Norm::Batch, 2, p);
  p.weight << 2, 0.5;
  p.bias << 0.1, -0.2;
  NormCache<double> c;
  Mat<double> y;
  normForward(Norm::Batch, x, p, c, y);
  for (int i = 0; i < 2; ++i) {
    const double mean = x.row(i).mean();
    const double var = (x.row(i).array() - mean).square().sum() / 4;  // biased
    for (int j = 0; j < 4; ++j)
      EXPECT_NEAR(y(i, j), p.weight[i] * (x(i, j) - mean) / std::sqrt(var + 1e-5) + p.bias[i],
                  1e-12);
  }
  normUpdateRunning(p, c, 4);
  for (int i = 0; i < 2; ++i) {
    const double mean = x.row(i).mean();
    const double unbiased = (x.row(i).array() - mean).square().sum() / 3;
    EXPECT_NEAR(p.runningMean[i], 0.1 * mean, 1e-12);
    EXPECT_NEAR(p.runningVar[i], 0.9 + 0.1 * unbiased, 1e-12);
  }
  normPredict(Norm::Batch, x, p, c, y);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j)
      EXPECT_NEAR(y(i, j),
                  p.weight[i] * (x(i, j) - p.runningMean[i]) / std::sqrt(p.runningVar[i] + 1e-5) +
                      p.bias[i],
                  1e-12);
}

TEST(LayerNorm, NormalizesEachSampleOverItsUnits) {
  Mat<double> x(3, 2);
  x << 1, -4,  //
      2, 0,    //
      6, 2;
  NormParams<double> p;
  initNorm(Norm::Layer, 3, p);
  EXPECT_EQ(p.runningMean.size(), 0);
  p.weight << 1, 2, 3;
  p.bias << 0, 1, -1;
  NormCache<double> c;
  Mat<double> y, e;
  normForward(Norm::Layer, x, p, c, y);
  normPredict(Norm::Layer, x, p, c, e);
  EXPECT_EQ(y, e);  // no running statistics: training and evaluation agree
  for (int j = 0; j < 2; ++j) {
    const double mean = x.col(j).mean();
    const double var = (x.col(j).array() - mean).square().sum() / 3;
    for (int i = 0; i < 3; ++i)
      EXPECT_NEAR(y(i, j), p.weight[i] * (x(i, j) - mean) / std::sqrt(var + 1e-5) + p.bias[i],
                  1e-12);
  }
}

TEST(Mlp, TrainingAndEvaluationForwardsDiffer) {
  MlpShape s;
  s.inputs = 2;
  s.hidden = {{6, Activation::ReLU, 0}, {6, Activation::ReLU, 0}};
  s.outputs = 1;
  s.norm = Norm::Batch;
  s.residual = true;
  s.dropout = 0.5;
  Mlp net(s);
  Rng rng(1);
  net.initialize(Init::HeNormal, 0.0f, rng);
  EXPECT_FALSE(net.layer(0).skip);
  EXPECT_TRUE(net.layer(1).skip);
  EXPECT_FALSE(net.layer(2).skip);  // the output layer never
  const Mat<float> X = Mat<float>::Random(2, 16);
  MlpCache<float> a, b, scratch;
  const Mat<float> eval1 = net.forward(X, a);
  Rng masks(9);
  const Mat<float> train = net.trainForward(X, b, &masks);
  EXPECT_GT((train - eval1).cwiseAbs().maxCoeff(), 1e-3f);
  // The running statistics moved one step: evaluation changed, and predict (two buffers)
  // gives the same output as forward.
  EXPECT_GT((net.forward(X, a) - eval1).cwiseAbs().maxCoeff(), 1e-4f);
  EXPECT_LT((net.predict(X, scratch) - net.forward(X, a)).cwiseAbs().maxCoeff(), 1e-6f);
  // Dropout: about half the units are zeroed, the rest scaled by 2.
  const auto& mask = b[0].mask;
  const Eigen::Index zeros = (mask.array() == 0.0f).count();
  EXPECT_GT(zeros, 20);
  EXPECT_LT(zeros, 76);
  EXPECT_EQ((mask.array() == 2.0f).count() + zeros, mask.size());
  // The same seed gives the same masks.
  MlpCache<float> c;
  Rng again(9);
  net.trainForward(X, c, &again, false);
  EXPECT_EQ(c[0].mask, b[0].mask);
  EXPECT_EQ(c[1].mask, b[1].mask);
}

TEST(Mlp, NormParametersAreNamedAsTorchStateDict) {
  MlpShape s;
  s.inputs = 2;
  s.hidden = {{4, Activation::Maxout, 3}, {4, Activation::PReLU, 0.25}};
  s.outputs = 1;
  s.norm = Norm::Batch;
  Mlp net(s);
  const auto params = net.parameters();
  std::vector<std::string> names;
  for (const auto& p : params) names.push_back(p.name);
  const std::vector<std::string> expected = {
      "layers.0.weight",    "layers.0.bias",   "layers.0.norm.weight", "layers.0.norm.bias",
      "layers.1.weight",    "layers.1.bias",   "layers.1.alpha",       "layers.1.norm.weight",
      "layers.1.norm.bias", "layers.2.weight", "layers.2.bias"};
  EXPECT_EQ(names, expected);
  EXPECT_EQ(params[2].size, 12);  // Maxout: γ per piece (units·k)
  EXPECT_EQ(net.parameterCount(), (12 * 2 + 12 + 24) + (4 * 4 + 4 + 4 + 8) + (4 + 1));
  EXPECT_FLOAT_EQ(net.layer(0).norm.runningVar[0], 1.0f);
}

TEST(Mlp, ValidatesDropout) {
  MlpShape s;
  s.hidden = {{4, Activation::ReLU, 0}};
  s.dropout = 1.0;
  EXPECT_NE(validateShape(s).find("dropout"), std::string::npos);
  s.dropout = -0.1;
  EXPECT_FALSE(validateShape(s).empty());
  s.dropout = 0.99;
  EXPECT_TRUE(validateShape(s).empty());
}

TEST(ClipGradNorm, ScalesAllGradientsTogetherAsTorch) {
  std::vector<float> g1 = {3, 0}, g2 = {4};
  std::vector<float> v1(2), v2(1);
  std::vector<ParamView<float>> views = {{"a", v1.data(), g1.data(), 2, 0},
                                         {"b", v2.data(), g2.data(), 1, 1}};
  double norm = 0;
  EXPECT_FALSE(clipGradNorm<float>(views, 10.0, &norm));
  EXPECT_DOUBLE_EQ(norm, 5.0);
  EXPECT_EQ(g1[0], 3.0f);
  EXPECT_TRUE(clipGradNorm<float>(views, 1.0, &norm));
  EXPECT_DOUBLE_EQ(norm, 5.0);
  const float coef = static_cast<float>(1.0 / (5.0 + 1e-6));
  EXPECT_FLOAT_EQ(g1[0], 3.0f * coef);
  EXPECT_FLOAT_EQ(g2[0], 4.0f * coef);
  EXPECT_NEAR(totalGradNorm<float>(views), 1.0, 1e-6);
}

}  // namespace
}  // namespace gradscope
