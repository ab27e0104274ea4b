// A run on its own: determinism, identical starts, divergence, hot swap, full-batch order.
#include "train/run.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/dataset_idx.h"
#include "core/loss.h"
#include "train/trainer.h"

namespace gradscope {
namespace {

SessionConfig deepSigmoid() {
  SessionConfig c;
  c.data.kind = DatasetKind::Xor;
  c.data.samples = 200;
  c.data.testFraction = 0.2;
  c.seed = 7;
  return c;  // the default run: 10 × 10 sigmoid, N(0, 1), SGD lr 0.1, batch 32
}

bool sameBits(const Mat<float>& a, const Mat<float>& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
}

TEST(Run, SameConfigAndSeedGiveIdenticalMetrics) {
  const SessionConfig c = deepSigmoid();
  auto data = makeSessionData(c);
  gradscope::Run a(0, c.runs[0], data, c.seed), b(1, c.runs[0], data, c.seed);
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(a.step());
    ASSERT_TRUE(b.step());
    ASSERT_EQ(a.lastLoss(), b.lastLoss()) << "step " << i;
    ASSERT_EQ(a.gradNorms(), b.gradNorms()) << "step " << i;
  }
}

TEST(Run, CompareRunsStartFromBitIdenticalWeights) {
  SessionConfig c = deepSigmoid();
  auto data = makeSessionData(c);
  RunConfig relu = c.runs[0];
  relu.activation = {Activation::ReLU, 0};
  RunConfig adam = relu;
  adam.optimizer = {OptimizerKind::Adam, {{"lr", 0.001}}};
  gradscope::Run s(0, c.runs[0], data, c.seed), r(1, relu, data, c.seed), a(2, adam, data, c.seed);
  for (int l = 0; l < s.net().layerCount(); ++l) {
    EXPECT_TRUE(sameBits(s.net().layer(l).W, r.net().layer(l).W)) << l;
    EXPECT_TRUE(sameBits(s.net().layer(l).W, a.net().layer(l).W)) << l;
  }
}

TEST(Run, DeepSigmoidGradientsVanishTowardTheInput) {
  SessionConfig c = deepSigmoid();
  auto data = makeSessionData(c);
  gradscope::Run s(0, c.runs[0], data, c.seed);
  RunConfig reluConfig = c.runs[0];
  reluConfig.activation = {Activation::ReLU, 0};
  gradscope::Run r(1, reluConfig, data, c.seed);
  ASSERT_TRUE(s.step());
  ASSERT_TRUE(r.step());
  const auto& gs = s.gradNorms();
  const auto& gr = r.gradNorms();
  ASSERT_EQ(gs.size(), 11u);
  // First (input-side) over last layer: sigmoid's gradient shrinks by orders of magnitude.
  EXPECT_LT(gs.front() / gs.back(), 1e-3);
  EXPECT_GT(gr.front() / gr.back(), gs.front() / gs.back() * 100);
}

// 64 layers of 256 ReLU units from N(0, 1): the logits overflow before any update, however
// small the learning rate. The message blames the start, not the step size.
TEST(Run, AnExplosionFromTheStartBlamesTheInitialWeights) {
  SessionConfig c = deepSigmoid();
  c.runs[0].activation = {Activation::ReLU, 0};
  c.runs[0].hidden.assign(64, 256);
  c.runs[0].init = Init::Normal;
  c.runs[0].optimizer = {OptimizerKind::Adam, {{"lr", 1e-5}}};
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  run.setState(RunState::Running);
  int steps = 0;
  while (run.step() && steps < 10) ++steps;
  ASSERT_EQ(run.state(), RunState::Diverged);
  EXPECT_NE(english(run.reason()).find("initial weights are too large"), std::string::npos)
      << run.reason();
  EXPECT_EQ(english(run.reason()).find("learning rate"), std::string::npos) << run.reason();
}

TEST(Run, DivergenceIsCaughtAndKeepsTheHistoryClean) {
  SessionConfig c = deepSigmoid();
  c.runs[0].activation = {Activation::ReLU, 0};
  c.runs[0].init = Init::HeNormal;
  c.runs[0].optimizer = {OptimizerKind::SGD, {{"lr", 1e30}}};
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  run.setState(RunState::Running);
  int steps = 0;
  while (run.step() && steps < 100) ++steps;
  ASSERT_EQ(run.state(), RunState::Diverged);
  EXPECT_NE(english(run.reason()).find("diverged at step " + std::to_string(steps + 1)),
            std::string::npos)
      << run.reason();
  EXPECT_NE(english(run.reason()).find("lower the learning rate"), std::string::npos);
  EXPECT_FALSE(run.step());  // stays paused
  RunSnapshot snap;
  run.fillSnapshot(snap);
  for (int i = 0; i < snap.lossSeries.size(); ++i) EXPECT_TRUE(std::isfinite(snap.lossSeries.y(i)));
  for (const auto& s : snap.gradNormSeries)
    for (int i = 0; i < s.size(); ++i) EXPECT_TRUE(std::isfinite(s.y(i)));
  // A lower learning rate recovers: the run starts over from its initial weights.
  RunConfig fixed = c.runs[0];
  fixed.optimizer = {OptimizerKind::SGD, {{"lr", 0.05}}};
  EXPECT_TRUE(run.reconfigure(fixed, true, c.seed));
  EXPECT_NE(run.state(), RunState::Diverged);
  EXPECT_EQ(run.steps(), 0);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(run.step());
}

TEST(Run, HotSwapKeepsTheWeightsResetDoesNot) {
  SessionConfig c = deepSigmoid();
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  const Mat<float> initial = run.net().layer(0).W;
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(run.step());
  const Mat<float> trained = run.net().layer(0).W;
  ASSERT_FALSE(sameBits(trained, initial));
  RunConfig relu = c.runs[0];
  relu.activation = {Activation::ReLU, 0};
  EXPECT_FALSE(run.reconfigure(relu, true, c.seed));
  EXPECT_TRUE(sameBits(run.net().layer(0).W, trained));
  EXPECT_EQ(run.net().layer(0).activation, Activation::ReLU);
  EXPECT_EQ(run.steps(), 20);
  RunConfig tanh = relu;
  tanh.activation = {Activation::Tanh, 0};
  EXPECT_TRUE(run.reconfigure(tanh, false, c.seed));
  EXPECT_TRUE(sameBits(run.net().layer(0).W, initial));
  EXPECT_EQ(run.steps(), 0);
  RunConfig deeper = tanh;
  deeper.hidden.push_back(10);  // a new architecture always starts over
  EXPECT_TRUE(run.reconfigure(deeper, true, c.seed));
  EXPECT_EQ(run.net().layerCount(), 12);
}

TEST(Run, TheUpdateRatioHoldsAcrossHotSwapsBetweenFusedAndCopyingOptimizers) {
  // Plain SGD measures its own step; SGD with momentum is measured against a copy of W taken
  // before the step, which the run keeps only while such an optimizer is in use.
  SessionConfig c = deepSigmoid();
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  RunConfig momentum = c.runs[0];
  momentum.optimizer = {OptimizerKind::SGD, {{"lr", 0.1}, {"momentum", 0.9}}};
  for (const RunConfig& rc : {momentum, c.runs[0], momentum}) {
    EXPECT_FALSE(run.reconfigure(rc, true, c.seed));
    for (int s = 0; s < 3; ++s) {
      std::vector<Mat<float>> before;
      for (int l = 0; l < run.net().layerCount(); ++l) before.push_back(run.net().layer(l).W);
      ASSERT_TRUE(run.step());
      RunSnapshot snap;
      run.fillSnapshot(snap);
      for (int l = 0; l < run.net().layerCount(); ++l) {
        const double want = (run.net().layer(l).W - before[l]).norm() / before[l].norm();
        EXPECT_NEAR(snap.updateRatio[l], want, 1e-5 * want) << "layer " << l << ", step " << s;
      }
    }
  }
}

TEST(Run, FullBatchUsesEverySampleInFileOrder) {
  SessionConfig c = deepSigmoid();
  c.data.testFraction = 0;
  c.runs[0].batchSize = 0;
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  MlpCache<float> cache;
  Mlp copy = run.net();
  const float expected =
      lossForward<float>(Loss::BCE, copy.forward(data->train.X, cache), data->train.y, nullptr);
  ASSERT_TRUE(run.step());
  EXPECT_EQ(run.lastLoss(), expected);
  EXPECT_DOUBLE_EQ(run.epoch(), 1.0);
}

TEST(Run, EvaluationAndGridCoverTheData) {
  SessionConfig c = deepSigmoid();
  c.runs[0].activation = {Activation::ReLU, 0};
  c.runs[0].init = Init::HeNormal;
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  run.evaluate();
  run.computeGrid(32);
  RunSnapshot s;
  run.fillSnapshot(s);
  ASSERT_TRUE(s.eval);
  EXPECT_EQ(s.eval->layers.size(), 10u);
  EXPECT_EQ(s.eval->unitsTotal, 100);
  EXPECT_GE(s.eval->trainAccuracy, 0.0f);
  EXPECT_TRUE(std::isfinite(s.eval->testLoss));
  ASSERT_TRUE(s.grid);
  EXPECT_EQ(s.grid->value.size(), 32u * 32u);
  for (float p : s.grid->value) {
    EXPECT_GE(p, 0.0f);
    EXPECT_LE(p, 1.0f);
  }
  EXPECT_LE(s.grid->x0, -1.0f);
  EXPECT_GE(s.grid->x1, 1.0f);
}

// The cures in a run: batch norm's running statistics move with training steps only and the
// whole-set evaluation uses them; dropout's masks come from the seed; clipping keeps the
// measured norms as they were before it and marks the steps it clipped.
TEST(Run, BatchNormTrainsAndEvaluatesWithRunningStatistics) {
  SessionConfig c = deepSigmoid();
  c.runs[0].norm = Norm::Batch;
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  const auto& n = run.net().layer(0).norm;
  EXPECT_EQ(n.runningVar.size(), 10);
  EXPECT_FLOAT_EQ(n.runningVar[0], 1.0f);
  ASSERT_TRUE(run.step());
  const Eigen::VectorXf mean1 = n.runningMean;
  EXPECT_NE(mean1[0], 0.0f);
  run.evaluate();
  run.computeGrid(16);
  EXPECT_EQ(n.runningMean, mean1);  // evaluation leaves them alone
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(run.step()) << run.reason();
  // The deep sigmoid trains under batch norm (it barely moves without).
  run.evaluate();
  gradscope::Run plain(1, deepSigmoid().runs[0], data, c.seed);
  for (int i = 0; i < 301; ++i) ASSERT_TRUE(plain.step());
  plain.evaluate();
  RunSnapshot a, b;
  run.fillSnapshot(a);
  plain.fillSnapshot(b);
  EXPECT_LT(a.eval->trainLoss, b.eval->trainLoss - 0.1f);
  EXPECT_GT(a.gradNorm[0], 10 * b.gradNorm[0]);  // the first layer's gradient recovers
}

// The norms' parameter gradients, per hidden layer, are ‖(dγ, dβ)‖ of the last step; a run
// without a norm has neither values nor series.
TEST(Run, NormParameterGradientsAreMeasuredPerHiddenLayer) {
  for (const Norm norm : {Norm::Batch, Norm::Layer}) {
    SessionConfig c = deepSigmoid();
    c.runs[0].norm = norm;
    auto data = makeSessionData(c);
    gradscope::Run run(0, c.runs[0], data, c.seed);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(run.step()) << run.reason();
    RunSnapshot s;
    run.fillSnapshot(s);
    ASSERT_EQ(s.normGradNorm.size(), 10u);
    ASSERT_EQ(s.normGradNormSeries.size(), 10u);
    for (int l = 0; l < 10; ++l) {
      const auto& n = run.net().layer(l).norm;
      const float expected = std::sqrt(n.dweight.squaredNorm() + n.dbias.squaredNorm());
      EXPECT_GT(expected, 0.0f);
      EXPECT_FLOAT_EQ(s.normGradNorm[static_cast<size_t>(l)], expected) << "layer " << l + 1;
      ASSERT_EQ(s.normGradNormSeries[static_cast<size_t>(l)].size(), 3);
      EXPECT_FLOAT_EQ(s.normGradNormSeries[static_cast<size_t>(l)].y(2), expected);
    }
  }
  SessionConfig c = deepSigmoid();
  auto data = makeSessionData(c);
  gradscope::Run plain(0, c.runs[0], data, c.seed);
  ASSERT_TRUE(plain.step());
  RunSnapshot s;
  plain.fillSnapshot(s);
  EXPECT_TRUE(s.normGradNorm.empty());
  EXPECT_TRUE(s.normGradNormSeries.empty());
}

TEST(Run, BatchNormRefusesBatchesOfOne) {
  SessionConfig c = deepSigmoid();
  c.data.samples = 2;
  c.data.testFraction = 0.5;
  c.runs[0].norm = Norm::Batch;
  c.runs[0].batchSize = 0;
  auto data = makeSessionData(c);
  ASSERT_EQ(data->train.samples(), 1);
  try {
    gradscope::Run run(0, c.runs[0], data, c.seed);
    FAIL() << "a one-sample batch norm run was built";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "batch norm needs at least 2 samples per batch; the training set has 1 sample");
  }
}

