// Losses and their gradients with respect to the output logits.
#include "core/loss.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace gradscope {
namespace {

constexpr std::array<LossInfo, 3> kTable{{
    {Loss::BCE, "bce", "Binary cross-entropy (logit)", "L = −mean[y·ln σ(o) + (1−y)·ln(1−σ(o))]"},
    {Loss::CrossEntropy, "ce", "Softmax cross-entropy", "L = −mean[ln softmax(o)_y]"},
    {Loss::MSE, "mse", "Mean squared error", "L = mean[(o − t)²]"},
}};

}  // namespace

std::span<const LossInfo> lossTable() { return kTable; }
const LossInfo& lossInfo(Loss l) { return kTable[static_cast<size_t>(l)]; }

std::optional<Loss> lossFromKey(std::string_view key) {
  for (const auto& info : kTable)
    if (info.key == key) return info.id;
  if (key == "cross_entropy" || key == "crossentropy") return Loss::CrossEntropy;
  return std::nullopt;
}

std::string_view lossKeyList() { return "bce, ce, mse"; }

int lossOutputs(Loss loss, int classes) {
  switch (loss) {
    case Loss::BCE:
      return 1;
    case Loss::CrossEntropy:
      return classes;
    case Loss::MSE:
      return classes == 2 ? 1 : classes;
  }
  return 1;
}

template <typename S>
S lossForward(Loss loss, const Mat<S>& out, const Eigen::VectorXi& y, Mat<S>* dOut) {
  const Eigen::Index n = out.cols();
  const Eigen::Index k = out.rows();
  if (dOut) dOut->resize(k, n);
  // Accumulate in double: the loss is a display value and a finite-difference target.
  double total = 0.0;
  switch (loss) {
    case Loss::BCE:
      for (Eigen::Index j = 0; j < n; ++j) {
        const S x = out(0, j);
        const S t = S(y[j]);
        // max(x, 0) − x·t + log(1 + e^−|x|): no overflow for any x.
        total += double(std::max(x, S(0)) - x * t + std::log1p(std::exp(-std::abs(x))));
        if (dOut) (*dOut)(0, j) = (S(1) / (S(1) + std::exp(-x)) - t) / S(n);
      }
      break;
    case Loss::CrossEntropy:
      for (Eigen::Index j = 0; j < n; ++j) {
        const S m = out.col(j).maxCoeff();
        S sum(0);
        for (Eigen::Index i = 0; i < k; ++i) sum += std::exp(out(i, j) - m);
        const S logZ = m + std::log(sum);
        total += double(logZ - out(y[j], j));
        if (dOut)
          for (Eigen::Index i = 0; i < k; ++i)
            (*dOut)(i, j) = (std::exp(out(i, j) - logZ) - S(i == y[j] ? 1 : 0)) / S(n);
      }
      break;
    case Loss::MSE: {
      const S scale = S(1) / S(n * k);
      for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i < k; ++i) {
          const S t = k == 1 ? S(y[j]) : S(i == y[j] ? 1 : 0);
          const S d = out(i, j) - t;
          total += double(d * d);
          if (dOut) (*dOut)(i, j) = S(2) * d * scale;
        }
      total /= double(k);
      break;
    }
  }
  return S(total / double(std::max<Eigen::Index>(n, 1)));
}

template <typename S>
int predictClass(Loss loss, const Mat<S>& out, Eigen::Index j) {
  if (out.rows() == 1) return out(0, j) > (loss == Loss::MSE ? S(0.5) : S(0)) ? 1 : 0;
  Eigen::Index best;
  out.col(j).maxCoeff(&best);
  return static_cast<int>(best);
}

template <typename S>
int countCorrect(Loss loss, const Mat<S>& out, const Eigen::VectorXi& y) {
  int correct = 0;
  for (Eigen::Index j = 0; j < out.cols(); ++j) correct += predictClass(loss, out, j) == y[j];
  return correct;
}

template <typename S>
S positiveProbability(Loss loss, const Mat<S>& out, Eigen::Index j) {
  if (out.rows() == 1) {
    if (loss == Loss::MSE) return std::clamp(out(0, j), S(0), S(1));
    return S(1) / (S(1) + std::exp(-out(0, j)));
  }
  if (loss == Loss::MSE) return std::clamp(out(1, j), S(0), S(1));
  const S m = out.col(j).maxCoeff();
  S sum(0);
  for (Eigen::Index i = 0; i < out.rows(); ++i) sum += std::exp(out(i, j) - m);
  return std::exp(out(1, j) - m) / sum;
}

#define GRADSCOPE_INSTANTIATE(S)                                                   \
  template S lossForward<S>(Loss, const Mat<S>&, const Eigen::VectorXi&, Mat<S>*); \
  template int predictClass<S>(Loss, const Mat<S>&, Eigen::Index);                 \
  template int countCorrect<S>(Loss, const Mat<S>&, const Eigen::VectorXi&);       \
  template S positiveProbability<S>(Loss, const Mat<S>&, Eigen::Index);
GRADSCOPE_INSTANTIATE(float)
GRADSCOPE_INSTANTIATE(double)
#undef GRADSCOPE_INSTANTIATE

}  // namespace gradscope
