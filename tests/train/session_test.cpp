// The Session's schedule with a fake clock: stepping, capped speed, single steps, evaluation and
// grid budgets, publishing, snapshots that share history, and the same bytes for any thread
// count. Nothing sleeps; time moves only when a test moves it.
#include "train/session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>

namespace gradscope {
namespace {

using namespace std::chrono_literals;

struct FakeClock {
  Session::TimePoint t{};
  // A fixed amount the clock moves on every reading (a "slow" machine), 0 by default.
  Session::Clock::duration perCall{};
  Session::Now now() {
    // Read from every pool thread during a tick: a frozen clock is only read.
    return [this] {
      const auto at = t;
      if (perCall != Session::Clock::duration::zero()) t += perCall;  // one thread only
      return at;
    };
  }
};

SessionConfig small(int runs = 1) {
  SessionConfig c;
  c.data.samples = 100;
  c.runs[0].hidden = {8, 8, 8};
  c.runs[0].batchSize = 16;
  c.runs[0].init = Init::HeNormal;
  c.runs.resize(static_cast<size_t>(runs), c.runs[0]);
  const Activation others[] = {Activation::ReLU, Activation::Tanh, Activation::LeakyReLU};
  for (int i = 1; i < runs; ++i)
    c.runs[static_cast<size_t>(i)].activation = {others[(i - 1) % 3], 0.0};
  return c;
}

TEST(Session, FrozenClockStepsMaxStepsPerTick) {
  FakeClock clock;
  SessionOptions o;
  o.maxStepsPerTick = 7;
  Session s(small(2), o, clock.now());
  for (int i = 0; i < 3; ++i) s.tick();
  EXPECT_EQ(s.run(0).steps(), 21);
  EXPECT_EQ(s.run(1).steps(), 21);
}

// A lesson's horizon: every run stops exactly there and training pauses once; Play goes on past
// it; a reset arms it again.
TEST(Session, PausesOnceAtTheViewsHorizon) {
  FakeClock clock;
  SessionOptions o;
  o.maxStepsPerTick = 7;
  SessionConfig c = small(2);
  c.view.horizon = 30;
  Session s(c, o, clock.now());
  for (int i = 0; i < 10; ++i) s.tick();
  EXPECT_EQ(s.run(0).steps(), 30);
  EXPECT_EQ(s.run(1).steps(), 30);
  EXPECT_FALSE(s.publish()->playing);
  Command play = cmd::Play{};
  s.apply(play);
  s.tick();
  EXPECT_EQ(s.run(0).steps(), 37);
  EXPECT_TRUE(s.publish()->playing);
  Command reset = cmd::Reset{};
  s.apply(reset);
  for (int i = 0; i < 10; ++i) s.tick();
  EXPECT_EQ(s.run(0).steps(), 30);
  EXPECT_FALSE(s.publish()->playing);
}

// What a lesson leaves on screen at its horizon is measured there: the whole-set evaluation and
// the decision grid are of the horizon's step, however rarely the budgets allowed them before.
TEST(Session, MeasuresEveryRunAtTheHorizon) {
  FakeClock clock;
  SessionOptions o;
  o.maxStepsPerTick = 7;
  SessionConfig c = small(2);
  c.evalEvery = 1000;  // no evaluation on the way
  c.view.horizon = 30;
  Session s(c, o, clock.now());
  // As the trainer does: publish whenever one is due. The horizon's measurements come in the
  // tick after training paused, and must be published all the same.
  std::shared_ptr<const Snapshot> snap;
  for (int i = 0; i < 10; ++i) {
    s.tick();
    clock.t += 1s;
    if (s.publishDue()) snap = s.publish();
  }
  ASSERT_TRUE(snap);
  ASSERT_FALSE(snap->playing);
  for (const auto& r : snap->runs) {
    EXPECT_EQ(r.step, 30);
    ASSERT_TRUE(r.eval);
    EXPECT_EQ(r.eval->step, 30);
    ASSERT_TRUE(r.grid);
    EXPECT_EQ(r.grid->step, 30);
  }
}

TEST(Session, PausedStepsExactlyAndPlayPauseReset) {
  FakeClock clock;
  SessionOptions o;
  o.startPlaying = false;
  o.maxStepsPerTick = 10;
  Session s(small(), o, clock.now());
  for (int i = 0; i < 3; ++i) s.tick();
  EXPECT_EQ(s.run(0).steps(), 0);
  Command step = cmd::Step{5};
  s.apply(step);
  for (int i = 0; i < 20; ++i) s.tick();
  EXPECT_EQ(s.run(0).steps(), 5);
  Command play = cmd::Play{};
  s.apply(play);
  s.tick();
  EXPECT_EQ(s.run(0).steps(), 15);
  Command pause = cmd::Pause{};
  s.apply(pause);
  s.tick();
  EXPECT_EQ(s.run(0).steps(), 15);
  EXPECT_FALSE(s.publish()->playing);
  Command reset = cmd::Reset{};
  s.apply(reset);
  EXPECT_EQ(s.publish()->runs[0].step, 0);
}

TEST(Session, CappedSpeedFollowsTheClock) {
  FakeClock clock;
  SessionConfig c = small();
  c.speed = SpeedMode::Capped;
  c.stepsPerSecond = 100;
  Session s(c, {}, clock.now());
  for (int i = 0; i < 100; ++i) {  // one second in 10 ms ticks
    s.tick();
    clock.t += 10ms;
  }
  EXPECT_GE(s.run(0).steps(), 99);
  EXPECT_LE(s.run(0).steps(), 101);
  // The next step is due in the future: the tick says when.
  const auto next = s.tick();
  EXPECT_GT(next, clock.t);
}

TEST(Session, RunsSharingAThreadGetEqualSlices) {
  // Every clock reading moves 1 ms: a run's 4 ms slice holds a few steps, and each run's slice
  // starts when its own task does, not when the tick did.
  FakeClock clock;
  clock.perCall = 1ms;
  SessionOptions o;
  o.threads = 1;
  Session s(small(3), o, clock.now());
  for (int i = 0; i < 10; ++i) s.tick();
  EXPECT_GT(s.run(0).steps(), 10);
  EXPECT_EQ(s.run(1).steps(), s.run(0).steps());
  EXPECT_EQ(s.run(2).steps(), s.run(0).steps());
}

TEST(Session, StepLimitFinishesEveryRun) {
  FakeClock clock;
  SessionOptions o;
  o.stepLimit = 30;
  o.maxStepsPerTick = 8;
  Session s(small(3), o, clock.now());
  int ticks = 0;
  while (!s.finished() && ticks < 100) s.tick(), ++ticks;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(s.run(i).steps(), 30);
  EXPECT_EQ(ticks, 4);
}

TEST(Session, FixedEvalIntervalAndTheBudgetWithAFrozenClock) {
  FakeClock clock;
  SessionConfig c = small();
  c.evalEvery = 20;
  SessionOptions o;
  o.maxStepsPerTick = 50;
  Session s(c, o, clock.now());
  const long before = s.evaluations();
  EXPECT_EQ(before, 1);  // the first snapshot shows a measured run
  s.tick();
  s.tick();  // 100 steps: evaluations at 20, 40, 60, 80, 100
  EXPECT_EQ(s.evaluations() - before, 5);
  EXPECT_EQ(s.publish()->runs[0].eval->step, 100);
  // With no time passing, a grid is never paid for beyond the first.
  EXPECT_EQ(s.grids(), 1);
}

TEST(Session, GridsWaitForTheirBudgetAndShrinkWhenCostly) {
  // Every clock reading moves time on by 5 ms: a grid (two readings) "costs" 5 ms, so with a
  // 20 ms target the resolution stays; at 200 ms per reading it drops to the minimum.
  for (const auto& [perCall, expectMin] : {std::pair{5ms, false}, std::pair{200ms, true}}) {
    FakeClock clock;
    clock.perCall = perCall;
    SessionOptions o;
    o.maxStepsPerTick = 1000;
    Session s(small(), o, clock.now());
    for (int i = 0; i < 40; ++i) s.tick();
    EXPECT_GT(s.grids(), 1);
    if (expectMin)
      EXPECT_EQ(s.gridResolution(0), o.minGridResolution);
    else
      EXPECT_EQ(s.gridResolution(0), o.maxGridResolution);
  }
}

TEST(Session, PublishesWhenDueAndSnapshotsShareHistory) {
  FakeClock clock;
  SessionOptions o;
  o.maxStepsPerTick = 600;
  Session s(small(), o, clock.now());
  s.tick();
  EXPECT_FALSE(s.publishDue());  // no time has passed since the first snapshot
  clock.t += 20ms;
  EXPECT_TRUE(s.publishDue());
  const auto a = s.publish();
  EXPECT_FALSE(s.publishDue());
  s.tick();
  clock.t += 20ms;
  const auto b = s.publish();
  const SeriesData& la = a->runs[0].lossSeries;
  const SeriesData& lb = b->runs[0].lossSeries;
  EXPECT_EQ(la.size(), 600);
  EXPECT_EQ(lb.size(), 1200);
  // a's two full chunks (512 points) are the very same objects in b; its tail is not.
  ASSERT_GE(la.chunks.size(), 3u);
  EXPECT_EQ(la.chunks[0].get(), lb.chunks[0].get());
  EXPECT_EQ(la.chunks[1].get(), lb.chunks[1].get());
  EXPECT_NE(la.chunks[2].get(), lb.chunks[2].get());
  for (int i = 0; i < la.size(); ++i) ASSERT_EQ(la.y(i), lb.y(i)) << i;
  EXPECT_EQ(lb.x(1199), 1200.0f);
}

// Weights and every loss of every run, as bytes.
std::string fingerprint(const Session& s) {
  std::string out;
  for (int i = 0; i < s.runCount(); ++i) {
    const Mlp& net = s.run(i).net();
    for (int l = 0; l < net.layerCount(); ++l) {
      const auto& W = net.layer(l).W;
      out.append(reinterpret_cast<const char*>(W.data()),
                 sizeof(float) * static_cast<size_t>(W.size()));
    }
  }
  return out;
}

TEST(Session, AnyThreadCountGivesTheSameBytes) {
  std::string reference;
  std::vector<std::vector<float>> referenceLosses;
  for (int threads : {1, 2, 3, 4}) {
    FakeClock clock;
    SessionOptions o;
    o.threads = threads;
    o.maxStepsPerTick = 25;
    Session s(small(4), o, clock.now());
    EXPECT_EQ(s.threads(), threads);
    std::vector<std::vector<float>> losses(4);
    s.setStepHook([&](int i, const gradscope::Run& run) {
      losses[static_cast<size_t>(i)].push_back(run.lastLoss());
    });
    for (int i = 0; i < 8; ++i) {
      s.tick();
      clock.t += 30ms;
    }
    for (const auto& l : losses) EXPECT_EQ(l.size(), 200u);
    if (threads == 1) {
      reference = fingerprint(s);
      referenceLosses = losses;
    } else {
      EXPECT_EQ(fingerprint(s), reference) << threads << " threads";
      EXPECT_EQ(losses, referenceLosses) << threads << " threads";
    }
  }
}

TEST(Session, SetThreadsTakesEffectAndIsClamped) {
  FakeClock clock;
  Session s(small(2), {}, clock.now());
  Command c = cmd::SetThreads{2};
  s.apply(c);
  EXPECT_EQ(s.threads(), 2);
  c = cmd::SetThreads{0};
  s.apply(c);
  EXPECT_EQ(s.threads(), 1);
  EXPECT_EQ(s.publish()->threads, 1);
}

TEST(Session, RefusedConfigureChangesNothing) {
  FakeClock clock;
  Session s(small(2), {}, clock.now());
  SessionConfig bad = small(2);
  bad.runs[1].hidden = {};
  Command c = cmd::Configure{bad, true};
  s.apply(c);
  const auto snap = s.publish();
  EXPECT_NE(english(snap->message).find("runs[1].hidden"), std::string::npos) << snap->message;
  EXPECT_EQ(snap->runs.size(), 2u);
  EXPECT_EQ(snap->config, small(2));
}

TEST(Session, DeepWideGridKeepsNoLayerCaches) {
  // 64 × 256: a whole 96² grid through two alternating layers, in chunks.
  FakeClock clock;
  SessionConfig c = small();
  c.runs[0].hidden.assign(64, 256);
  SessionOptions o;
  o.maxStepsPerTick = 1;
  o.minGridResolution = 96;
  Session s(c, o, clock.now());
  const auto snap = s.publish();
  ASSERT_TRUE(snap->runs[0].grid);
  EXPECT_EQ(snap->runs[0].grid->resolution, 96);
  EXPECT_EQ(snap->runs[0].grid->value.size(), 96u * 96u);
}

TEST(Session, FirstGridResolutionFollowsTheNetworksCost) {
  FakeClock clock;
  SessionConfig c = small(2);
  c.runs[1].hidden.assign(64, 256);
  Session s(c, {}, clock.now());
  const SessionOptions o;
  EXPECT_EQ(s.gridResolution(0), o.maxGridResolution);  // 3 × 8 units: cheap
  EXPECT_EQ(s.gridResolution(1), o.minGridResolution);  // 64 × 256: 8 MFLOP a cell
}

// A paused run's figures are of the step it stopped at (the horizon here), even when its next
// scheduled evaluation was far off; evaluations cover the first evalSamples of each set.
TEST(Session, PausingMeasuresTheStepItStoppedAtOnTheEvaluationSubset) {
  FakeClock clock;
  SessionOptions o;
  o.maxStepsPerTick = 7;
  o.evalSamples = 20;
  SessionConfig c = small(1);
  c.evalEvery = 1000;
  c.view.horizon = 30;
  Session s(c, o, clock.now());
  for (int i = 0; i < 10; ++i) s.tick();
  const auto snap = s.publish();
  EXPECT_FALSE(snap->playing);
  ASSERT_TRUE(snap->runs[0].eval);
  EXPECT_EQ(snap->runs[0].eval->step, 30);
  EXPECT_EQ(snap->runs[0].eval->trainSamples, 20);
  EXPECT_EQ(snap->runs[0].eval->testSamples, std::min(20, snap->data->test.samples()));
}

// With a horizon and the automatic interval, at least 50 measurements come on the way there.
TEST(Session, AHorizonGetsFiftyMeasurementsOnTheWay) {
  FakeClock clock;
  clock.perCall = std::chrono::microseconds(1);
  SessionOptions o;
  o.maxStepsPerTick = 7;
  SessionConfig c = small(1);
  c.view.horizon = 1000;
  Session s(c, o, clock.now());
  for (int i = 0; i < 200 && s.run(0).steps() < 1000; ++i) s.tick();
  EXPECT_LE(s.evalEvery(0), 20);
  EXPECT_GE(s.evaluations(), 50);
}

}  // namespace
}  // namespace gradscope
