// step() allocates nothing: every optimizer, with its stateful options on, runs steps on a
// network's parameters while malloc is counted (support/malloc_counter.h).
#include <gtest/gtest.h>

#include "core/mlp.h"
#include "core/optimizer/optimizer.h"
#include "support/malloc_counter.h"

namespace gradscope {
namespace {

std::vector<OptimizerConfig> statefulConfigs() {
  using K = OptimizerKind;
  return {
      {K::SGD, {{"momentum", 0.9}, {"nesterov", 1}, {"weight_decay", 0.1}}},
      {K::Adadelta, {{"weight_decay", 0.1}}},
      {K::Adagrad, {{"lr_decay", 0.1}}},
      {K::Adam, {{"amsgrad", 1}}},
      {K::AdamW, {{"amsgrad", 1}}},
      {K::SparseAdam, {}},
      {K::Adamax, {}},
      {K::ASGD, {{"t0", 2}}},
      {K::LBFGS, {{"max_iter", 5}, {"history_size", 3}}},
      {K::LBFGS, {{"max_iter", 5}, {"history_size", 3}, {"line_search_fn", 1}, {"lr", 10}}},
      {K::NAdam, {}},
      {K::RAdam, {}},
      {K::RMSprop, {{"centered", 1}, {"momentum", 0.9}}},
      {K::Rprop, {}},
  };
}

TEST(OptimizerAllocations, StepAllocatesNothing) {
  if (!test::canCountMallocs()) GTEST_SKIP() << "malloc is not ours to count here";
  MlpShape shape;
  shape.inputs = 2;
  shape.hidden = {{16, Activation::ReLU, 0.0}, {16, Activation::PReLU, 0.25}};
  shape.outputs = 1;
  for (const auto& config : statefulConfigs()) {
    Mlp net(shape);
    Rng rng(1);
    net.initialize(Init::HeNormal, 0.1f, rng);
    auto views = net.parameters();
    // A quadratic bowl around 0.3 over every parameter: the closure itself allocates nothing.
    const Closure closure = [&views] {
      float loss = 0;
      for (const auto& p : views)
        for (Eigen::Index i = 0; i < p.size; ++i) {
          const float e = p.value[i] - 0.3f;
          p.grad[i] = (i % 3 == 0) ? 0.0f : e;  // some exact zeros, as dead units give
          loss += 0.5f * e * e;
        }
      return loss;
    };
    auto opt = makeOptimizer(config, views);
    test::startCountingMallocs();
    for (int s = 0; s < 10; ++s) opt->step(closure(), closure);
    EXPECT_EQ(test::stopCountingMallocs(), 0) << optimizerInfo(config.kind).name;
    opt->reset();
  }
}

// The training forward and backward and the evaluation forward with batch norm, layer norm,
// the skips and dropout allocate nothing once the caches have their sizes. (predict's two
// alternating buffers take layers of different sizes in turn, so it resizes; it serves the
// decision grid, not the step.)
TEST(NormAllocations, TrainingPassAllocatesNothingAfterWarmUp) {
  if (!test::canCountMallocs()) GTEST_SKIP() << "malloc is not ours to count here";
  for (Norm norm : {Norm::Batch, Norm::Layer})
    for (Activation act : {Activation::ReLU, Activation::PReLU, Activation::Maxout}) {
      MlpShape shape;
      shape.inputs = 2;
      const double param = activationInfo(act).paramDefault;
      shape.hidden = {{16, act, param}, {16, act, param}, {16, act, param}};
      shape.outputs = 1;
      shape.norm = norm;
      shape.residual = true;
      shape.dropout = 0.2;
      Mlp net(shape);
      Rng rng(1), masks(2);
      net.initialize(Init::HeNormal, 0.1f, rng);
      const Mat<float> X = Mat<float>::Random(2, 32);
      const Mat<float> dOut = Mat<float>::Random(1, 32);
      MlpCache<float> cache, evalCache;
      net.trainForward(X, cache, &masks);
      net.backward(X, cache, dOut);
      net.forward(X, evalCache);
      long counts[3] = {};
      for (int s = 0; s < 5; ++s) {
        test::startCountingMallocs();
        net.trainForward(X, cache, &masks);
        counts[0] += test::stopCountingMallocs();
        test::startCountingMallocs();
        net.backward(X, cache, dOut);
        counts[1] += test::stopCountingMallocs();
        test::startCountingMallocs();
        net.forward(X, evalCache);
        counts[2] += test::stopCountingMallocs();
      }
      const auto name =
          std::string(normInfo(norm).name) + " " + std::string(activationInfo(act).name);
      EXPECT_EQ(counts[0], 0) << name << " trainForward";
      EXPECT_EQ(counts[1], 0) << name << " backward";
      EXPECT_EQ(counts[2], 0) << name << " forward";
    }
}

TEST(OptimizerAllocations, TheCounterSeesEigenAllocations) {
  if (!test::canCountMallocs()) GTEST_SKIP() << "malloc is not ours to count here";
  test::startCountingMallocs();
  Eigen::VectorXf v(1000);
  __asm__ __volatile__("" : : "r"(v.data()) : "memory");  // keep the allocation observable
  EXPECT_GE(test::stopCountingMallocs(), 1);
}

}  // namespace
}  // namespace gradscope
