// Numeric faults: what a learner can dial in that pushes the arithmetic to its edges — a
// learning rate of 1000, all-zero weights, one unit per layer, 64 layers, a batch larger than
// the data, the smallest data sets — in a Run and through the Trainer. Nothing may crash, and
// no inf or NaN may reach a snapshot's series (the charts smooth them into every later point).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/measure.h"
#include "train/run.h"
#include "train/trainer.h"

namespace gradscope {
namespace {

using namespace std::chrono_literals;

// The app's default session: XOR, 400 samples (320 for training), 10 × 10 sigmoid, N(0, 1),
// SGD lr 0.1, batch 32, seed 1.
SessionConfig xorSession() { return SessionConfig{}; }

RunConfig withActivation(RunConfig r, Activation a, Init init = Init::Normal) {
  r.activation = {a, activationInfo(a).paramDefault};
  r.init = init;
  return r;
}

RunConfig withLr(RunConfig r, double lr) {
  r.optimizer = {OptimizerKind::SGD, {{"lr", lr}}};
  return r;
}

// The names of the snapshot's series (and current values) that hold inf or NaN; empty if none.
std::string nonFinite(const RunSnapshot& r) {
  std::string out;
  const auto series = [&](const SeriesData& s, const std::string& name) {
    for (int i = 0; i < s.size(); ++i)
      if (!std::isfinite(s.x(i)) || !std::isfinite(s.y(i))) {
        out += name + " ";
        return;
      }
  };
  const auto perLayer = [&](const std::vector<SeriesData>& v, const std::string& name) {
    for (size_t l = 0; l < v.size(); ++l) series(v[l], name + "[" + std::to_string(l) + "]");
  };
  series(r.lossSeries, "loss");
  series(r.testLossSeries, "testLoss");
  series(r.trainAccuracySeries, "trainAccuracy");
  series(r.testAccuracySeries, "testAccuracy");
  series(r.deadTotalSeries, "deadTotal");
  perLayer(r.gradNormSeries, "gradNorm");
  perLayer(r.meanAbsDzSeries, "meanAbsDz");
  perLayer(r.updateRatioSeries, "updateRatio");
  perLayer(r.deadSeries, "dead");
  if (r.state != RunState::Diverged) {  // a diverged run shows the step that failed
    if (!std::isfinite(r.loss)) out += "loss(now) ";
    for (float v : r.gradNorm) out += std::isfinite(v) ? "" : "gradNorm(now) ";
    for (float v : r.meanAbsDz) out += std::isfinite(v) ? "" : "meanAbsDz(now) ";
    for (float v : r.updateRatio) out += std::isfinite(v) ? "" : "updateRatio(now) ";
    if (r.eval && !std::isfinite(r.eval->trainLoss)) out += "eval.trainLoss ";
  }
  if (r.grid)
    for (float v : r.grid->value)
      if (!std::isfinite(v)) {
        out += "grid ";
        break;
      }
  return out;
}

std::string nonFinite(const Run& run) {
  RunSnapshot s;
  run.fillSnapshot(s);
  return nonFinite(s);
}

// Steps like the worker: an evaluation every 50 steps and a decision grid every 200.
// Returns the number of successful steps (fewer than `steps` if the run diverged).
int train(Run& run, int steps) {
  run.setState(RunState::Running);
  for (int i = 0; i < steps; ++i) {
    if (!run.step()) return i;
    if (i % 50 == 0) run.evaluate();
    if (i % 200 == 0) run.computeGrid(24);
  }
  run.evaluate();
  run.computeGrid(24);
  return steps;
}

bool sameWeights(const Mlp& a, const Mlp& b) {
  for (int l = 0; l < a.layerCount(); ++l) {
    const auto& x = a.layer(l).W;
    const auto& y = b.layer(l).W;
    if (x.size() != y.size() || std::memcmp(x.data(), y.data(), sizeof(float) * x.size()) != 0)
      return false;
  }
  return true;
}

// A CSV file in a fresh temporary directory, removed with the object.
class TempCsv {
 public:
  explicit TempCsv(const std::string& text)
      : m_dir(
            std::filesystem::temp_directory_path() /
            ("gradscope-numeric-" + std::to_string(::getpid()) + "-" + std::to_string(s_next++))) {
    std::filesystem::create_directories(m_dir);
    std::ofstream(path()) << text;
  }
  ~TempCsv() { std::filesystem::remove_all(m_dir); }
  TempCsv(const TempCsv&) = delete;
  TempCsv& operator=(const TempCsv&) = delete;
  std::string path() const { return (m_dir / "data.csv").string(); }

