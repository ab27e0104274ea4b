// Each lesson's claim, checked headlessly from its own preset in assets/presets/: what the
// learner is told to watch is what the app really shows. Every claim holds on each of 5 seeds
// (seed 1 is the preset's own); runs are driven directly (single thread, deterministic), so a
// failure here is a change in behaviour, not noise — except lesson 9's timing, see there.
//
// Thresholds come from measurements of these presets with this code, written next to them as
// "measured: min … max over seeds 1–5". Each test prints its measured values (one line per
// seed and run) so they can be re-read when a preset is retuned.
//
// Each lesson's preset pauses at its view's horizon (after about 30 s at its speed cap), so the
// claims are checked at that step: what the screen shows when the lesson has played out.
//
// "First/last ratio" is ‖dL/dW_1‖ / ‖dL/dW_L‖ (the Gradient flow panel's first and last
// layers), each averaged over the last 100 steps before the ratio is taken, geometrically, as
// the panel smooths its log-scale lines (steps with a zero norm left out, as there).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/activation.h"
#include "train/activation_cost.h"
#include "train/config_json.h"
#include "train/float_mode.h"
#include "train/lesson.h"
#include "train/run.h"
#include "train/trainer.h"

namespace gradscope {
namespace {

constexpr int kSeeds = 5;
constexpr int kWindow = 100;  // steps averaged at the end of a run

Preset lessonPreset(const std::string& name) {
  return loadPreset(std::string(GRADSCOPE_ASSETS_DIR) + "/presets/" + name + ".json");
}

// The step a lesson's screen pauses at: its view's horizon.
int horizon(const Preset& preset) {
  EXPECT_GT(preset.session.view.horizon, 0);
  return static_cast<int>(preset.session.view.horizon);
}

SessionConfig withSeed(SessionConfig session, std::uint64_t seed) {
  session.seed = seed;
  return session;
}

struct Outcome {
  std::string label;
  bool diverged = false;
  double firstLast = 0;       // first/last ratio over the last kWindow steps
  float startLoss = 0;        // whole training set, before the first step
  EvalResult eval;            // whole training and test set after the last step
  double layer1Mean = 0;      // mean activation of hidden layer 1 over the training set
  double sparsity = 0;        // share of exact zeros over all hidden units and samples
  double layer1Sparsity = 0;  // the same in hidden layer 1 (the Activation panel's line)
  double liveSparsity = 0;    // the same over units that are not dead
  double saturation = 0;      // share of saturated pre-activations, all hidden layers
  double deadShare = 0;       // dead units / hidden units
  long steps = 0;             // steps taken (fewer than asked when the run diverged)
  long clippedSteps = 0;      // steps whose gradient was clipped (clip_norm on)
  double lastGrad = 0;        // ‖dL/dW_L‖ of the last layer, averaged over the last kWindow steps
  double lastRatio = 0;       // the last step's first/last ratio (the panel's heat-map readout)
};

// Trains every run of `session` for `steps` steps, as the trainer would (same data, same seed
// per run, subnormals flushed to zero), and measures what the lessons talk about.
std::vector<Outcome> train(const SessionConfig& session, int steps) {
  const FlushDenormals flush;
  const auto data = makeSessionData(session);
  std::vector<Outcome> out;
  for (size_t r = 0; r < session.runs.size(); ++r) {
    Run run(static_cast<int>(r), session.runs[r], data, session.seed);
    Outcome o;
    o.label = runLabel(session, static_cast<int>(r));
    run.evaluate();
    {
      RunSnapshot s;
      run.fillSnapshot(s);
      o.startLoss = s.eval->trainLoss;
    }
    double first = 0, last = 0;  // sums of log10
    int firstN = 0, lastN = 0;
    double lastSum = 0;
    for (int t = 0; t < steps; ++t) {
      if (!run.step()) {
        o.diverged = true;
        break;
      }
      ++o.steps;
      if (t >= steps - kWindow) {
        const float f = run.gradNorms().front(), l = run.gradNorms().back();
        if (f > 0) first += std::log10(f), ++firstN;
        if (l > 0) last += std::log10(l), ++lastN;
        lastSum += l;
      }
    }
    o.firstLast = firstN && lastN ? std::pow(10.0, first / firstN - last / lastN) : 0;
    o.lastGrad = lastSum / kWindow;
    if (!o.diverged && run.gradNorms().back() > 0)
      o.lastRatio = run.gradNorms().front() / run.gradNorms().back();
    o.clippedSteps = run.clippedSteps();
    run.evaluate();
    RunSnapshot s;
    run.fillSnapshot(s);
    o.eval = *s.eval;
    MlpCache<float> cache;
    run.net().forward(data->train.X, cache);
    o.layer1Mean = cache.front().a.mean();
    double zeros = 0, liveZeros = 0, saturated = 0, units = 0, live = 0;
    for (const auto& l : o.eval.layers) {
      zeros += l.sparsity * l.units;
      liveZeros += l.sparsity * l.units - l.dead;  // a dead unit is all zeros
      saturated += l.saturation * l.units;
      units += l.units;
      live += l.units - l.dead;
    }
    o.sparsity = zeros / units;
    o.layer1Sparsity = o.eval.layers.front().sparsity;
    o.liveSparsity = live > 0 ? liveZeros / live : 0;
    o.saturation = saturated / units;
    o.deadShare = static_cast<double>(o.eval.deadTotal) / o.eval.unitsTotal;
    out.push_back(o);
  }
  return out;
}

void print(const char* lesson, std::uint64_t seed, const Outcome& o) {
  std::printf(
      "[%s] seed %llu %-22s diverged=%d first/last=%.3g loss %.4f -> %.4f test acc %.3f "
      "dead %d/%d sparsity %.3f (live %.3f) saturation %.3f layer-1 mean %.3f\n",
      lesson, static_cast<unsigned long long>(seed), o.label.c_str(), o.diverged, o.firstLast,
      o.startLoss, o.eval.trainLoss, o.eval.testAccuracy, o.eval.deadTotal, o.eval.unitsTotal,
      o.sparsity, o.liveSparsity, o.saturation, o.layer1Mean);
}

// 1. Deep sigmoid on XOR: runs 0 sigmoid, 1 ReLU, the same N(0, 1) weights, SGD lr 0.001.
TEST(LessonClaims, DeepSigmoidVanishesWhereReluFromTheSameWeightsLearns) {
  const Preset preset = lessonPreset("01-deep-sigmoid");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = train(withSeed(preset.session, seed), horizon(preset));
    for (const auto& x : o) print("01", seed, x);
    const Outcome &sigmoid = o[0], &relu = o[1];
    ASSERT_FALSE(sigmoid.diverged);
    ASSERT_FALSE(relu.diverged);
    // The issue asked for < 1e-4; with N(0, 1) weights the large weights partly make up for
    // σ' ≤ 0.25 and the ratio is 1e-4 to 1e-3 (lesson 2 shows the pure 0.25¹⁰ case).
    // Measured at the horizon (step 2,000): sigmoid 1.73e-4 … 3.29e-3 (the screen's "hundreds
    // to thousands of times smaller"); ReLU 0.524 … 8.78; ReLU/sigmoid 365 … 7,600.
    EXPECT_LT(sigmoid.firstLast, 1e-2) << "seed " << seed;
    EXPECT_GT(relu.firstLast, 1e-2) << "seed " << seed;
    EXPECT_GT(relu.firstLast, 100 * sigmoid.firstLast) << "two decades apart, seed " << seed;
    // Sigmoid stalls at ln 2 ≈ 0.693 (guessing); ReLU learns. Measured whole-set loss:
    // sigmoid 0.6932 … 0.7022; ReLU 0.0012 … 0.4642 (seed 5 is slowest: accuracy 0.80).
    EXPECT_GT(sigmoid.eval.trainLoss, 0.69f) << "seed " << seed;
    EXPECT_LT(relu.eval.trainLoss, 0.5f) << "seed " << seed;
    EXPECT_LT(relu.eval.trainLoss, sigmoid.eval.trainLoss - 0.2f) << "seed " << seed;
  }
}

// 2. Why σ' ≤ 0.25: the derivative facts from the core table, and the preset's ten sigmoid
// layers with Xavier weights, where the ratio comes out at the 0.25¹⁰ scale.
TEST(LessonClaims, SigmoidDerivativeIsAtMostAQuarterAndTenOfThemMakeAMillionth) {
  EXPECT_DOUBLE_EQ(maxDerivative(Activation::Sigmoid, 0), 0.25);
  EXPECT_DOUBLE_EQ(activateDerivative(Activation::Sigmoid, 0, 0), 0.25);
  double seen = 0;
  for (double x = -12; x <= 12; x += 1e-3)
    seen = std::max(seen, activateDerivative(Activation::Sigmoid, x, 0));
  EXPECT_LE(seen, 0.25);
  const double ten = std::pow(0.25, 10);
  EXPECT_LT(ten, 1e-6);
  EXPECT_NEAR(ten, 9.5e-7, 0.05e-7);  // the lesson text's "0.25¹⁰ ≈ 9.5e-7"
  // tanh, the next lesson's contrast, reaches 1.
  EXPECT_DOUBLE_EQ(maxDerivative(Activation::Tanh, 0), 1.0);

  const Preset preset = lessonPreset("02-sigmoid-derivative");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = train(withSeed(preset.session, seed), horizon(preset));
    print("02", seed, o[0]);
    // Measured: 4.64e-8 … 1.01e-6, the 0.25¹⁰ ≈ 9.5e-7 scale.
    EXPECT_LT(o[0].firstLast, 1e-5) << "seed " << seed;
    EXPECT_GT(o[0].eval.trainLoss, 0.69f) << "seed " << seed;  // measured 0.6930 … 0.6932
  }
}