TEST(Run, DropoutMasksFollowTheSeed) {
  SessionConfig c = deepSigmoid();
  c.runs[0].activation = {Activation::ReLU, 0};
  c.runs[0].init = Init::HeNormal;
  c.runs[0].dropout = 0.3;
  auto data = makeSessionData(c);
  gradscope::Run a(0, c.runs[0], data, c.seed), b(1, c.runs[0], data, c.seed),
      other(2, c.runs[0], data, c.seed + 1);
  RunConfig off = c.runs[0];
  off.dropout = 0;
  gradscope::Run none(3, off, data, c.seed);
  ASSERT_TRUE(a.step() && b.step() && none.step());
  EXPECT_EQ(a.lastLoss(), b.lastLoss());
  EXPECT_NE(a.lastLoss(), none.lastLoss());  // same weights and batch: only the masks differ
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(a.step() && b.step());
  EXPECT_EQ(a.gradNorms(), b.gradNorms());
  // Evaluation has no dropout: the same weights evaluate alike with and without it.
  gradscope::Run fresh(4, c.runs[0], data, c.seed);
  fresh.evaluate();
  none.reset(c.seed);
  none.evaluate();
  RunSnapshot x, y;
  fresh.fillSnapshot(x);
  none.fillSnapshot(y);
  EXPECT_EQ(x.eval->trainLoss, y.eval->trainLoss);
}

