// The worker thread and the command/snapshot hand-off (also run under ThreadSanitizer). The
// schedule itself is tested with a fake clock in session_test.cpp; these tests only wait for
// what the worker publishes, with a generous deadline, and never measure time.
#include "train/trainer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

namespace gradscope {
namespace {

using namespace std::chrono_literals;

SessionConfig small() {
  SessionConfig c;
  c.data.samples = 100;
  c.runs[0].hidden = {8, 8, 8};
  c.runs[0].batchSize = 16;
  return c;
}

// Waits for a snapshot satisfying `pred`: null only after a minute, long after any machine,
// however loaded, would have got there (the tests ask for a few hundred steps at most).
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

TEST(Trainer, TrainsAndPublishesWhilePlaying) {
  Trainer t(small());
  auto first = t.latest();
  ASSERT_TRUE(first);
  ASSERT_EQ(first->runs.size(), 1u);
  auto later = waitFor(t, [](const Snapshot& s) { return s.runs[0].step >= 200; });
  ASSERT_TRUE(later) << "no progress";
  EXPECT_GT(later->version, first->version);
  EXPECT_TRUE(later->playing);
  const auto& r = later->runs[0];
  EXPECT_EQ(r.layerCount, 4);
  EXPECT_EQ(r.gradNormSeries.size(), 4u);
  EXPECT_EQ(r.deadSeries.size(), 3u);
  EXPECT_GT(r.lossSeries.size(), 0);
  EXPECT_TRUE(r.eval);
  EXPECT_TRUE(r.grid);
}

TEST(Trainer, ConfigureAddsRunsAndRefusesBadConfigs) {
  Trainer t(small());
  SessionConfig two = small();
  two.runs.push_back(two.runs[0]);
  two.runs[1].activation = {Activation::ReLU, 0};
  t.send(cmd::Configure{two, true});
  auto s = waitFor(t, [](const Snapshot& x) { return x.runs.size() == 2 && x.runs[1].step > 10; });
  ASSERT_TRUE(s);
  EXPECT_EQ(english(s->runs[1].label), "ReLU");
  EXPECT_EQ(english(s->runs[0].label), "Sigmoid");

  SessionConfig bad = two;
  bad.runs[1].hidden = {};
  t.send(cmd::Configure{bad, true});
  auto refused = waitFor(t, [](const Snapshot& x) { return x.messageId > 0; });
  ASSERT_TRUE(refused);
  EXPECT_NE(english(refused->message).find("runs[1].hidden"), std::string::npos)
      << refused->message;
  EXPECT_EQ(refused->runs.size(), 2u);  // nothing changed

  SessionConfig missing = two;
  missing.data.csvPath = "/nonexistent/gradscope.csv";
  t.send(cmd::Configure{missing, true});
  auto noFile = waitFor(t, [](const Snapshot& x) { return x.messageId > 1; });
  ASSERT_TRUE(noFile);
  EXPECT_NE(english(noFile->message).find("cannot open"), std::string::npos);
  EXPECT_TRUE(noFile->config.data.csvPath.empty());
}

TEST(Trainer, DivergedRunPausesAloneWithItsReason) {
  SessionConfig c = small();
  c.runs.push_back(c.runs[0]);
  c.runs[1].activation = {Activation::ReLU, 0};
  c.runs[1].optimizer = {OptimizerKind::SGD, {{"lr", 1e30}}};
  Trainer t(c);
  auto s = waitFor(t, [](const Snapshot& x) {
    return x.runs[1].state == RunState::Diverged && x.runs[0].step > 100;
  });
  ASSERT_TRUE(s);
  EXPECT_NE(english(s->runs[1].reason).find("diverged at step"), std::string::npos);
  EXPECT_EQ(s->runs[0].state, RunState::Running);
}

// A reader takes snapshots as fast as it can while 40 configurations replace one another; each
// one is published, and the reader checks at least one snapshot taken after it was.
TEST(Trainer, SnapshotsAreNeverSeenHalfWritten) {
  Trainer t(small());
  std::atomic<bool> done{false}, readerFailed{false};
  std::atomic<long> checked{0};
  std::thread reader([&] {
    const auto check = [&] {
      auto s = t.latest();
      for (const auto& r : s->runs) {
        ASSERT_EQ(static_cast<int>(r.gradNormSeries.size()), r.layerCount);
        ASSERT_EQ(static_cast<int>(r.gradNorm.size()), r.layerCount);
        for (const auto& series : r.gradNormSeries) {
          int points = 0;
          for (const auto& c : series.chunks) {
            ASSERT_EQ(c->x.size(), c->y.size());
            points += static_cast<int>(c->x.size());
          }
          ASSERT_EQ(points, series.size());
        }
        ASSERT_EQ(static_cast<int>(r.units.size()), r.layerCount);
      }
      ++checked;
    };
    while (!done) {
      check();
      if (::testing::Test::HasFatalFailure()) {
        readerFailed = true;
        return;
      }
    }
  });
  // The reader has checked a snapshot taken after this call (or has stopped on a failure).
  const auto readerCaughtUp = [&] {
    const long from = checked.load();
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (checked.load() < from + 2 && !readerFailed &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
    return checked.load() >= from + 2;
  };
  SessionConfig c = small();
  for (int i = 0; i < 40 && !readerFailed; ++i) {
    c.runs[0].hidden.assign(1 + i % 5, 4 + i % 7);
    c.runs.resize(1 + i % 4, c.runs[0]);
    t.send(cmd::Configure{c, i % 2 == 0});
    if (i % 3 == 0) t.send(cmd::TogglePlay{});
    // (No ASSERT here: the reader thread must be joined.)
    const bool published = waitFor(t, [&](const Snapshot& s) { return s.config == c; }) != nullptr;
    EXPECT_TRUE(published) << i;
    EXPECT_TRUE(readerCaughtUp()) << i;
    if (!published) break;
  }
  done = true;
  reader.join();
  EXPECT_FALSE(readerFailed);
  EXPECT_GE(checked.load(), 80);
}

TEST(Trainer, CommandsReachTheWorker) {
  SessionOptions o;
  o.startPlaying = false;
  Trainer t(small(), o);
  t.send(cmd::Step{5});
  ASSERT_TRUE(waitFor(t, [](const Snapshot& s) { return s.runs[0].step == 5; }));
  t.send(cmd::Play{});
  ASSERT_TRUE(waitFor(t, [](const Snapshot& s) { return s.runs[0].step > 50 && s.playing; }));
  t.send(cmd::Pause{});
  t.send(cmd::Reset{});
  ASSERT_TRUE(waitFor(t, [](const Snapshot& s) { return !s.playing && s.runs[0].step == 0; }));
}

TEST(Trainer, RunsTrainSideBySideOnTwoThreads) {
  SessionConfig c = small();
  c.runs.resize(3, c.runs[0]);
  SessionOptions o;
  o.threads = 2;
  Trainer t(c, o);
  auto s = waitFor(t, [](const Snapshot& x) {
    return x.runs[0].step > 100 && x.runs[1].step > 100 && x.runs[2].step > 100;
  });
  ASSERT_TRUE(s);
  EXPECT_EQ(s->threads, 2);
}

}  // namespace
}  // namespace gradscope