// 3. Sigmoid vs tanh vs ReLU from the same N(0, 1) weights.
//
// Not claimed, because it is false here: the issue expected tanh's first/last ratio below
// ReLU's. With these weights tanh's is ABOVE 1 (measured 1.56 … 9.18 vs ReLU 0.524 … 8.78):
// tanh' reaches 1 and the large weights more than make up for its saturated units. What holds
// is the rest of the lesson: tanh's gradients survive where sigmoid's vanish, its outputs are
// zero-centred, and it saturates.
TEST(LessonClaims, TanhIsZeroCentredAndSaturatesButKeepsItsGradient) {
  const Preset preset = lessonPreset("03-sigmoid-tanh-relu");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = train(withSeed(preset.session, seed), horizon(preset));
    for (const auto& x : o) print("03", seed, x);
    const Outcome &sigmoid = o[0], &tanh = o[1], &relu = o[2];
    // Measured first/last: sigmoid 1.73e-4 … 3.29e-3, tanh 1.56 … 9.18, ReLU 0.524 … 8.78.
    EXPECT_LT(sigmoid.firstLast, relu.firstLast / 100) << "seed " << seed;
    EXPECT_LT(sigmoid.firstLast, tanh.firstLast / 100) << "seed " << seed;
    // Zero-centred: layer 1's mean output. Measured: tanh |mean| ≤ 0.032, sigmoid 0.494 … 0.507.
    EXPECT_LT(std::abs(tanh.layer1Mean), 0.1) << "seed " << seed;
    EXPECT_GT(sigmoid.layer1Mean, 0.4) << "seed " << seed;
    EXPECT_LT(std::abs(tanh.layer1Mean), std::abs(sigmoid.layer1Mean)) << "seed " << seed;
    // Saturation (f' < 1% of its maximum). Measured: tanh 0.169 … 0.220 of all
    // pre-activations; sigmoid ≤ 0.010: its gradient vanishes without saturating, from
    // σ' ≤ 0.25 alone.
    EXPECT_GT(tanh.saturation, 0.1) << "seed " << seed;
    EXPECT_LT(sigmoid.saturation, tanh.saturation) << "seed " << seed;
    // tanh learns where sigmoid stalls. Measured loss: tanh 0.089 … 0.405, sigmoid ≥ 0.693.
    EXPECT_LT(tanh.eval.trainLoss, 0.5f) << "seed " << seed;
    EXPECT_GT(sigmoid.eval.trainLoss, 0.69f) << "seed " << seed;
  }
}

// 4. Dying ReLU: biases start at −0.75; ReLU, Leaky ReLU, PReLU, ELU from the same weights.
TEST(LessonClaims, NegativeBiasKillsReluUnitsButNotLeakyPreluOrElu) {
  const Preset preset = lessonPreset("04-dying-relu");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = train(withSeed(preset.session, seed), horizon(preset));
    for (const auto& x : o) print("04", seed, x);
    // Measured: ReLU 24/64 … 48/64 dead (37.5% … 75%).
    EXPECT_GE(o[0].deadShare, 0.25) << "seed " << seed;
    for (size_t r = 1; r < 4; ++r) {
      // A unit with a slope below zero can only die if f'(z) is exactly 0, which Leaky ReLU
      // (α = 0.2), PReLU (learned α, from 0.2) and ELU (α·e^z) never reach here. Measured: 0.
      EXPECT_EQ(o[r].eval.deadTotal, 0) << o[r].label << ", seed " << seed;
      EXPECT_FALSE(o[r].diverged) << o[r].label << ", seed " << seed;
      // And they learn. Measured whole-set loss: 0.0005 … 0.0205; ReLU 0.504 … 0.693.
      EXPECT_LT(o[r].eval.trainLoss, 0.1f) << o[r].label << ", seed " << seed;
      EXPECT_LT(o[r].eval.trainLoss, o[0].eval.trainLoss) << o[r].label << ", seed " << seed;
    }
  }
}