TEST(Run, ClippingKeepsTheMeasuredNormsAndMarksClippedSteps) {
  SessionConfig c = deepSigmoid();
  c.runs[0].activation = {Activation::ReLU, 0};
  c.runs[0].hidden = {16, 16, 16, 16, 16, 16};
  auto data = makeSessionData(c);  // N(0, 1) ReLU at depth 6: large gradients
  RunConfig clipped = c.runs[0];
  clipped.clipNorm = 1.0;
  gradscope::Run a(0, c.runs[0], data, c.seed), b(1, clipped, data, c.seed);
  ASSERT_TRUE(a.step());
  ASSERT_TRUE(b.step());
  EXPECT_EQ(a.gradNorms(), b.gradNorms());  // measured before clipping
  EXPECT_TRUE(b.lastClipped());
  EXPECT_FALSE(a.lastClipped());
  float sq = 0;
  for (float g : b.gradNorms()) sq += g * g;
  EXPECT_GT(std::sqrt(sq), 1.0f);
  // The updates differ: clipping shrank b's step.
  EXPECT_FALSE(sameBits(a.net().layer(0).W, b.net().layer(0).W));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(b.step());
  RunSnapshot s, t;
  b.fillSnapshot(s);
  a.fillSnapshot(t);
  EXPECT_EQ(s.clippedSeries.size(), 21);
  EXPECT_EQ(s.totalGradNormSeries.size(), 21);
  EXPECT_EQ(s.clippedSteps, b.clippedSteps());
  EXPECT_GE(s.clippedSteps, 1);
  long marked = 0;
  for (int i = 0; i < s.clippedSeries.size(); ++i) {
    marked += s.clippedSeries.y(i) == 1.0f;
    EXPECT_EQ(s.clippedSeries.y(i) == 1.0f, s.totalGradNormSeries.y(i) > 1.0f) << i;
  }
  EXPECT_EQ(marked, s.clippedSteps);
  EXPECT_EQ(t.clippedSeries.size(), 0);  // no clipping, no series
}

