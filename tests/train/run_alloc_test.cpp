// A training step allocates nothing after the first: Run::step (batch gathering, forward,
// loss, backward, the per-step measurements, the optimizer, the history) runs with malloc
// counted (support/malloc_counter.h), for every activation and the optimizers of the
// benchmark workloads.
#include <gtest/gtest.h>

#include "support/malloc_counter.h"
#include "train/run.h"
#include "train/trainer.h"

namespace gradscope {
namespace {

TEST(RunAllocations, StepAllocatesNothingAfterTheFirst) {
  if (!test::canCountMallocs()) GTEST_SKIP() << "malloc is not ours to count here";
  SessionConfig c;
  c.data.samples = 300;
  auto data = makeSessionData(c);
  const std::vector<OptimizerConfig> optimizers = {{OptimizerKind::SGD, {{"lr", 0.1}}},
                                                   {OptimizerKind::Adam, {}},
                                                   {OptimizerKind::RMSprop, {}},
                                                   {OptimizerKind::LBFGS, {{"max_iter", 4}}}};
  for (const auto& info : activationTable())
    for (const auto& opt : optimizers) {
      RunConfig rc;
      rc.hidden = {16, 16, 16};
      rc.activation = {info.id, info.paramDefault};
      rc.init = Init::HeNormal;
      rc.optimizer = opt;
      rc.batchSize = opt.kind == OptimizerKind::LBFGS ? 0 : 32;
      gradscope::Run run(0, rc, data, 3);
      ASSERT_TRUE(run.step());  // the first step sizes the caches
      // Enough steps to cross epoch boundaries (reshuffles) with batch 32 of 240 samples.
      test::startCountingMallocs();
      bool ok = true;
      for (int s = 0; s < 40 && ok; ++s) ok = run.step();
      const long allocations = test::stopCountingMallocs();
      ASSERT_TRUE(ok) << run.reason();
      EXPECT_EQ(allocations, 0) << info.name << " with " << optimizerInfo(opt.kind).name;
    }
}

TEST(RunAllocations, CuresAllocateNothingAfterTheFirstStep) {
  if (!test::canCountMallocs()) GTEST_SKIP() << "malloc is not ours to count here";
  SessionConfig c;
  c.data.samples = 300;
  auto data = makeSessionData(c);
  for (Norm norm : {Norm::None, Norm::Batch, Norm::Layer})
    for (Activation act : {Activation::ReLU, Activation::Maxout, Activation::PReLU}) {
      RunConfig rc;
      rc.hidden = {16, 16, 16};
      rc.activation = {act, activationInfo(act).paramDefault};
      rc.init = Init::HeNormal;
      rc.optimizer = {OptimizerKind::Adam, {}};
      rc.norm = norm;
      rc.residual = true;
      rc.clipNorm = 0.5;
      rc.dropout = 0.2;
      gradscope::Run run(0, rc, data, 3);
      ASSERT_TRUE(run.step());
      test::startCountingMallocs();
      bool ok = true;
      for (int s = 0; s < 40 && ok; ++s) ok = run.step();
      const long allocations = test::stopCountingMallocs();
      ASSERT_TRUE(ok) << run.reason();
      EXPECT_EQ(allocations, 0) << normInfo(norm).name << " " << activationInfo(act).name;
    }
}

TEST(RunAllocations, HistoryDecimationAllocatesNothing) {
  if (!test::canCountMallocs()) GTEST_SKIP() << "malloc is not ours to count here";
  SessionConfig c;
  c.data.samples = 100;
  c.runs[0].hidden = {4, 4};
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, 1);
  ASSERT_TRUE(run.step());
  // 9,000 steps fill every 4,096-point series twice over: two decimations each.
  test::startCountingMallocs();
  bool ok = true;
  for (int s = 0; s < 9000 && ok; ++s) ok = run.step();
  EXPECT_EQ(test::stopCountingMallocs(), 0);
  ASSERT_TRUE(ok) << run.reason();
}

}  // namespace
}  // namespace gradscope