// 5. Sparsity: ReLU vs sigmoid from the same He weights, Adam; both learn the circle. The
// Activation panel follows the ReLU run's hidden layer 1 (its "exactly 0" line); the Neurons
// map tells sparse units (on for part of the samples) from dead ones (on for none).
TEST(LessonClaims, ReluOutputsAreSparseAndSigmoidsAreNot) {
  const Preset preset = lessonPreset("05-sparsity");
  ASSERT_EQ(preset.session.view.run, 0);
  ASSERT_EQ(preset.session.view.layer, 0);
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = train(withSeed(preset.session, seed), horizon(preset));
    for (const auto& x : o) print("05", seed, x);
    const Outcome &relu = o[0], &sigmoid = o[1];
    std::printf("[05] seed %llu ReLU layer 1: %.3f of outputs exactly 0\n",
                static_cast<unsigned long long>(seed), relu.layer1Sparsity);
    // "About half": measured layer 1 0.498 … 0.549; all layers 0.412 … 0.469, live units only
    // (dead units are all zeros and would flatter the number) 0.402 … 0.443.
    EXPECT_GE(relu.layer1Sparsity, 0.4) << "seed " << seed;
    EXPECT_LE(relu.layer1Sparsity, 0.6) << "seed " << seed;
    EXPECT_GE(relu.liveSparsity, 0.3) << "seed " << seed;
    // "At most a few of ReLU's 64 units die" ("none to three"): measured 0 … 3 dead.
    EXPECT_EQ(relu.eval.unitsTotal, 64);
    EXPECT_LE(relu.eval.deadTotal, 3) << "seed " << seed;
    EXPECT_EQ(sigmoid.sparsity, 0.0) << "seed " << seed;  // σ(z) > 0 for every finite z
    EXPECT_EQ(sigmoid.eval.deadTotal, 0) << "seed " << seed;
    // The Neurons map: sigmoid's cells at or near the bright end (on = f' ≥ 1% of its peak;
    // only saturation darkens them), ReLU's spread over the scale. Measured mean share of
    // samples a unit is on: sigmoid 0.957 … 0.992, ReLU 0.531 … 0.588; sigmoid's least active unit
    // 0.475 … 0.678.
    double sigmoidOn = 0, reluOn = 0, leastActive = 1;
    int sigmoidUnits = 0, reluUnits = 0;
    for (const auto& l : sigmoid.eval.layers)
      for (const auto& u : l.unitStats) {
        sigmoidOn += u.activeRate, ++sigmoidUnits;
        leastActive = std::min<double>(leastActive, u.activeRate);
      }
    for (const auto& l : relu.eval.layers)
      for (const auto& u : l.unitStats) reluOn += u.activeRate, ++reluUnits;
    sigmoidOn /= sigmoidUnits, reluOn /= reluUnits;
    std::printf(
        "[05] seed %llu units on for a mean share of samples: sigmoid %.3f, ReLU %.3f; "
        "sigmoid's least active unit %.3f\n",
        static_cast<unsigned long long>(seed), sigmoidOn, reluOn, leastActive);
    EXPECT_GE(sigmoidOn, 0.9) << "seed " << seed;
    EXPECT_LE(reluOn, 0.7) << "seed " << seed;
    // Both learn, so the difference is the code, not failure. Measured test accuracy ≥ 0.95.
    EXPECT_GE(relu.eval.testAccuracy, 0.9f) << "seed " << seed;
    EXPECT_GE(sigmoid.eval.testAccuracy, 0.9f) << "seed " << seed;
  }
}

// 6. ReLU's straight pieces bend the boundary around the spiral; without an activation the
// network is one linear map. The try-next button moves both to the circle.
TEST(LessonClaims, ReluBendsTheBoundaryAroundSpiralAndCircle) {
  const Preset preset = lessonPreset("06-relu-boundaries");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = train(withSeed(preset.session, seed), horizon(preset));
    for (const auto& x : o) print("06 spiral", seed, x);
    // Measured test accuracy: ReLU 0.958 … 0.967; linear 0.517 … 0.633.
    EXPECT_GE(o[0].eval.testAccuracy, 0.9f) << "seed " << seed;
    EXPECT_LE(o[1].eval.testAccuracy, 0.7f) << "seed " << seed;
  }
  const auto lessons = loadLessons(std::string(GRADSCOPE_ASSETS_DIR) + "/lessons/en.json");
  const auto it = std::find_if(lessons.begin(), lessons.end(),
                               [](const Lesson& l) { return l.id == "06-relu-boundaries"; });
  ASSERT_NE(it, lessons.end());
  const SessionConfig circle = applyTryNext(preset.session, *it);
  ASSERT_EQ(circle.data.kind, DatasetKind::Circle);
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = train(withSeed(circle, seed), 1000);
    for (const auto& x : o) print("06 circle", seed, x);
    // Measured test accuracy: ReLU 1.000 on every seed; linear 0.333 … 0.608 (a line cannot
    // separate a disc from its ring).
    EXPECT_GE(o[0].eval.testAccuracy, 0.95f) << "seed " << seed;
    EXPECT_LE(o[1].eval.testAccuracy, 0.75f) << "seed " << seed;
  }
}

