// The whole network's gradient — every parameter, every activation, every loss — against
// central finite differences in double precision, plus the float path against the double one.
#include "core/mlp.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/blocking.h"
#include "core/loss.h"

namespace gradscope {
namespace {

MlpShape shapeFor(Activation act, int outputs) {
  const auto& info = activationInfo(act);
  MlpShape s;
  s.inputs = 3;
  s.hidden = {{5, act, info.paramDefault}, {4, act, info.paramDefault}};
  s.outputs = outputs;
  return s;
}

struct Problem {
  Mat<double> X;
  Eigen::VectorXi y;
};

Problem makeProblem(int classes, int batch, std::uint64_t seed) {
  Rng rng(seed);
  Problem p;
  p.X.resize(3, batch);
  p.y.resize(batch);
  for (Eigen::Index i = 0; i < p.X.size(); ++i) p.X.data()[i] = rng.uniform(-1.5, 1.5);
  for (int j = 0; j < batch; ++j) p.y[j] = j % classes;
  return p;
}

struct Case {
  Activation act;
  Loss loss;
};

class GradientCheck : public ::testing::TestWithParam<Case> {};

TEST_P(GradientCheck, EveryParameterMatchesFiniteDifferences) {
  const auto [act, loss] = GetParam();
  const int classes = loss == Loss::BCE ? 2 : 3;
  const auto shape = shapeFor(act, lossOutputs(loss, classes));
  BasicMlp<double> net(shape);
  Rng rng(7);
  net.initialize(Init::XavierNormal, 0.1, rng);
  // Give PReLU slopes distinct values so their gradients are not all alike.
  for (int l = 0; l < net.layerCount(); ++l)
    for (Eigen::Index i = 0; i < net.layer(l).alpha.size(); ++i)
      net.layer(l).alpha[i] = 0.1 + 0.05 * i;
  const Problem prob = makeProblem(classes, 6, 11);

  MlpCache<double> cache;
  Mat<double> dOut;
  lossForward<double>(loss, net.forward(prob.X, cache), prob.y, &dOut);
  net.backward(prob.X, cache, dOut);

  auto lossAt = [&]() {
    MlpCache<double> c;
    return lossForward<double>(loss, net.forward(prob.X, c), prob.y, nullptr);
  };
  const double h = 1e-6;
  int checked = 0;
  for (auto& p : net.parameters()) {
    for (Eigen::Index i = 0; i < p.size; ++i) {
      const double saved = p.value[i];
      p.value[i] = saved + h;
      const double up = lossAt();
      p.value[i] = saved - h;
      const double down = lossAt();
      p.value[i] = saved;
      const double numeric = (up - down) / (2 * h);
      // Central differences in double: truncation O(h²) ≈ 1e-12, rounding ≈ 1e-16/h = 1e-10.
      EXPECT_NEAR(p.grad[i], numeric, 1e-8 + 1e-6 * std::abs(numeric))
          << activationInfo(act).name << " / " << lossInfo(loss).name << " " << p.name << "[" << i
          << "]";
      ++checked;
    }
  }
  EXPECT_EQ(checked, net.parameterCount());
}

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (const auto& a : activationTable())
    for (const auto& l : lossTable()) cases.push_back({a.id, l.id});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllActivationsAllLosses, GradientCheck, ::testing::ValuesIn(allCases()),
                         [](const auto& param) {
                           return std::string(activationInfo(param.param.act).key) + "_" +
                                  std::string(lossInfo(param.param.loss).key);
                         });

TEST(Mlp, FloatPathAgreesWithDoublePath) {
  for (const auto& info : activationTable()) {
    const auto shape = shapeFor(info.id, 1);
    BasicMlp<double> ref(shape);
    Rng rng(3);
    ref.initialize(Init::HeNormal, 0.0, rng);
    Mlp net(shape);
    net.copyParametersFrom(ref);
    const Problem prob = makeProblem(2, 8, 5);
    MlpCache<double> cd;
    MlpCache<float> cf;
    Mat<double> dd;
    Mat<float> df;
    const Mat<float> Xf = prob.X.cast<float>();
    const double ld = lossForward<double>(Loss::BCE, ref.forward(prob.X, cd), prob.y, &dd);
    const float lf = lossForward<float>(Loss::BCE, net.forward(Xf, cf), prob.y, &df);
    ref.backward(prob.X, cd, dd);
    net.backward(Xf, cf, df);
    EXPECT_NEAR(lf, ld, 1e-5 * (1 + std::abs(ld))) << info.name;
    for (int l = 0; l < net.layerCount(); ++l) {
      const double scale = 1e-4 * (1.0 + ref.layer(l).dW.cwiseAbs().maxCoeff());
      EXPECT_LT((net.layer(l).dW.cast<double>() - ref.layer(l).dW).cwiseAbs().maxCoeff(), scale)
          << info.name << " layer " << l;
    }
  }
}

// Eigen would size its product blocks from this CPU's caches; a network sets the fixed sizes,
// so the same binary splits its sums alike on every CPU (core/blocking.h).
TEST(Mlp, BuildingANetworkFixesEigensBlockingWhateverTheCpuReports) {
  const Mlp net(shapeFor(Activation::ReLU, 1));
  EXPECT_EQ(Eigen::l1CacheSize(), kBlockingL1);
  EXPECT_EQ(Eigen::l2CacheSize(), kBlockingL2);
  EXPECT_EQ(Eigen::l3CacheSize(), kBlockingL3);
}

TEST(Mlp, ShapesFollowTorchLinearLayout) {
  MlpShape s;
  s.inputs = 2;
  s.hidden = {
      {10, Activation::Sigmoid, 0}, {7, Activation::Maxout, 3}, {4, Activation::PReLU, 0.25}};
  s.outputs = 1;
  Mlp net(s);
  ASSERT_EQ(net.layerCount(), 4);
  EXPECT_EQ(net.layer(0).W.rows(), 10);
  EXPECT_EQ(net.layer(0).W.cols(), 2);
  EXPECT_EQ(net.layer(1).W.rows(), 21);  // 7 units × 3 pieces
  EXPECT_EQ(net.layer(2).W.cols(), 7);
  EXPECT_EQ(net.layer(2).alpha.size(), 4);
  EXPECT_FLOAT_EQ(net.layer(2).alpha[0], 0.25f);
  EXPECT_EQ(net.layer(3).W.rows(), 1);
  EXPECT_EQ(net.parameterCount(), (10 * 2 + 10) + (21 * 10 + 21) + (4 * 7 + 4 + 4) + (1 * 4 + 1));
  const auto params = net.parameters();
  ASSERT_EQ(params.size(), 9u);
  EXPECT_EQ(params[0].name, "layers.0.weight");
  EXPECT_EQ(params[6].name, "layers.2.alpha");

  MlpCache<float> cache;
  Mat<float> X = Mat<float>::Random(2, 5);
  const auto& out = net.forward(X, cache);
  EXPECT_EQ(out.rows(), 1);
  EXPECT_EQ(out.cols(), 5);
  EXPECT_EQ(cache[1].z.rows(), 21);
  EXPECT_EQ(cache[1].a.rows(), 7);
}

TEST(Mlp, MaxoutTakesTheLargestPiece) {
  MlpShape s;
  s.inputs = 1;
  s.hidden = {{1, Activation::Maxout, 2}};
  s.outputs = 1;
  BasicMlp<double> net(s);
  net.layer(0).W << 1.0, -1.0;  // pieces x and −x: Maxout learns |x|
  net.layer(1).W << 1.0;
  Mat<double> X(1, 3);
  X << -2.0, 0.5, 3.0;
  MlpCache<double> cache;
  const auto& out = net.forward(X, cache);
  EXPECT_DOUBLE_EQ(out(0, 0), 2.0);
  EXPECT_DOUBLE_EQ(out(0, 1), 0.5);
  EXPECT_DOUBLE_EQ(out(0, 2), 3.0);
}

TEST(Mlp, RejectsShapesOutOfRange) {
  MlpShape s;
  s.hidden = {};
  EXPECT_THROW(Mlp{s}, std::invalid_argument);
  s.hidden.assign(65, {4, Activation::ReLU, 0});
  EXPECT_NE(validateShape(s).find("1 to 64"), std::string::npos);
  s.hidden.assign(3, {4, Activation::ReLU, 0});
  s.hidden[1].width = 257;
  EXPECT_NE(validateShape(s).find("hidden layer 2"), std::string::npos);
  s.hidden[1] = {4, Activation::Maxout, 1};
  EXPECT_NE(validateShape(s).find("Maxout"), std::string::npos);
  s.hidden[1] = {256, Activation::Maxout, 2};
  EXPECT_TRUE(validateShape(s).empty());
}

}  // namespace
}  // namespace gradscope