TEST(Run, DropoutAndClippingHotSwapWhileNormAndSkipsStartOver) {
  SessionConfig c = deepSigmoid();
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(run.step());
  const Mat<float> W = run.net().layer(0).W;
  RunConfig next = c.runs[0];
  next.dropout = 0.5;
  next.clipNorm = 0.1;
  EXPECT_FALSE(run.reconfigure(next, true, c.seed));  // kept the weights
  EXPECT_TRUE(sameBits(run.net().layer(0).W, W));
  EXPECT_EQ(run.net().shape().dropout, 0.5);
  ASSERT_TRUE(run.step());
  next.norm = Norm::Layer;
  EXPECT_TRUE(run.reconfigure(next, true, c.seed));  // new parameter tensors: a reset
  EXPECT_EQ(run.net().layer(0).norm.weight.size(), 10);
  next.residual = true;
  EXPECT_TRUE(run.reconfigure(next, true, c.seed));
  EXPECT_TRUE(run.net().layer(1).skip);
}

TEST(Run, BceNeedsTwoClasses) {
  SessionConfig c = deepSigmoid();
  auto split = std::make_shared<Split>();
  split->train = parseCsv("a,b,y\n0,0,0\n1,1,1\n2,2,2\n", "three.csv");
  EXPECT_THROW(gradscope::Run(0, c.runs[0], split, 1), std::invalid_argument);
  c.runs[0].loss = Loss::CrossEntropy;
  gradscope::Run ok(0, c.runs[0], split, 1);
  EXPECT_EQ(ok.net().layer(ok.net().layerCount() - 1).units, 3);
}