// 7. Initialization with depth: 20 layers of 16, ReLU with N(0, 1) / Xavier / He, and tanh
// with Xavier; SGD lr 0.01.
//
// The issue's framing was "He keeps the first/last ratio within ~2 decades while N(0, 1)
// explodes or vanishes". Measured honestly, the first ratio is within 2 decades for EVERY
// ReLU init (step 1: N(0, 1) 0.107 … 0.925, Xavier 0.448 … 5.87, He 0.181 … 2.88): a wrong
// scale multiplies every layer's gradient alike, so it shows in the level of all the lines,
// not in their spread. That level is what is checked.
TEST(LessonClaims, InitScaleSetsTheGradientLevelOfADeepReluNet) {
  const Preset preset = lessonPreset("07-init-depth");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const SessionConfig session = withSeed(preset.session, seed);
    const auto data = makeSessionData(session);
    const FlushDenormals flush;
    std::vector<float> lo, hi, ratio, rms;
    std::vector<long> divergedAt;
    for (size_t r = 0; r < session.runs.size(); ++r) {
      gradscope::Run run(static_cast<int>(r), session.runs[r], data, session.seed);
      MlpCache<float> cache;
      run.net().forward(data->train.X, cache);
      const auto& a = cache[cache.size() - 2].a;  // the last hidden layer
      rms.push_back(std::sqrt(a.squaredNorm() / static_cast<float>(a.size())));
      run.step();  // the gradients at the initial weights
      const auto& g = run.gradNorms();
      lo.push_back(*std::min_element(g.begin(), g.end()));
      hi.push_back(*std::max_element(g.begin(), g.end()));
      ratio.push_back(g.front() / g.back());
      long at = 0;
      for (long t = 1; t < 200 && !at; ++t)
        if (!run.step()) at = t + 1;
      divergedAt.push_back(at);
      std::printf(
          "[07] seed %llu %-14s step-1 gradient norms %.3g … %.3g, first/last %.3g, last hidden "
          "RMS %.3g, diverged at step %ld (0: not within 200)\n",
          static_cast<unsigned long long>(seed), session.runs[r].label.c_str(), lo.back(),
          hi.back(), ratio.back(), rms.back(), at);
    }
    // N(0, 1): the signal grows ≈ 2.8× per layer. Measured: every layer's gradient norm
    // 7.1e6 … 3.6e8, last hidden RMS 1.4e7 … 2.4e8, SGD diverges at step 2 on every seed.
    EXPECT_GT(lo[0], 1e4f) << "seed " << seed;
    EXPECT_GT(rms[0], 1e4f) << "seed " << seed;
    EXPECT_GT(divergedAt[0], 0) << "N(0, 1) should blow up, seed " << seed;
    // Xavier under ReLU: the signal's power halves per layer. Measured: gradient norms
    // 2.2e-6 … 2.5e-4, last hidden RMS 1.7e-5 … 2.9e-4.
    EXPECT_LT(hi[1], 1e-3f) << "seed " << seed;
    EXPECT_LT(rms[1], 1e-3f) << "seed " << seed;
    // He: every layer's gradient at a healthy level, first/last within two decades.
    // Measured: gradient norms 3.2e-3 … 0.44, first/last 0.181 … 2.88, last hidden RMS
    // 0.036 … 0.62.
    EXPECT_GT(lo[2], 1e-3f) << "seed " << seed;
    EXPECT_LT(hi[2], 10.0f) << "seed " << seed;
    EXPECT_GT(ratio[2], 1e-2f) << "seed " << seed;
    EXPECT_LT(ratio[2], 1e2f) << "seed " << seed;
    EXPECT_GT(rms[2], 1e-2f) << "seed " << seed;
    EXPECT_EQ(divergedAt[2], 0) << "seed " << seed;
    // Tanh with Xavier, the pairing Xavier was derived for. Measured: gradient norms
    // 2.9e-3 … 5.4e-2, last hidden RMS 0.040 … 0.128.
    EXPECT_GT(lo[3], 1e-3f) << "seed " << seed;
    EXPECT_GT(rms[3], 1e-2f) << "seed " << seed;
    // At the horizon (step 400, where the screen pauses): Xavier with ReLU has not left 0.69,
    // He and tanh with Xavier have lowered the loss. Whole-set loss, measured: Xavier + ReLU
    // 0.688 … 0.693, He 0.030 … 0.640, tanh + Xavier 0.27 … 0.61.
    const auto o = train(session, horizon(preset));
    for (const auto& x : o) print("07", seed, x);
    EXPECT_GT(o[1].eval.trainLoss, 0.68f) << "seed " << seed;
    EXPECT_LT(o[2].eval.trainLoss, o[1].eval.trainLoss - 0.02f) << "seed " << seed;
    EXPECT_LT(o[3].eval.trainLoss, o[1].eval.trainLoss - 0.02f) << "seed " << seed;
  }
}

// 8. Optimizers, round 1: SGD (lr 0.1), SGD + momentum 0.9 (lr 0.1), Adam (0.001), RMSprop
// (0.01) on the spiral from the same weights. Checked at 1,000 steps, while they still differ:
// by 2,000 steps plain SGD has nearly caught up (Adam ahead on 9 of 10 seeds, not all).
TEST(LessonClaims, EveryOptimizerLowersTheLossAndAdamBeatsPlainSgdAtEqualSteps) {
  const Preset preset = lessonPreset("08-optimizers");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = train(withSeed(preset.session, seed), horizon(preset));
    for (const auto& x : o) print("08", seed, x);
    for (const auto& x : o) {
      EXPECT_FALSE(x.diverged) << x.label << ", seed " << seed;
      // Measured: from 0.660 … 0.753 down to 0.017 (RMSprop) … 0.602 (plain SGD, the
      // slowest: at most 0.85 of its start).
      EXPECT_LT(x.eval.trainLoss, 0.9f * x.startLoss) << x.label << ", seed " << seed;
    }
    // Measured whole-set loss at 1,000 steps: SGD 0.437 … 0.602, Adam 0.343 … 0.482
    // (smallest gap 0.081); momentum 0.067 … 0.114 and RMSprop 0.017 … 0.086.
    EXPECT_LT(o[2].eval.trainLoss, o[0].eval.trainLoss - 0.03f) << "seed " << seed;
  }
}

// 8b. Optimizers, round 2: Adagrad, Adadelta, Rprop, LBFGS, all on full batches.
TEST(LessonClaims, AdagradAdadeltaRpropAndLbfgsAllLowerTheLoss) {
  const Preset preset = lessonPreset("08b-optimizers");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o =
        train(withSeed(preset.session, seed), horizon(preset));  // LBFGS: ≤ 25 evaluations a step
    for (const auto& x : o) print("08b", seed, x);
    for (const auto& x : o) {
      EXPECT_FALSE(x.diverged) << x.label << ", seed " << seed;
      // Measured at 200 steps, from 0.660 … 0.753: Adagrad 0.438 … 0.515, Adadelta
      // 0.490 … 0.562 (at most 0.78 of the start), Rprop ≤ 0.025, LBFGS ≤ 0.0037.
      EXPECT_LT(x.eval.trainLoss, 0.9f * x.startLoss) << x.label << ", seed " << seed;
    }
    // Rprop and LBFGS, which see the whole set's curvature or sign, fit it first.
    EXPECT_LT(o[2].eval.trainLoss, o[0].eval.trainLoss) << "seed " << seed;
    EXPECT_LT(o[3].eval.trainLoss, o[0].eval.trainLoss) << "seed " << seed;
    // "Close to 0 within those 200 steps" (measured above: Rprop ≤ 0.025, LBFGS ≤ 0.0037).
    EXPECT_LT(o[2].eval.trainLoss, 0.05f) << "seed " << seed;
    EXPECT_LT(o[3].eval.trainLoss, 0.01f) << "seed " << seed;
  }
}

// 10. Maxout (k = 2) against ReLU from lesson 4's weights and −0.75 biases.
TEST(LessonClaims, MaxoutUnitsNeverDieWhereReluUnitsDo) {
  const Preset preset = lessonPreset("10-maxout");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = train(withSeed(preset.session, seed), horizon(preset));
    for (const auto& x : o) print("10", seed, x);
    const Outcome &relu = o[0], &maxout = o[1];
    // "Between a third and three quarters of its 64 units". Measured: 24 … 48 of 64.
    EXPECT_GE(relu.deadShare, 1.0 / 3) << "seed " << seed;
    EXPECT_LE(relu.deadShare, 0.75) << "seed " << seed;
    // One piece always wins with slope 1. Measured: 0 dead on every seed.
    EXPECT_EQ(maxout.eval.deadTotal, 0) << "seed " << seed;
    EXPECT_FALSE(maxout.diverged) << "seed " << seed;
    // Maxout learns XOR; ReLU stays near 0.69 or learns part of it. Measured whole-set loss:
    // Maxout 0.0007 … 0.0037, ReLU 0.50 … 0.69.
    EXPECT_LT(maxout.eval.trainLoss, 0.05f) << "seed " << seed;
    EXPECT_GT(relu.eval.trainLoss, 0.4f) << "seed " << seed;
    EXPECT_GE(maxout.eval.testAccuracy, 0.95f) << "seed " << seed;
  }
}