 private:
  static inline int s_next = 0;
  std::filesystem::path m_dir;
};

//-----------------------------------------------------------------------------
// A learning rate of 1000
//-----------------------------------------------------------------------------

TEST(NumericFaults, LearningRate1000DivergesReluAndResetRecovers) {
  const SessionConfig c = xorSession();
  const auto data = makeSessionData(c);
  for (Init init : {Init::Normal, Init::HeNormal, Init::XavierNormal}) {
    SCOPED_TRACE(std::string(initInfo(init).key));
    const RunConfig config = withLr(withActivation(c.runs[0], Activation::ReLU, init), 1000);
    gradscope::Run run(0, config, data, c.seed);
    const int steps = train(run, 100);
    EXPECT_LT(steps, 5);  // ReLU's outputs are unbounded: a couple of steps and they overflow
    ASSERT_EQ(run.state(), RunState::Diverged);
    EXPECT_NE(english(run.reason()).find("diverged at step " + std::to_string(steps + 1)),
              std::string::npos)
        << run.reason();
    EXPECT_NE(english(run.reason()).find("lower the learning rate"), std::string::npos)
        << run.reason();
    EXPECT_EQ(nonFinite(run), "");
    EXPECT_FALSE(run.step());  // stays paused as diverged

    // Reset: the initial weights, no history, not diverged, and the first step is fine again.
    run.reset(c.seed);
    EXPECT_EQ(run.state(), RunState::Paused);
    EXPECT_TRUE(run.reason().empty());
    EXPECT_EQ(run.steps(), 0);
    const gradscope::Run fresh(1, config, data, c.seed);
    EXPECT_TRUE(sameWeights(run.net(), fresh.net()));
    RunSnapshot s;
    run.fillSnapshot(s);
    EXPECT_EQ(s.lossSeries.size(), 0);
    run.setState(RunState::Running);
    EXPECT_TRUE(run.step());

    // A sane learning rate on the diverged run starts it over and it trains.
    train(run, 100);
    ASSERT_EQ(run.state(), RunState::Diverged);
    EXPECT_TRUE(run.reconfigure(withLr(config, 0.001), true, c.seed));  // reset, not hot-swapped
    EXPECT_EQ(train(run, 500), 500);
    EXPECT_EQ(run.state(), RunState::Running);
    EXPECT_EQ(nonFinite(run), "");
  }
}

// Sigmoid does not diverge at lr 1000: its outputs lie in (0, 1), so a step moves a weight by
// at most lr · |dL/dW| and the logits stay finite however large the weights get. The huge
// steps overshoot instead — the loss jumps to hundreds of times ln 2 — the units saturate,
// the input-side gradient vanishes to nothing and the network stays at chance. Tanh (bounded
// too) behaves the same.
TEST(NumericFaults, LearningRate1000SaturatesSigmoidInsteadOfDiverging) {
  const SessionConfig c = xorSession();
  const auto data = makeSessionData(c);
  for (Activation a : {Activation::Sigmoid, Activation::Tanh}) {
    SCOPED_TRACE(std::string(activationInfo(a).key));
    gradscope::Run run(0, withLr(withActivation(c.runs[0], a), 1000), data, c.seed);
    run.setState(RunState::Running);
    float peak = 0;
    for (int i = 0; i < 3000; ++i) {
      ASSERT_TRUE(run.step()) << "step " << i << ": " << run.reason();
      ASSERT_TRUE(std::isfinite(run.lastLoss()));
      peak = std::max(peak, run.lastLoss());
    }
    EXPECT_EQ(run.state(), RunState::Running);
    EXPECT_GT(peak, 100.0f);
    run.evaluate();
    RunSnapshot s;
    run.fillSnapshot(s);
    ASSERT_TRUE(s.eval);
    EXPECT_LT(s.eval->trainAccuracy, 0.6f);
    EXPECT_LT(run.gradNorms().front(), 1e-6f);
    EXPECT_EQ(nonFinite(s), "");

    run.reset(c.seed);
    EXPECT_EQ(run.steps(), 0);
    EXPECT_TRUE(sameWeights(run.net(), gradscope::Run(1, run.config(), data, c.seed).net()));
  }
}

//-----------------------------------------------------------------------------
// All-zero weights, one unit per layer, 64 layers
//-----------------------------------------------------------------------------

// Zero weights give every unit of a layer the same pre-activation and, as training moves
// them, values a few ulps apart near 1e-38. The whole-set measurements used to bin those with
// an infinite scale: a NaN position, cast to int, indexed the histogram at −2³¹.
TEST(NumericFaults, ZeroInitTrainsAndMeasuresWithoutNaN) {
  const SessionConfig c = xorSession();
  const auto data = makeSessionData(c);
  for (Activation a :
       {Activation::Sigmoid, Activation::ReLU, Activation::Tanh, Activation::LeakyReLU}) {
    SCOPED_TRACE(std::string(activationInfo(a).key));
    gradscope::Run run(0, withActivation(c.runs[0], a, Init::Zeros), data, c.seed);
    EXPECT_EQ(train(run, 2000), 2000) << run.reason();
    EXPECT_EQ(nonFinite(run), "");
  }
}

TEST(NumericFaults, HistogramOfAFewUlpsWideRangeStaysInsideItsBins) {
  MlpShape shape;
  shape.inputs = 1;
  shape.hidden = {{2, Activation::Sigmoid, 0.0}};
  const Mlp net(shape);
  LayerCache<float> cache;
  const float lo = 0x1.f51268p-125f, hi = 0x1.f51274p-125f;  // values the zero-init run produced
  cache.z.resize(2, 3);
  cache.z << lo, hi, lo, hi, lo, lo;
  cache.a = cache.z.unaryExpr([](float z) { return 1.0f / (1.0f + std::exp(-z)); });
  LayerStats stats;
  measureLayer(net.layer(0), cache, stats);
  float counted = 0;
  for (float n : stats.histogram) counted += n;
  EXPECT_EQ(counted, 6.0f);
  EXPECT_TRUE(std::isfinite(stats.histLo) && std::isfinite(stats.histHi));
}

TEST(NumericFaults, WidthOneTrains) {
  const SessionConfig c = xorSession();
  const auto data = makeSessionData(c);
  for (const std::vector<int>& hidden : {std::vector<int>{1}, std::vector<int>(10, 1)}) {
    for (Activation a :
         {Activation::Sigmoid, Activation::ReLU, Activation::Maxout, Activation::PReLU}) {
      SCOPED_TRACE(std::to_string(hidden.size()) + " × " + std::string(activationInfo(a).key));
      RunConfig r = withActivation(c.runs[0], a);
      r.hidden = hidden;
      gradscope::Run run(0, r, data, c.seed);
      EXPECT_EQ(train(run, 1000), 1000) << run.reason();
      EXPECT_EQ(nonFinite(run), "");
    }
  }
}

TEST(NumericFaults, Depth64ForwardAndBackwardStayFinite) {
  const SessionConfig c = xorSession();
  const auto data = makeSessionData(c);
  struct Case {
    Activation activation;
    Init init;
  };
  for (const Case k :
       {Case{Activation::Sigmoid, Init::Normal}, Case{Activation::ReLU, Init::HeNormal},
        Case{Activation::Tanh, Init::XavierNormal}, Case{Activation::GELU, Init::HeNormal}}) {
    SCOPED_TRACE(std::string(activationInfo(k.activation).key));
    RunConfig r = withActivation(c.runs[0], k.activation, k.init);
    r.hidden.assign(static_cast<size_t>(kMaxDepth), 10);
    gradscope::Run run(0, r, data, c.seed);
    ASSERT_EQ(run.net().layerCount(), 65);
    EXPECT_EQ(train(run, 20), 20) << run.reason();
    for (float g : run.gradNorms()) EXPECT_TRUE(std::isfinite(g) && g >= 0);
    EXPECT_EQ(nonFinite(run), "");
  }
  // N(0, 1) weights through 64 ReLU layers multiply the signal by about √5 a layer: the run
  // overflows within a few steps and is caught as diverged, with clean series.
  RunConfig relu = withActivation(c.runs[0], Activation::ReLU, Init::Normal);
  relu.hidden.assign(static_cast<size_t>(kMaxDepth), 10);
  gradscope::Run run(0, relu, data, c.seed);
  EXPECT_LT(train(run, 20), 20);
  EXPECT_EQ(run.state(), RunState::Diverged);
  EXPECT_EQ(nonFinite(run), "");
}

//-----------------------------------------------------------------------------
// Batches and data sets at their edges
//-----------------------------------------------------------------------------

TEST(NumericFaults, BatchLargerThanTheDataIsTheFullBatch) {
  const SessionConfig c = xorSession();
  const auto data = makeSessionData(c);
  ASSERT_EQ(data->train.samples(), 320);
  RunConfig full = c.runs[0];
  full.batchSize = 0;
  gradscope::Run reference(0, full, data, c.seed);
  train(reference, 10);
  for (int batch : {320, 321, kMaxSamples}) {
    SCOPED_TRACE(batch);
    RunConfig r = c.runs[0];
    r.batchSize = batch;
    gradscope::Run run(0, r, data, c.seed);
    EXPECT_EQ(train(run, 10), 10);
    EXPECT_DOUBLE_EQ(run.epoch(), 10.0);  // one epoch a step: the batch is the training set
    EXPECT_EQ(run.lastLoss(), reference.lastLoss());
    EXPECT_EQ(nonFinite(run), "");
  }
}

TEST(NumericFaults, OneSampleIsRefusedTwoSamplesTrain) {
  // Built-in sets: at least 2 samples, refused before any data is made.
  EXPECT_THROW(makeDataset(DatasetKind::Xor, 1, 0.0, 1), std::invalid_argument);
  SessionConfig one = xorSession();
  one.data.samples = 1;
  EXPECT_NE(validateSession(one).find("data.samples"), std::string::npos);
  // CSV: one data row has one class, and a data set needs two.
  try {
    parseCsv("x1,x2,label\n0.5,0.5,0\n", "one.csv");
    ADD_FAILURE() << "a CSV with one data row was accepted";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("at least two classes"), std::string::npos) << e.what();
  }