// Small 3-class images (2×2 pixels) whose class is the brightest pixel of the top row or
// the bottom-left one: a confusion matrix and per-class accuracy with known totals.
std::shared_ptr<Split> tinyImages() {
  auto split = std::make_shared<Split>();
  Rng rng(5);
  auto make = [&](int n) {
    Dataset d;
    d.classes = 3;
    d.classNames = {"a", "b", "c"};
    d.imageWidth = d.imageHeight = 2;
    d.featureNames = {"p0_0", "p0_1", "p1_0", "p1_1"};
    d.X.resize(4, n);
    d.y.resize(n);
    for (int i = 0; i < n; ++i) {
      d.y[i] = i % 3;
      for (int p = 0; p < 4; ++p) d.X(p, i) = static_cast<float>(rng.uniform(0.0, 0.3));
      d.X(d.y[i], i) = 1.0f;
    }
    return d;
  };
  split->train = make(90);
  split->test = make(70);
  return split;
}

TEST(Run, ConfusionMatrixAndClassAccuracyAddUp) {
  RunConfig rc;
  rc.hidden = {8};
  rc.activation = {Activation::ReLU, 0};
  rc.init = Init::HeNormal;
  rc.loss = Loss::CrossEntropy;
  rc.optimizer = OptimizerConfig{OptimizerKind::Adam, {{"lr", 0.01}}};
  auto data = tinyImages();
  gradscope::Run run(0, rc, data, 3);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(run.step());
  run.evaluate();
  RunSnapshot s;
  run.fillSnapshot(s);
  ASSERT_TRUE(s.eval);
  const EvalResult& e = *s.eval;
  EXPECT_TRUE(e.detailOnTest);
  ASSERT_EQ(e.classes, 3);
  ASSERT_EQ(e.confusion.size(), 9u);
  int total = 0, diagonal = 0;
  for (int t = 0; t < 3; ++t) {
    int row = 0;
    for (int p = 0; p < 3; ++p) row += e.confusion[static_cast<size_t>(t * 3 + p)];
    EXPECT_EQ(row, t == 0 ? 24 : 23);  // 70 test samples, classes in turn
    EXPECT_FLOAT_EQ(e.classAccuracy[static_cast<size_t>(t)],
                    static_cast<float>(e.confusion[static_cast<size_t>(t * 4)]) / row);
    total += row;
    diagonal += e.confusion[static_cast<size_t>(t * 4)];
  }
  EXPECT_EQ(total, 70);
  EXPECT_FLOAT_EQ(e.testAccuracy, static_cast<float>(diagonal) / 70.0f);
  EXPECT_GT(e.testAccuracy, 0.9f);  // an easy problem: it has learned
  // The first predictions, as the network predicts them one by one.
  ASSERT_EQ(e.predicted.size(), 64u);
  Mat<float> x = data->test.X.leftCols(64);
  MlpCache<float> scratch;
  const auto& out = run.net().predict(x, scratch);
  for (int i = 0; i < 64; ++i)
    EXPECT_EQ(e.predicted[static_cast<size_t>(i)], predictClass<float>(rc.loss, out, i));
  // Image data: the first layer's weights travel with the snapshot, as the last step left them.
  ASSERT_TRUE(s.inputWeights);
  EXPECT_TRUE(sameBits(*s.inputWeights, run.net().layer(0).W));
  ASSERT_TRUE(run.step());
  RunSnapshot next;
  run.fillSnapshot(next);
  EXPECT_NE(next.inputWeights, s.inputWeights);
  EXPECT_TRUE(sameBits(*next.inputWeights, run.net().layer(0).W));
  RunSnapshot same;
  run.fillSnapshot(same);
  EXPECT_EQ(same.inputWeights, next.inputWeights);  // no new copy without a step
}