// 11. tanh vs sigmoid, zero-centring: the same Xavier weights, plain SGD on one sample a step.
// The view is Gradient flow's sign agreement (core/measure.h), one line per layer, smoothed
// geometrically like the other measures: here the mean of log10 over the last kWindow steps
// before the horizon.
TEST(LessonClaims, SigmoidsPositiveOutputsGiveEachUnitsUpdatesOneSign) {
  const Preset preset = lessonPreset("11-zero-centring");
  ASSERT_EQ(preset.session.view.measure, 3);  // sign_agreement
  const int steps = horizon(preset);
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const SessionConfig session = withSeed(preset.session, seed);
    const auto data = makeSessionData(session);
    const FlushDenormals flush;
    std::vector<std::vector<double>> agreement;  // per run, per layer
    std::vector<float> loss, testAccuracy;
    for (size_t r = 0; r < session.runs.size(); ++r) {
      gradscope::Run run(static_cast<int>(r), session.runs[r], data, session.seed);
      std::vector<double> sum(static_cast<size_t>(run.net().layerCount()), 0.0);
      std::vector<int> count(sum.size(), 0);
      for (int t = 0; t < steps; ++t) {
        ASSERT_TRUE(run.step()) << session.runs[r].label << ", seed " << seed;
        if (t < steps - kWindow) continue;
        for (size_t l = 0; l < sum.size(); ++l)
          if (const float a = run.signAgreements()[l]; a > 0) sum[l] += std::log10(a), ++count[l];
      }
      std::vector<double> mean(sum.size(), 0.0);
      for (size_t l = 0; l < sum.size(); ++l)
        mean[l] = count[l] ? std::pow(10.0, sum[l] / count[l]) : 0.0;
      agreement.push_back(mean);
      run.evaluate();
      RunSnapshot s;
      run.fillSnapshot(s);
      loss.push_back(s.eval->trainLoss);
      testAccuracy.push_back(s.eval->testAccuracy);
      std::printf("[11] seed %llu %-8s sign agreement per layer:",
                  static_cast<unsigned long long>(seed), session.runs[r].label.c_str());
      for (double a : mean) std::printf(" %.3f", a);
      std::printf("; whole-set loss %.4f, test accuracy %.3f\n", loss.back(), testAccuracy.back());
    }
    const auto &sigmoid = agreement[0], &tanh = agreement[1];
    // Every layer after the first takes sigmoid outputs: all positive, so for one sample each
    // unit's weight gradients have its dL/dz's sign. Measured: 1.000 at layers 2 to 4 on every
    // seed.
    for (size_t l = 1; l < sigmoid.size(); ++l) {
      EXPECT_GT(sigmoid[l], 0.99) << "layer " << l + 1 << ", seed " << seed;
      // tanh's outputs have both signs ("between 0.1 and 0.35"). Measured: 0.144 … 0.309.
      EXPECT_GT(tanh[l], 0.1) << "layer " << l + 1 << ", seed " << seed;
      EXPECT_LT(tanh[l], 0.35) << "layer " << l + 1 << ", seed " << seed;
    }
    // Layer 1 takes the data's two coordinates: one sample's two gradients share a sign (1) or
    // cancel (0), alike in both networks, so its line wanders around one half and says nothing
    // here. Not claimed.
    //
    // By the horizon sigmoid is still guessing while tanh has learned XOR. Measured whole-set
    // loss: sigmoid 0.6928 … 0.7244, tanh 0.052 … 0.182; test accuracy: sigmoid 0.463 … 0.525,
    // tanh 0.962 … 0.975. The sanitizer build (no -march=native: other rounding, another
    // trajectory) gave tanh 0.284 and 0.925 on seed 5, hence "below 0.3" and "past 90%".
    EXPECT_GT(loss[0], 0.68f) << "seed " << seed;
    EXPECT_LE(testAccuracy[0], 0.6f) << "seed " << seed;
    EXPECT_LT(loss[1], 0.3f) << "seed " << seed;
    EXPECT_GT(testAccuracy[1], 0.9f) << "seed " << seed;
  }
}

// The try-next buttons show what their lessons promise (the English file; the test in
// tests/train/lesson_test.cpp checks that Korean's buttons make the same changes).
TEST(LessonClaims, TryNextButtonsShowWhatTheyPromise) {
  const auto lessons = loadLessons(std::string(GRADSCOPE_ASSETS_DIR) + "/lessons/en.json");
  auto changed = [&](const std::string& id) {
    for (const Lesson& l : lessons)
      if (l.id == id) return applyTryNext(lessonPreset(id).session, l);
    ADD_FAILURE() << "no lesson " << id;
    return SessionConfig{};
  };
  const SessionConfig tanh = changed("02-sigmoid-derivative");
  const SessionConfig zeroBias = changed("04-dying-relu");
  const SessionConfig leaky = changed("05-sparsity");
  const SessionConfig adam = changed("07-init-depth");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    // 2: tanh's f' reaches 1 and the ratio is back near 1. Measured: 0.188 … 4.0.
    const auto t = train(withSeed(tanh, seed), 2000);
    print("02 next", seed, t[0]);
    EXPECT_GT(t[0].firstLast, 1e-2) << "seed " << seed;
    // 4: with zero biases the ReLU run keeps its units. Measured: 3 … 9 of 64 dead, loss
    // 0.0014 … 0.0163.
    const auto z = train(withSeed(zeroBias, seed), 2000);
    print("04 next", seed, z[0]);
    EXPECT_LT(z[0].deadShare, 0.25) << "seed " << seed;
    EXPECT_LT(z[0].eval.trainLoss, 0.1f) << "seed " << seed;
    // 5: Leaky ReLU never outputs an exact 0. Measured: 0.
    const auto l = train(withSeed(leaky, seed), 500);
    print("05 next", seed, l[0]);
    EXPECT_EQ(l[0].sparsity, 0.0) << "seed " << seed;
    // 7: Adam's per-weight step does not scale with the gradient, so the N(0, 1) network that
    // SGD blew up trains. Measured at 2,000 steps: test accuracy 0.962 … 0.988, loss from
    // 1.7e7 … 3.2e8 down to 0 … 1.3e3.
    SessionConfig first = withSeed(adam, seed);
    first.runs.resize(1);
    const auto a = train(first, 2000);
    print("07 next", seed, a[0]);
    EXPECT_FALSE(a[0].diverged) << "seed " << seed;
    EXPECT_GT(a[0].eval.testAccuracy, 0.9f) << "seed " << seed;
  }
}