  // Two rows of two classes: everything trains, with or without a test sample (a split always
  // keeps one training sample).
  const TempCsv csv("x1,x2,label\n0.5,-0.5,0\n-0.5,0.5,1\n");
  for (double testFraction : {0.0, 0.2, 0.5, 0.9}) {
    SCOPED_TRACE(testFraction);
    SessionConfig c = xorSession();
    c.data.csvPath = csv.path();
    c.data.testFraction = testFraction;
    ASSERT_EQ(validateSession(c), "");
    const auto data = makeSessionData(c);
    EXPECT_EQ(data->train.samples() + data->test.samples(), 2);
    EXPECT_GE(data->train.samples(), 1);
    gradscope::Run run(0, c.runs[0], data, c.seed);
    EXPECT_EQ(train(run, 300), 300) << run.reason();
    EXPECT_EQ(nonFinite(run), "");
    RunSnapshot s;
    run.fillSnapshot(s);
    ASSERT_TRUE(s.grid);
    EXPECT_EQ(s.testLossSeries.size() > 0, data->test.samples() > 0);
  }
  // One feature: no decision grid, but training and measuring work.
  const TempCsv line("x,label\n1,0\n2,1\n");
  SessionConfig c = xorSession();
  c.data.csvPath = line.path();
  gradscope::Run run(0, c.runs[0], makeSessionData(c), c.seed);
  EXPECT_EQ(train(run, 300), 300) << run.reason();
  EXPECT_EQ(nonFinite(run), "");
}

//-----------------------------------------------------------------------------
// The same faults through the Trainer
//-----------------------------------------------------------------------------

std::shared_ptr<const Snapshot> waitFor(const Trainer& t,
                                        const std::function<bool(const Snapshot&)>& pred) {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    auto s = t.latest();
    if (pred(*s)) return s;
    if (std::chrono::steady_clock::now() > deadline) return nullptr;
    std::this_thread::sleep_for(2ms);
  }
}

