// Losses: known values, stability at extreme logits, and gradients against finite differences.
#include "core/loss.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gradscope {
namespace {

TEST(Loss, KnownValues) {
  Mat<double> out = Mat<double>::Zero(1, 2);
  Eigen::VectorXi y(2);
  y << 0, 1;
  EXPECT_NEAR(lossForward<double>(Loss::BCE, out, y, nullptr), std::log(2.0), 1e-15);
  Mat<double> logits = Mat<double>::Zero(4, 2);
  EXPECT_NEAR(lossForward<double>(Loss::CrossEntropy, logits, y, nullptr), std::log(4.0), 1e-15);
  out << 0.5, 0.25;  // MSE: ((0.5−0)² + (0.25−1)²)/2
  EXPECT_NEAR(lossForward<double>(Loss::MSE, out, y, nullptr), (0.25 + 0.5625) / 2, 1e-15);
  Mat<double> three(3, 1);
  three << 1.0, 0.0, 0.0;
  Eigen::VectorXi y1(1);
  y1 << 0;  // one-hot target [1,0,0]: error 0 → loss 0
  EXPECT_NEAR(lossForward<double>(Loss::MSE, three, y1, nullptr), 0.0, 1e-15);
}

TEST(Loss, StableAtExtremeLogits) {
  Mat<float> out(1, 2);
  out << 1e4f, -1e4f;
  Eigen::VectorXi y(2);
  y << 0, 1;
  Mat<float> d;
  const float l = lossForward<float>(Loss::BCE, out, y, &d);
  EXPECT_NEAR(l, 1e4f, 1.0f);
  EXPECT_TRUE(d.allFinite());
  Mat<float> logits(2, 2);
  logits << 1e4f, -1e4f, -1e4f, 1e4f;  // column 0 favours class 0, column 1 class 1
  EXPECT_NEAR(lossForward<float>(Loss::CrossEntropy, logits, y, &d), 0.0f, 1e-6f);
  Eigen::VectorXi wrong(2);
  wrong << 1, 0;  // both confidently wrong by a margin of 2e4
  EXPECT_NEAR(lossForward<float>(Loss::CrossEntropy, logits, wrong, &d), 2e4f, 1.0f);
  EXPECT_TRUE(d.allFinite());
}

TEST(Loss, GradientsMatchFiniteDifferences) {
  for (const auto& info : lossTable()) {
    const int k = info.id == Loss::BCE ? 1 : 3;
    Mat<double> out(k, 5);
    for (Eigen::Index i = 0; i < out.size(); ++i) out.data()[i] = std::sin(1.7 * i) * 2.0;
    Eigen::VectorXi y(5);
    y << 0, 1, 0, 1, 0;
    if (k == 3) y[4] = 2;
    Mat<double> d;
    lossForward<double>(info.id, out, y, &d);
    for (Eigen::Index i = 0; i < out.size(); ++i) {
      const double s = out.data()[i], h = 1e-6;
      out.data()[i] = s + h;
      const double up = lossForward<double>(info.id, out, y, nullptr);
      out.data()[i] = s - h;
      const double down = lossForward<double>(info.id, out, y, nullptr);
      out.data()[i] = s;
      EXPECT_NEAR(d.data()[i], (up - down) / (2 * h), 1e-8) << info.name << " " << i;
    }
  }
}

TEST(Loss, PredictionsAndAccuracy) {
  Mat<float> out(1, 4);
  out << -1.f, 2.f, 0.3f, -0.1f;
  Eigen::VectorXi y(4);
  y << 0, 1, 0, 0;
  EXPECT_EQ(countCorrect<float>(Loss::BCE, out, y), 3);
  EXPECT_NEAR(positiveProbability<float>(Loss::BCE, out, 1), 1.0 / (1.0 + std::exp(-2.0)), 1e-6);
  EXPECT_EQ(predictClass<float>(Loss::MSE, out, 2), 0);  // 0.3 < 0.5
  Mat<float> logits(3, 2);
  logits << 0.f, 5.f, 2.f, 1.f, 1.f, 0.f;
  EXPECT_EQ(predictClass<float>(Loss::CrossEntropy, logits, 0), 1);
  EXPECT_EQ(predictClass<float>(Loss::CrossEntropy, logits, 1), 0);
  EXPECT_EQ(lossOutputs(Loss::BCE, 2), 1);
  EXPECT_EQ(lossOutputs(Loss::CrossEntropy, 2), 2);
  EXPECT_EQ(lossOutputs(Loss::MSE, 2), 1);
  EXPECT_EQ(lossOutputs(Loss::MSE, 5), 5);
}

}  // namespace
}  // namespace gradscope