// 9. The cost of exp: measured on this machine. Eigen vectorizes exp and tanh, so sigmoid and
// tanh cost only a few times ReLU here (measured on the build machine, 2 cores with AVX-512,
// over several runs: ReLU 0.095 … 0.157, tanh 0.23 … 0.33, sigmoid 0.31 … 0.32 ns per element). The
// margin asked (0.8×) is generous because timing varies with load; best-of-5 rounds keeps noise
// one-sided.
TEST(LessonClaims, SigmoidAndTanhCostMorePerElementThanRelu) {
  // The fastest of three measurements, each given more time than the app's: on a loaded
  // machine noise only ever adds time.
  auto costs = measureActivationCosts(0.1);
  for (int again = 0; again < 2; ++again) {
    const auto more = measureActivationCosts(0.1);
    for (size_t i = 0; i < costs.size(); ++i)
      costs[i].nsPerElement = std::min(costs[i].nsPerElement, more[i].nsPerElement);
  }
  auto ns = [&](Activation a) {
    for (const auto& c : costs)
      if (c.activation == a) return c.nsPerElement;
    return 0.0;
  };
  std::printf("[09] ns per element: ReLU %.3f, sigmoid %.3f, tanh %.3f\n", ns(Activation::ReLU),
              ns(Activation::Sigmoid), ns(Activation::Tanh));
  EXPECT_LT(ns(Activation::ReLU), 0.8 * ns(Activation::Sigmoid));
  EXPECT_LT(ns(Activation::ReLU), 0.8 * ns(Activation::Tanh));
}

// The lessons on the cures (12–15) compare two runs from the same weights, without and with
// the cure, and are checked at their view's horizon, where training pauses and the screen stays;
// each preset's eval_every divides its horizon, so the Loss panel's last point is that step.
// Networks of more than a dozen layers show as a heat map whose first/last readout is the last
// step's ratio (Outcome::lastRatio); the lines' is smoothed, near the kWindow average.
void printCure(const char* lesson, std::uint64_t seed, const Outcome& o) {
  print(lesson, seed, o);
  std::printf(
      "[%s] seed %llu %-22s steps %ld, clipped %ld, last step's first/last %.3g, last-layer "
      "gradient %.3g, accuracy train %.3f test %.3f, loss test %.4f (test − train %.4f)\n",
      lesson, static_cast<unsigned long long>(seed), o.label.c_str(), o.steps, o.clippedSteps,
      o.lastRatio, o.lastGrad, o.eval.trainAccuracy, o.eval.testAccuracy, o.eval.testLoss,
      o.eval.testLoss - o.eval.trainLoss);
}

std::vector<Outcome> trainToHorizon(const Preset& preset, std::uint64_t seed) {
  const long horizon = preset.session.view.horizon;
  EXPECT_GT(horizon, 0);
  EXPECT_EQ(horizon % preset.session.evalEvery, 0) << "the last evaluation is at the horizon";
  return train(withSeed(preset.session, seed), static_cast<int>(horizon));
}

// 12. Batch normalization: twenty sigmoid layers of ten, Xavier weights, SGD lr 0.1, 2,000
// steps; run 0 plain, run 1 with BatchNorm1d before every sigmoid.
TEST(LessonClaims, BatchNormRescuesATwentyLayerSigmoidNetworkFromTheSameWeights) {
  const Preset preset = lessonPreset("12-batch-norm");
  ASSERT_EQ(preset.session.view.horizon, 2000);
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = trainToHorizon(preset, seed);
    for (const auto& x : o) printCure("12", seed, x);
    const Outcome &plain = o[0], &bn = o[1];
    ASSERT_FALSE(plain.diverged);
    ASSERT_FALSE(bn.diverged);
    // Twenty factors σ'(z)·W: layer 1 gets ~1e-13 of the last layer's gradient. Measured:
    // averaged 6.2e-14 … 2.6e-13, last step 6.2e-14 … 3.3e-13. BatchNorm: averaged 1.9 … 2.7,
    // last step 1.02 … 8.18 (layer 1 as large as the last, or larger).
    EXPECT_LT(plain.firstLast, 1e-11) << "seed " << seed;
    EXPECT_LT(plain.lastRatio, 1e-11) << "seed " << seed;
    EXPECT_GT(bn.firstLast, 0.5) << "seed " << seed;
    EXPECT_GT(bn.lastRatio, 0.5) << "seed " << seed;
    EXPECT_LT(bn.lastRatio, 20) << "seed " << seed;
    // The plain network guesses (ln 2); the normalized one learns XOR. Measured loss: plain
    // 0.6930 … 0.6932, BatchNorm 0.131 … 0.289; test accuracy: plain 0.463 … 0.500,
    // BatchNorm 0.887 … 0.975 (the sanitizer build, no -march=native: 0.85 on seed 3).
    EXPECT_GT(plain.eval.trainLoss, 0.69f) << "seed " << seed;
    EXPECT_LT(plain.eval.testAccuracy, 0.55f) << "seed " << seed;
    EXPECT_LT(bn.eval.trainLoss, 0.35f) << "seed " << seed;
    EXPECT_GT(bn.eval.testAccuracy, 0.8f) << "seed " << seed;
  }
}

// 13. Residual connections: fifty ReLU layers of ten, He weights, LayerNorm in both, SGD lr
// 0.01, 2,000 steps; run 0 plain, run 1 with a skip around every layer after the first.
TEST(LessonClaims, ResidualConnectionsLetFiftyLayersTrainWhereThePlainFirstLayersStarve) {
  const Preset preset = lessonPreset("13-residual");
  ASSERT_EQ(preset.session.view.horizon, 2000);
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = trainToHorizon(preset, seed);
    for (const auto& x : o) printCure("13", seed, x);
    const Outcome &plain = o[0], &res = o[1];
    ASSERT_FALSE(plain.diverged);
    ASSERT_FALSE(res.diverged);
    // Measured first/last, plain: averaged 5.9e-7 … 6.3e-3, last step 5.7e-6 … 5.4e-4 (with
    // layer norm the plain net's gradient is uneven, so it varies by seed, but always more than
    // two decades down); residual: averaged 0.44 … 0.67, last step 0.37 … 6.9.
    EXPECT_LT(plain.firstLast, 1e-2) << "seed " << seed;
    EXPECT_LT(plain.lastRatio, 1e-3) << "seed " << seed;
    EXPECT_GT(res.firstLast, 0.2) << "seed " << seed;
    EXPECT_GT(res.lastRatio, 0.1) << "seed " << seed;
    // Measured loss: plain 0.6920 … 0.6932 (test accuracy 0.463 … 0.500), residual
    // 0.0010 … 0.0164 (test accuracy 0.962 … 1.000).
    EXPECT_GT(plain.eval.trainLoss, 0.69f) << "seed " << seed;
    EXPECT_LT(plain.eval.testAccuracy, 0.55f) << "seed " << seed;
    EXPECT_LT(res.eval.trainLoss, 0.05f) << "seed " << seed;
    EXPECT_GT(res.eval.testAccuracy, 0.9f) << "seed " << seed;
  }
}

