// Losses, each the mean over the batch as torch.nn computes it by default, with the gradient
// with respect to the network's output (logits). The output layer itself is linear.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <span>
#include <string_view>

#include "core/activation.h"

namespace gradscope {

enum class Loss : std::uint8_t {
  BCE,           // BCEWithLogitsLoss: one logit, σ applied inside (the stable form)
  CrossEntropy,  // CrossEntropyLoss: k logits, softmax inside
  MSE,           // MSELoss on the raw output: 0/1 target for two classes, one-hot for k
};

struct LossInfo {
  Loss id;
  std::string_view key;
  std::string_view name;
  std::string_view formula;
};

std::span<const LossInfo> lossTable();
const LossInfo& lossInfo(Loss l);
std::optional<Loss> lossFromKey(std::string_view key);
std::string_view lossKeyList();

// Output units the network needs for `classes` classes (BCE needs exactly two classes).
int lossOutputs(Loss loss, int classes);

// Mean loss of `out` (outputs, batch) against integer labels y (batch); if dOut is given it
// receives dL/dout (outputs, batch).
template <typename Scalar>
Scalar lossForward(Loss loss, const Mat<Scalar>& out, const Eigen::VectorXi& y, Mat<Scalar>* dOut);

// The predicted class of each column of `out`.
template <typename Scalar>
int predictClass(Loss loss, const Mat<Scalar>& out, Eigen::Index column);

// Number of columns whose predicted class equals the label.
template <typename Scalar>
int countCorrect(Loss loss, const Mat<Scalar>& out, const Eigen::VectorXi& y);

// P(class 1) for a binary problem (σ of the logit, softmax, or the clamped MSE output).
template <typename Scalar>
Scalar positiveProbability(Loss loss, const Mat<Scalar>& out, Eigen::Index column);

}  // namespace gradscope