TEST(Run, NoWeightImagesOrTestDetailForPlaneData) {
  const SessionConfig c = deepSigmoid();
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  run.evaluate();
  RunSnapshot s;
  run.fillSnapshot(s);
  EXPECT_FALSE(s.inputWeights);
  ASSERT_TRUE(s.eval);
  EXPECT_EQ(s.eval->classes, 2);  // two classes get a 2 × 2 matrix too
  EXPECT_EQ(s.eval->confusion.size(), 4u);
}

TEST(Run, FashionMnistSessionDataIsReadOnceAndItsFieldValidated) {
  SessionConfig c;
  c.data.kind = DatasetKind::FashionMnist;
  c.data.trainImages = 0;
  EXPECT_EQ(validateSession(c), "data.train_images: must be 1 to 60000 (got 0)");
  c.data.trainImages = 300;
  EXPECT_EQ(validateSession(c), "");
  if (!std::filesystem::exists(std::string(kFashionMnistDir)))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto a = makeSessionData(c);
  EXPECT_EQ(a->train.samples(), 300);
  EXPECT_EQ(a->test.samples(), 10'000);
  c.seed = 99;  // no seed in an image set: the same data, not read again
  EXPECT_EQ(makeSessionData(c), a);
  c.data.trainImages = 200;
  const auto b = makeSessionData(c);
  EXPECT_EQ(b->train.samples(), 200);
  EXPECT_EQ(b->train.X, a->train.X.leftCols(200));
}

// An evaluation limited to the first N samples of each set measures exactly those samples
// (the same figures as the whole of a set made of them) and says how many it covered.
TEST(Run, AnEvaluationLimitCoversTheFirstSamplesOfEachSet) {
  SessionConfig c = deepSigmoid();
  c.runs[0].activation = {Activation::ReLU, 0};
  c.runs[0].init = Init::HeNormal;
  c.runs[0].hidden = {8, 8};
  auto data = makeSessionData(c);
  const int limit = 30;
  ASSERT_GT(data->train.samples(), limit);
  ASSERT_GT(data->test.samples(), limit);
  auto firstOf = [&](const Dataset& set) {
    Dataset d = set;
    d.X = set.X.leftCols(limit);
    d.y = set.y.head(limit);
    return d;
  };
  auto first = std::make_shared<Split>(Split{firstOf(data->train), firstOf(data->test)});
  gradscope::Run limited(0, c.runs[0], data, c.seed), whole(0, c.runs[0], first, c.seed);
  limited.evaluate(limit);
  whole.evaluate();
  RunSnapshot a, b;
  limited.fillSnapshot(a);
  whole.fillSnapshot(b);
  EXPECT_EQ(a.eval->trainSamples, limit);
  EXPECT_EQ(a.eval->testSamples, limit);
  EXPECT_EQ(a.eval->trainLoss, b.eval->trainLoss);
  EXPECT_EQ(a.eval->testAccuracy, b.eval->testAccuracy);
  EXPECT_EQ(a.eval->confusion, b.eval->confusion);
  EXPECT_EQ(a.eval->deadTotal, b.eval->deadTotal);
  limited.evaluate();
  limited.fillSnapshot(a);
  EXPECT_EQ(a.eval->trainSamples, data->train.samples());
  EXPECT_EQ(a.eval->testSamples, data->test.samples());
}

// How far the first layer moved: 0 as built, > 0 after training, 0 again from loaded weights.
TEST(Run, InputWeightsMovedCountsFromTheStart) {
  SessionConfig c = deepSigmoid();
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  EXPECT_EQ(run.inputWeightsMoved(), 0.0f);
  const Mlp start = run.net();
  for (int t = 0; t < 20; ++t) ASSERT_TRUE(run.step());
  const float moved = run.inputWeightsMoved();
  const Eigen::MatrixXf& w0 = start.layer(0).W;
  EXPECT_NEAR(moved, (run.net().layer(0).W - w0).norm() / w0.norm(), 1e-6f);
  EXPECT_GT(moved, 0.0f);
  const Mlp trained = run.net();
  run.setWeights(trained);
  EXPECT_EQ(run.inputWeightsMoved(), 0.0f);
}

}  // namespace
}  // namespace gradscope