std::string nonFinite(const Snapshot& s) {
  std::string out;
  for (size_t i = 0; i < s.runs.size(); ++i)
    if (auto bad = nonFinite(s.runs[i]); !bad.empty())
      out += "run " + std::to_string(i + 1) + ": " + bad;
  return out;
}

TEST(NumericFaults, TrainerTakesEveryFaultAndStaysAlive) {
  SessionConfig start = xorSession();
  start.data.samples = 100;
  SessionOptions options;
  options.maxGridResolution = 24;  // grids still computed, cheaply (64 layers under ASan)
  Trainer t(start, options);
  const auto configure = [&](const SessionConfig& c) {
    t.send(cmd::Configure{c, true});
    return waitFor(t, [&](const Snapshot& s) { return s.config == c; });
  };
  const RunConfig base = start.runs[0];

  // Four faults side by side: ReLU at lr 1000 diverges alone; the others keep training.
  SessionConfig a = start;
  a.runs = {withLr(withActivation(base, Activation::ReLU), 1000), withLr(base, 1000),
            withActivation(base, Activation::Sigmoid, Init::Zeros), base};
  a.runs[3].hidden = {1, 1, 1};
  ASSERT_TRUE(configure(a));
  auto s = waitFor(t, [](const Snapshot& x) {
    return x.runs.size() == 4 && x.runs[0].state == RunState::Diverged && x.runs[1].step > 500 &&
           x.runs[2].step > 500 && x.runs[3].step > 500 && x.runs[2].eval &&
           x.runs[2].eval->step > 0;
  });
  ASSERT_TRUE(s) << "the runs did not progress";
  EXPECT_NE(english(s->runs[0].reason).find("diverged at step"), std::string::npos);
  for (int i = 1; i < 4; ++i)
    EXPECT_EQ(s->runs[static_cast<size_t>(i)].state, RunState::Running) << i;
  EXPECT_EQ(nonFinite(*s), "");

  // Reset brings the diverged run back (paused, so it does not diverge again at once); a
  // sane learning rate then trains it.
  t.send(cmd::Pause{});
  t.send(cmd::Reset{});
  s = waitFor(t, [](const Snapshot& x) { return !x.playing && x.runs[0].step == 0; });
  ASSERT_TRUE(s);
  EXPECT_EQ(s->runs[0].state, RunState::Paused);
  SessionConfig b = a;
  b.runs[0] = withLr(b.runs[0], 0.001);
  ASSERT_TRUE(configure(b));
  t.send(cmd::Play{});
  s = waitFor(t, [](const Snapshot& x) { return x.runs[0].step > 300; });
  ASSERT_TRUE(s);
  EXPECT_EQ(s->runs[0].state, RunState::Running);
  EXPECT_EQ(nonFinite(*s), "");

  // Depth 64 and batches larger than the data.
  SessionConfig d = start;
  d.runs = {base, withActivation(base, Activation::ReLU, Init::HeNormal), base};
  d.runs[0].hidden.assign(static_cast<size_t>(kMaxDepth), 10);
  d.runs[1].hidden.assign(static_cast<size_t>(kMaxDepth), 10);
  d.runs[2].batchSize = kMaxSamples;
  ASSERT_TRUE(configure(d));
  s = waitFor(t, [](const Snapshot& x) {
    return x.runs.size() == 3 && x.runs[0].step > 20 && x.runs[1].step > 20 && x.runs[2].step > 20;
  });
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(s->runs[2].epoch, static_cast<double>(s->runs[2].step));
  EXPECT_EQ(nonFinite(*s), "");

  // A CSV of two rows trains; one data row and a one-sample built-in set are refused with a
  // message, and the session carries on as it was.
  const TempCsv two("x1,x2,label\n0.5,-0.5,0\n-0.5,0.5,1\n");
  const TempCsv one("x1,x2,label\n0.5,-0.5,0\n");
  SessionConfig e = start;
  e.data.csvPath = two.path();
  ASSERT_TRUE(configure(e));
  s = waitFor(t, [](const Snapshot& x) { return x.runs.size() == 1 && x.runs[0].step > 200; });
  ASSERT_TRUE(s);
  EXPECT_EQ(nonFinite(*s), "");
  const std::uint64_t messages = s->messageId;
  SessionConfig f = e;
  f.data.csvPath = one.path();
  t.send(cmd::Configure{f, true});
  s = waitFor(t, [&](const Snapshot& x) { return x.messageId > messages; });
  ASSERT_TRUE(s);
  EXPECT_NE(english(s->message).find("at least two classes"), std::string::npos) << s->message;
  EXPECT_EQ(s->config, e);
  SessionConfig g = start;
  g.data.samples = 1;
  t.send(cmd::Configure{g, true});
  s = waitFor(t, [&](const Snapshot& x) { return x.messageId > messages + 1; });
  ASSERT_TRUE(s);
  EXPECT_NE(english(s->message).find("data.samples"), std::string::npos) << s->message;
  const long before = s->runs[0].step;
  s = waitFor(t, [&](const Snapshot& x) { return x.runs[0].step > before + 100; });
  ASSERT_TRUE(s) << "the trainer stopped";
  EXPECT_EQ(s->config, e);
}

}  // namespace
}  // namespace gradscope
