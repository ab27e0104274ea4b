// The activation-cost measurement behind lesson 9's bar chart: every activation but Maxout,
// in table order, each a positive, finite time per element.
#include "train/activation_cost.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <vector>

namespace gradscope {
namespace {

TEST(ActivationCost, CoversEveryElementWiseActivationInTableOrder) {
  const auto costs = measureActivationCosts(0.005);
  std::vector<Activation> expected;
  for (const auto& info : activationTable())
    if (info.id != Activation::Maxout) expected.push_back(info.id);
  ASSERT_EQ(costs.size(), expected.size());
  for (size_t i = 0; i < costs.size(); ++i) {
    SCOPED_TRACE(activationInfo(costs[i].activation).name);
    EXPECT_EQ(costs[i].activation, expected[i]);
    EXPECT_TRUE(std::isfinite(costs[i].nsPerElement));
    EXPECT_GT(costs[i].nsPerElement, 0.0);
    // Even a scalar exp is well under a microsecond per element on any machine this runs on.
    EXPECT_LT(costs[i].nsPerElement, 1000.0);
  }
}

TEST(ActivationCost, SpendsAboutTheTimeItIsGiven) {
  // 12 activations × 0.01 s plus calibration: well under a second, so the worker thread that
  // runs it pauses training only briefly.
  const auto start = std::chrono::steady_clock::now();
  measureActivationCosts(0.01);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GT(seconds, 0.05);
  EXPECT_LT(seconds, 1.0);
}

TEST(ActivationCost, ATinyBudgetStillMeasuresEveryActivation) {
  for (const auto& c : measureActivationCosts(0.0)) EXPECT_GT(c.nsPerElement, 0.0);
}

}  // namespace
}  // namespace gradscope