// 14. Gradient clipping: lesson 7's N(0, 1) ReLU network (twenty layers of sixteen, SGD lr
// 0.01), 1,000 steps; run 0 unclipped, run 1 clipped at norm 1.
TEST(LessonClaims, ClippingTamesTheExplodingGradientsOfADeepNormalInitReluNetwork) {
  const Preset preset = lessonPreset("14-clipping");
  ASSERT_EQ(preset.session.view.horizon, 1000);
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = trainToHorizon(preset, seed);
    for (const auto& x : o) printCure("14", seed, x);
    const Outcome &raw = o[0], &clipped = o[1];
    // Unclipped, the first step's update (lr × a gradient of 1e7 … 1e8) makes the second
    // step's loss NaN: "diverged at step 2" on every seed. Measured: 1 step taken on each.
    EXPECT_TRUE(raw.diverged) << "seed " << seed;
    EXPECT_EQ(raw.steps, 1) << "seed " << seed;
    // Clipped: never diverges; clipping acts on most steps, because the gradients the chart
    // shows (before clipping) stay enormous. Measured: clipped on 827 … 930 of 1,000 steps;
    // last-layer gradient 2.7e5 … 5.0e7 at the end.
    EXPECT_FALSE(clipped.diverged) << "seed " << seed;
    EXPECT_EQ(clipped.steps, 1000) << "seed " << seed;
    EXPECT_GT(clipped.clippedSteps, 700) << "seed " << seed;
    EXPECT_GT(clipped.lastGrad, 1e4) << "seed " << seed;
    // And it learns XOR all the same. Measured: accuracy train 0.947 … 0.991, test
    // 0.925 … 0.975 (the sanitizer build, no -march=native: 0.90 on seed 2); loss from
    // 1.7e7 … 3.2e8 down to 1.7e3 … 2.5e5 (outputs are still huge).
    EXPECT_GT(clipped.eval.trainAccuracy, 0.9f) << "seed " << seed;
    EXPECT_GT(clipped.eval.testAccuracy, 0.85f) << "seed " << seed;
    EXPECT_LT(clipped.eval.trainLoss, 0.01f * clipped.startLoss) << "seed " << seed;
  }
}

// 15. Dropout: two layers of 128 ReLU units, Adam lr 0.001, on 50 noisy two-moons training
// points with 150 held out, 3,000 steps; run 0 without dropout, run 1 with p = 0.5.
TEST(LessonClaims, DropoutNarrowsTheTrainTestGapOfAWideNetOnASmallNoisySet) {
  const Preset preset = lessonPreset("15-dropout");
  ASSERT_EQ(preset.session.view.horizon, 3000);
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = trainToHorizon(preset, seed);
    for (const auto& x : o) printCure("15", seed, x);
    const Outcome &plain = o[0], &drop = o[1];
    const float plainGap = plain.eval.testLoss - plain.eval.trainLoss;
    const float dropGap = drop.eval.testLoss - drop.eval.trainLoss;
    // Without dropout the net fits the training set, noise included. Measured: training loss
    // 0.0005 … 0.041, accuracy 0.98 … 1.00; test loss 1.46 … 6.48.
    EXPECT_LT(plain.eval.trainLoss, 0.1f) << "seed " << seed;
    EXPECT_GT(plain.eval.trainAccuracy, 0.95f) << "seed " << seed;
    // Measured test − training loss: without dropout 1.42 … 6.44, with 0.32 … 1.55; the
    // dropout run's gap is 0.23 … 0.45 of the other's.
    EXPECT_GT(plainGap, 1.0f) << "seed " << seed;
    EXPECT_LT(dropGap, 0.6f * plainGap) << "seed " << seed;
    // The dashed test-loss curves themselves. Measured: with dropout 0.56 … 1.64, 0.25 … 0.47
    // of the other run's.
    EXPECT_LT(drop.eval.testLoss, 0.6f * plain.eval.testLoss) << "seed " << seed;
    // Dropout's test accuracy is about as good or better. Measured: without 0.700 … 0.827,
    // with 0.747 … 0.827 (never worse); in the sanitizer build (no -march=native, so other
    // rounding and another trajectory) seed 3 gave 0.807 against 0.820.
    EXPECT_GE(drop.eval.testAccuracy, plain.eval.testAccuracy - 0.03f) << "seed " << seed;
  }
}

// The cures' try-next buttons (English file; lesson_test checks Korean's make the same changes).
TEST(LessonClaims, CureTryNextButtonsShowSomethingFurther) {
  const auto lessons = loadLessons(std::string(GRADSCOPE_ASSETS_DIR) + "/lessons/en.json");
  auto changed = [&](const std::string& id) {
    for (const Lesson& l : lessons)
      if (l.id == id) return applyTryNext(lessonPreset(id).session, l);
    ADD_FAILURE() << "no lesson " << id;
    return SessionConfig{};
  };
  auto only = [](SessionConfig s, size_t run) {
    s.runs = {s.runs[run]};
    return s;
  };
  const SessionConfig layerNorm = only(changed("12-batch-norm"), 1);
  const SessionConfig noNorm = only(changed("13-residual"), 1);
  const SessionConfig he = only(changed("14-clipping"), 0);
  const SessionConfig moreData = changed("15-dropout");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    // 12: LayerNorm normalizes each sample over its ten units, not each unit over the batch,
    // and does not rescue this network. Measured: first/last 7.9e-10 … 1.2e-8 (last step),
    // loss 0.693, test accuracy ≤ 0.500.
    const auto ln = train(withSeed(layerNorm, seed), 2000);
    printCure("12 next", seed, ln[0]);
    EXPECT_LT(ln[0].lastRatio, 1e-6) << "seed " << seed;
    EXPECT_GT(ln[0].eval.trainLoss, 0.69f) << "seed " << seed;
    // 13: without a norm the skips add up fifty ReLU branches and the loss overflows: diverged
    // at step 2 on every seed (measured: 1 step).
    const auto res = train(withSeed(noNorm, seed), 2000);
    printCure("13 next", seed, res[0]);
    EXPECT_TRUE(res[0].diverged) << "seed " << seed;
    // 14: He's scale removes the cause; plain SGD learns without clipping. Measured at 1,000
    // steps: training accuracy 0.991 … 1.000, test loss 0.0013 … 0.059.
    const auto h = train(withSeed(he, seed), 1000);
    printCure("14 next", seed, h[0]);
    EXPECT_FALSE(h[0].diverged) << "seed " << seed;
    EXPECT_GT(h[0].eval.trainAccuracy, 0.95f) << "seed " << seed;
    // 15: with 500 training points neither run can memorise them. Measured test − training
    // loss: without dropout 0.054 … 0.239, with −0.013 … 0.079 (the original set: 1.42 … 6.44).
    const auto more = train(withSeed(moreData, seed), 3000);
    for (const auto& x : more) printCure("15 next", seed, x);
    for (const auto& x : more)
      EXPECT_LT(x.eval.testLoss - x.eval.trainLoss, 0.5f) << x.label << ", seed " << seed;
  }
}

