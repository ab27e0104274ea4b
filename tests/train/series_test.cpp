// Bounded series: flat memory for any length, extremes kept, uniform density.
#include "train/series.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace gradscope {
namespace {

TEST(BoundedSeries, KeepsEverythingUntilFull) {
  BoundedSeries s(16);
  for (int i = 0; i < 16; ++i) s.push(float(i), float(i * i));
  EXPECT_EQ(s.size(), 16u);
  EXPECT_EQ(s.bucket(), 1u);
  EXPECT_EQ(s.values()[5], 25.0f);
}

TEST(BoundedSeries, DecimationKeepsMinAndMaxAndStaysBounded) {
  BoundedSeries s(64);
  const int n = 1'000'000;
  float trueMin = 1e9f, trueMax = -1e9f;
  for (int i = 0; i < n; ++i) {
    float v = std::sin(i * 0.001f);
    if (i == 123'457) v = 50.0f;   // a spike
    if (i == 777'777) v = -50.0f;  // a dip
    trueMin = std::min(trueMin, v), trueMax = std::max(trueMax, v);
    s.push(float(i), v);
    ASSERT_LE(s.size(), 64u);
  }
  std::vector<float> xs, ys;
  s.copyTo(xs, ys);
  EXPECT_EQ(*std::max_element(ys.begin(), ys.end()), 50.0f);
  EXPECT_EQ(*std::min_element(ys.begin(), ys.end()), -50.0f);
  EXPECT_TRUE(std::is_sorted(xs.begin(), xs.end()));
  EXPECT_GE(s.size(), 32u);
  // Uniform density: the kept points spread over the whole run, not bunched at its end.
  EXPECT_LT(xs.front(), n / 32.0f);
  EXPECT_GT(xs[xs.size() / 2], n * 0.3f);
  EXPECT_LT(xs[xs.size() / 2], n * 0.7f);
}

TEST(BoundedSeries, OpenBucketIsVisibleInCopies) {
  BoundedSeries s(8);
  for (int i = 0; i < 9; ++i) s.push(float(i), float(i));  // decimates at the 9th point
  EXPECT_EQ(s.bucket(), 4u);
  s.push(9, -3.0f);  // into the open bucket
  std::vector<float> xs, ys;
  s.copyTo(xs, ys);
  EXPECT_EQ(ys.back(), -3.0f);
  EXPECT_EQ(xs.back(), 9.0f);
}

TEST(BoundedSeries, ClearStartsOver) {
  BoundedSeries s(8);
  for (int i = 0; i < 100; ++i) s.push(float(i), 1.0f);
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.bucket(), 1u);
}

}  // namespace
}  // namespace gradscope
