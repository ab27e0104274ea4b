// The activation-cost measurement behind lesson 9's bar chart: every activation but Maxout,
// in table order, each a positive, finite time per element; its schedule checked against a
// fake clock, so that no expectation depends on how fast this machine is.
#include "train/activation_cost.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <vector>

namespace gradscope {
namespace {

using Clock = std::chrono::steady_clock;

// A clock that moves only when told to.
struct FakeClock {
  Clock::time_point t{};
  void advance(double seconds) {
    t += std::chrono::round<Clock::duration>(std::chrono::duration<double>(seconds));
  }
  CostClock now() {
    return [this] { return t; };
  }
};

std::vector<Activation> elementWise() {
  std::vector<Activation> out;
  for (const auto& info : activationTable())
    if (info.id != Activation::Maxout) out.push_back(info.id);
  return out;
}

TEST(ActivationCost, CoversEveryElementWiseActivationInTableOrder) {
  const auto costs = measureActivationCosts(0.005);
  const auto expected = elementWise();
  ASSERT_EQ(costs.size(), expected.size());
  for (size_t i = 0; i < costs.size(); ++i) {
    SCOPED_TRACE(activationInfo(costs[i].activation).name);
    EXPECT_EQ(costs[i].activation, expected[i]);
    EXPECT_TRUE(std::isfinite(costs[i].nsPerElement));
    EXPECT_GT(costs[i].nsPerElement, 0.0);
  }
}

// With a clock that advances 1 ms at each reading, every batch of passes "takes" 1 ms, twice
// a round of the 2.5 ms budget: the calibration settles on one pass per round, and the cost
// is 1 ms per pass over the 64 × 256 elements of a pass, in nanoseconds.
TEST(ActivationCost, ReportsNanosecondsPerElementOfTheClocksTime) {
  FakeClock clock;
  const CostClock ticking = [&] {
    clock.advance(0.001);
    return clock.t;
  };
  const auto costs = measureActivationCosts(0.0025, ticking);
  ASSERT_EQ(costs.size(), elementWise().size());
  for (const auto& c : costs) EXPECT_NEAR(c.nsPerElement, 1e6 / (64 * 256), 1e-6);
}

// Subjects whose passes cost known (fake) times, 1 to 40 µs: the schedule spends about the
// time it is given on each (plus a calibration of at most a round), and finds each cost.
TEST(ActivationCost, SpendsAboutTheTimeItIsGiven) {
  const std::vector<double> perPass = {1e-6, 3e-6, 7e-6, 40e-6};
  for (const double budget : {0.01, 0.03, 0.2}) {
    SCOPED_TRACE(budget);
    FakeClock clock;
    std::vector<double> spent(perPass.size(), 0.0);
    const auto best = timePasses(perPass.size(), budget, clock.now(), [&](size_t i, long n) {
      clock.advance(perPass[i] * static_cast<double>(n));
      spent[i] += perPass[i] * static_cast<double>(n);
    });
    ASSERT_EQ(best.size(), perPass.size());
    for (size_t i = 0; i < perPass.size(); ++i) {
      EXPECT_NEAR(best[i], perPass[i], perPass[i] * 1e-5) << i;
      // The rounds take the budget (a pass more at most, per round), the calibration less
      // than a round more (its batches double until one takes a quarter round).
      EXPECT_GE(spent[i], budget) << i;
      EXPECT_LE(spent[i], budget * (1 + 1.0 / kCostRounds) + kCostRounds * perPass[i]) << i;
    }
  }
}

// Noise only ever adds time: a round slowed down (another process took the core) does not
// change the result, the fastest round counts.
TEST(ActivationCost, TheFastestRoundCounts) {
  FakeClock clock;
  int batches = 0;
  const auto best = timePasses(2, 0.01, clock.now(), [&](size_t i, long n) {
    // Every third batch after calibration is three times slower.
    const bool slowed = ++batches > 2 && batches % 3 == 0;
    clock.advance((i + 1) * 1e-6 * static_cast<double>(n) * (slowed ? 3 : 1));
  });
  EXPECT_NEAR(best[0], 1e-6, 1e-11);
  EXPECT_NEAR(best[1], 2e-6, 1e-11);
}

TEST(ActivationCost, ATinyBudgetStillMeasuresEveryActivation) {
  for (const auto& c : measureActivationCosts(0.0)) EXPECT_GT(c.nsPerElement, 0.0);
}

}  // namespace
}  // namespace gradscope