// Lessons 16 and 17 train on Fashion-MNIST (skipped without the dataset-fashion-mnist package),
// on fewer images and steps than the app shows, so that each stays within seconds here.
struct ImageOutcome {
  double moved = 0;  // ‖W₁ − W₁(start)‖ / ‖W₁(start)‖, as the weights view shows it
  float testAccuracy = 0;  // all 10,000 test images
  double saturation = 0;   // share of saturated pre-activations, all hidden layers
};

std::vector<ImageOutcome> trainImages(const char* lesson, SessionConfig session, std::uint64_t seed,
                                      int images, int steps) {
  session.seed = seed;
  session.data.trainImages = images;
  const FlushDenormals flush;
  const auto data = makeSessionData(session);
  std::vector<ImageOutcome> out;
  for (size_t r = 0; r < session.runs.size(); ++r) {
    gradscope::Run run(static_cast<int>(r), session.runs[r], data, session.seed);
    for (int t = 0; t < steps; ++t) EXPECT_TRUE(run.step()) << "step " << t;
    run.evaluate();
    RunSnapshot s;
    run.fillSnapshot(s);
    ImageOutcome o;
    o.moved = run.inputWeightsMoved();
    EXPECT_FLOAT_EQ(s.inputWeightsMoved, run.inputWeightsMoved()) << "the snapshot shows it";
    o.testAccuracy = s.eval->testAccuracy;
    double saturated = 0, units = 0;
    for (const auto& l : s.eval->layers) saturated += l.saturation * l.units, units += l.units;
    o.saturation = saturated / units;
    std::printf("[%s] seed %llu %-8s weights moved %.4f test acc %.3f saturation %.3f\n", lesson,
                static_cast<unsigned long long>(seed),
                runLabel(session, static_cast<int>(r)).c_str(), o.moved,
                static_cast<double>(o.testAccuracy), o.saturation);
    out.push_back(o);
  }
  return out;
}

bool fashionMnistInstalled() {
  return std::filesystem::exists("/usr/share/datasets/fashion-mnist");
}

// 16. Five sigmoid vs five ReLU layers on Fashion-MNIST from the same Xavier weights, SGD.
TEST(LessonClaims, SigmoidFirstLayerWeightsStayNoiseWhereRelusMove) {
  if (!fashionMnistInstalled()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const Preset preset = lessonPreset("16-images-sigmoid-relu");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = trainImages("16", preset.session, seed, 2000, 600);
    const ImageOutcome &sigmoid = o[0], &relu = o[1];
    // 600 steps of 32 on 2,000 images. Measured first-layer movement: sigmoid 0.0089 … 0.0147,
    // ReLU 0.558 … 0.586 (≥ 39× sigmoid's).
    EXPECT_LT(sigmoid.moved, 0.05) << "sigmoid's weight images stay as they started, seed " << seed;
    EXPECT_GT(relu.moved, 0.3) << "seed " << seed;
    EXPECT_GT(relu.moved, 10 * sigmoid.moved) << "seed " << seed;
    // Measured test accuracy: sigmoid 0.100 (chance) on every seed, ReLU 0.744 … 0.766.
    EXPECT_LT(sigmoid.testAccuracy, 0.2f) << "seed " << seed;
    EXPECT_GT(relu.testAccuracy, 0.7f) << "seed " << seed;
  }
}

// 17. Tanh at depth on Fashion-MNIST: N(0, 1) vs Xavier weights, SGD.
TEST(LessonClaims, XavierLearnsImagesWhereUnitNormalWeightsSaturate) {
  if (!fashionMnistInstalled()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const Preset preset = lessonPreset("17-images-init");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto o = trainImages("17", preset.session, seed, 2000, 600);
    const ImageOutcome &normal = o[0], &xavier = o[1];
    // 600 steps of 32 on 2,000 images. Measured saturated share of hidden pre-activations:
    // N(0, 1) 0.787 … 0.825, Xavier 0.011 … 0.013.
    EXPECT_GT(normal.saturation, 0.6) << "seed " << seed;
    EXPECT_LT(xavier.saturation, 0.1) << "seed " << seed;
    // Measured test accuracy: N(0, 1) 0.361 … 0.521, Xavier 0.739 … 0.805 (≥ 0.22 ahead).
    EXPECT_LT(normal.testAccuracy, 0.6f) << "seed " << seed;
    EXPECT_GT(xavier.testAccuracy, 0.7f) << "seed " << seed;
    EXPECT_GT(xavier.testAccuracy, normal.testAccuracy + 0.15f) << "seed " << seed;
  }
}

// The image lessons' try-next buttons: Adam's per-weight steps do not shrink with the gradient,
// so sigmoid's first layer moves; He normal, scaled by fan-in like Xavier, unsaturates tanh.
TEST(LessonClaims, ImageLessonsTryNextButtonsShowWhatTheyPromise) {
  if (!fashionMnistInstalled()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto lessons = loadLessons(std::string(GRADSCOPE_ASSETS_DIR) + "/lessons/en.json");
  auto changedFirstRun = [&](const std::string& id) {
    for (const Lesson& l : lessons)
      if (l.id == id) {
        SessionConfig s = applyTryNext(lessonPreset(id).session, l);
        s.runs.resize(1);
        return s;
      }
    ADD_FAILURE() << "no lesson " << id;
    return SessionConfig{};
  };
  const SessionConfig adam = changedFirstRun("16-images-sigmoid-relu");
  const SessionConfig he = changedFirstRun("17-images-init");
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const auto a = trainImages("16 next", adam, seed, 2000, 600);
    const auto h = trainImages("17 next", he, seed, 2000, 600);
    // Sigmoid with Adam, 600 steps. Measured: moved 1.78 … 2.18 (SGD: ≤ 0.015), test accuracy
    // 0.296 … 0.522 (SGD: 0.100, chance).
    EXPECT_GT(a[0].moved, 1.0) << "seed " << seed;
    EXPECT_GT(a[0].testAccuracy, 0.2f) << "seed " << seed;
    // Tanh from He normal. Measured: saturation 0.026 … 0.032, test accuracy 0.716 … 0.797.
    EXPECT_LT(h[0].saturation, 0.1) << "seed " << seed;
    EXPECT_GT(h[0].testAccuracy, 0.65f) << "seed " << seed;
  }
}

}  // namespace
}  // namespace gradscope
