// Normalization between a hidden layer's Linear and its activation, as torch.nn defines it:
//
//   batch  torch.nn.BatchNorm1d(features, eps=1e-5, momentum=0.1): per feature (row), over
//          the batch. Training: y = γ·(x − μ_B)/√(σ²_B + eps) + β with the batch mean and the
//          BIASED batch variance; the running mean and the UNBIASED running variance move by
//          momentum each training step (start 0 and 1). Evaluation: the running statistics.
//   layer  torch.nn.LayerNorm(features, eps=1e-5): per sample (column), over the features,
//          the same in training and evaluation (biased variance).
//
// A Maxout layer normalizes its units·pieces pre-activations (torch: Linear(in, units·k) →
// BatchNorm1d(units·k) → view(units, k).max(-1)), so every piece has its own γ and β.
//
// Samples are columns, x is (features, batch). Nothing here allocates once the caller's
// vectors and matrices have their size.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/activation.h"

namespace gradscope {

enum class Norm : std::uint8_t { None, Batch, Layer };

struct NormInfo {
  Norm id;
  std::string_view key;   // "none", "batch", "layer"
  std::string_view name;  // "None", "BatchNorm", "LayerNorm"
};

std::span<const NormInfo> normTable();
const NormInfo& normInfo(Norm n);
std::optional<Norm> normFromKey(std::string_view key);
std::string_view normKeyList();  // "none, batch, layer"

inline constexpr double kNormEps = 1e-5;
inline constexpr double kBatchNormMomentum = 0.1;

// One normalization's learned parameters and running statistics (features = rows of x).
template <typename Scalar>
struct NormParams {
  Vec<Scalar> weight;       // (features) γ, starts at 1
  Vec<Scalar> bias;         // (features) β, starts at 0
  Vec<Scalar> dweight;      // (features) dL/dγ
  Vec<Scalar> dbias;        // (features) dL/dβ
  Vec<Scalar> runningMean;  // (features) batch norm only, starts at 0
  Vec<Scalar> runningVar;   // (features) batch norm only, starts at 1 (unbiased estimates)
};

// What a normalization's forward keeps for its backward.
template <typename Scalar>
struct NormCache {
  Mat<Scalar> xhat;    // (features, batch) (x − mean)/√(var + eps)
  Vec<Scalar> mean;    // batch: (features); layer: (batch)
  Vec<Scalar> var;     // batch: (features); layer: (batch) biased variance
  Vec<Scalar> invStd;  // batch: (features); layer: (batch) 1/√(var + eps)
};

// Sizes γ, β (and the running statistics for batch norm) for `features`, at their initial values.
template <typename Scalar>
void initNorm(Norm kind, int features, NormParams<Scalar>& p);

// Training-mode y = norm(x): batch norm with the batch's statistics (left in `c`), layer norm
// per sample. Batch norm needs at least two samples, as torch does.
template <typename Scalar>
void normForward(Norm kind, const Mat<Scalar>& x, const NormParams<Scalar>& p, NormCache<Scalar>& c,
                 Mat<Scalar>& y);
// Batch norm: moves the running statistics toward those of the last training forward over
// `batch` samples (the variance made unbiased), by the momentum.
template <typename Scalar>
void normUpdateRunning(NormParams<Scalar>& p, const NormCache<Scalar>& c, Eigen::Index batch);
// Evaluation-mode forward without a backward: batch norm with the running statistics.
template <typename Scalar>
void normPredict(Norm kind, const Mat<Scalar>& x, const NormParams<Scalar>& p, NormCache<Scalar>& c,
                 Mat<Scalar>& y);
// From dL/dy of the last training forward: dL/dγ, dL/dβ into p and dL/dx into dx.
template <typename Scalar>
void normBackward(Norm kind, const Mat<Scalar>& dy, NormParams<Scalar>& p,
                  const NormCache<Scalar>& c, Mat<Scalar>& dx);

}  // namespace gradscope
