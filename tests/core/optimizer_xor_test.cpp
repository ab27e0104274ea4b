// Every optimizer trains the same small ReLU network (2→8→8→1, He init, BCE) on XOR to a low
// loss, with the hyperparameters of the table below. LBFGS and Rprop take the full batch, as
// they are meant to; the others take random mini-batches of 32.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/dataset.h"
#include "core/loss.h"
#include "core/mlp.h"
#include "core/optimizer/optimizer.h"

namespace gradscope {
namespace {

struct XorCase {
  const char* label;
  OptimizerKind kind;
  std::map<std::string, double, std::less<>> values;
  int steps;
  int batch;       // 0: the full data set
  double maxLoss;  // on the full data set after training
};

// clang-format off
const XorCase kCases[] = {
    {"sgd",             OptimizerKind::SGD,        {{"lr", 0.1}, {"momentum", 0.9}},       500, 32, 0.05},
    {"sgd_nesterov",    OptimizerKind::SGD,        {{"lr", 0.1}, {"momentum", 0.9},
                                                    {"nesterov", 1}},                      500, 32, 0.05},
    {"adadelta",        OptimizerKind::Adadelta,   {},                                      800, 32, 0.05},
    {"adagrad",         OptimizerKind::Adagrad,    {{"lr", 0.1}},                          500, 32, 0.05},
    {"adam",            OptimizerKind::Adam,       {{"lr", 0.01}},                         500, 32, 0.05},
    {"adamw",           OptimizerKind::AdamW,      {{"lr", 0.01}},                         500, 32, 0.05},
    {"sparse_adam",     OptimizerKind::SparseAdam, {{"lr", 0.01}},                         500, 32, 0.05},
    {"adamax",          OptimizerKind::Adamax,     {{"lr", 0.02}},                         500, 32, 0.05},
    {"asgd",            OptimizerKind::ASGD,       {{"lr", 0.1}, {"t0", 300}},             800, 32, 0.05},
    {"lbfgs",           OptimizerKind::LBFGS,      {{"line_search_fn", 1}},                  10,  0, 0.05},
    {"lbfgs_fixed",     OptimizerKind::LBFGS,      {{"lr", 0.5}},                            20,  0, 0.05},
    {"nadam",           OptimizerKind::NAdam,      {{"lr", 0.01}},                         500, 32, 0.05},
    {"radam",           OptimizerKind::RAdam,      {{"lr", 0.01}},                         500, 32, 0.05},
    {"rmsprop",         OptimizerKind::RMSprop,    {{"lr", 0.005}},                        500, 32, 0.05},
    {"rprop",           OptimizerKind::Rprop,      {},                                       100,  0, 0.05},
};
// clang-format on

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const XorCase& c, std::ostream* os) { *os << c.label; }

class XorTraining : public ::testing::TestWithParam<XorCase> {};

TEST_P(XorTraining, ReachesLowLoss) {
  const XorCase& tc = GetParam();
  const Dataset data = makeDataset(DatasetKind::Xor, 200, 0.0, 42);
  MlpShape shape;
  shape.inputs = 2;
  shape.hidden = {{8, Activation::ReLU, 0.0}, {8, Activation::ReLU, 0.0}};
  shape.outputs = 1;
  Mlp net(shape);
  Rng init(7);
  net.initialize(Init::HeNormal, 0.0f, init);

  MlpCache<float> evalCache;
  auto fullLoss = [&](Mlp& m) {
    return lossForward<float>(Loss::BCE, m.forward(data.X, evalCache), data.y, nullptr);
  };
  const float initial = fullLoss(net);

  const int batch = tc.batch == 0 ? data.samples() : tc.batch;
  Mat<float> X = tc.batch == 0 ? data.X : Mat<float>(2, batch);
  Eigen::VectorXi y = tc.batch == 0 ? data.y : Eigen::VectorXi(batch);
  MlpCache<float> cache;
  Mat<float> dOut;
  // Loss and gradients on the current batch; LBFGS calls it again within a step.
  const Closure closure = [&] {
    const float loss = lossForward<float>(Loss::BCE, net.forward(X, cache), y, &dOut);
    net.backward(X, cache, dOut);
    return loss;
  };

  auto opt = makeOptimizer({tc.kind, tc.values}, net.parameters());
  Rng sampler(3);
  for (int step = 0; step < tc.steps; ++step) {
    if (tc.batch != 0) {
      for (int j = 0; j < batch; ++j) {
        const auto i = static_cast<Eigen::Index>(sampler.below(data.samples()));
        X.col(j) = data.X.col(i);
        y[j] = data.y[i];
      }
    }
    opt->step(closure(), closure);
  }
  const float final = fullLoss(net);
  EXPECT_LT(final, initial) << tc.label;
  EXPECT_LT(final, tc.maxLoss) << tc.label << ": loss " << initial << " → " << final;

  if (tc.kind == OptimizerKind::ASGD) {
    // The averaged weights (averaging since step t0) are a good model too.
    Mlp averaged(shape);
    auto views = averaged.parameters();
    const auto ax = opt->averagedParameters();
    ASSERT_EQ(ax.size(), views.size());
    for (std::size_t k = 0; k < views.size(); ++k)
      std::copy(ax[k].begin(), ax[k].end(), views[k].value);
    EXPECT_LT(fullLoss(averaged), tc.maxLoss) << "averaged";
  }
}

INSTANTIATE_TEST_SUITE_P(EveryOptimizer, XorTraining, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(XorTraining, TableCoversEveryOptimizer) {
  std::set<OptimizerKind> covered;
  for (const auto& c : kCases) covered.insert(c.kind);
  EXPECT_EQ(covered.size(), optimizerTable().size());
}

}  // namespace
}  // namespace gradscope
