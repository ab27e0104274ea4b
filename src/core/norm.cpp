// Batch and layer normalization, forward and backward (see norm.h).
#include "core/norm.h"

#include <array>
#include <cmath>

namespace gradscope {
namespace {

constexpr std::array<NormInfo, 3> kTable{{
    {Norm::None, "none", "None"},
    {Norm::Batch, "batch", "BatchNorm"},
    {Norm::Layer, "layer", "LayerNorm"},
}};

// LayerNorm: the same formula in training and evaluation.
template <typename S>
void layerNormForward(const Mat<S>& x, const NormParams<S>& p, NormCache<S>& c, Mat<S>& y) {
  const Eigen::Index F = x.rows(), N = x.cols();
  c.xhat.resize(F, N);
  y.resize(F, N);
  c.mean.resize(N);
  c.var.resize(N);
  c.invStd.resize(N);
  c.mean = x.colwise().sum().transpose() / S(F);
  c.xhat = x.rowwise() - c.mean.transpose();
  c.var = c.xhat.array().square().colwise().sum().transpose() / S(F);
  c.invStd = (c.var.array() + S(kNormEps)).rsqrt();
  c.xhat.array().rowwise() *= c.invStd.array().transpose();
  y.array() = (c.xhat.array().colwise() * p.weight.array()).colwise() + p.bias.array();
}

}  // namespace

std::span<const NormInfo> normTable() { return kTable; }
const NormInfo& normInfo(Norm n) { return kTable[static_cast<size_t>(n)]; }
std::optional<Norm> normFromKey(std::string_view key) {
  for (const auto& n : kTable)
    if (n.key == key) return n.id;
  return std::nullopt;
}
std::string_view normKeyList() { return "none, batch, layer"; }

template <typename S>
void initNorm(Norm kind, int features, NormParams<S>& p) {
  if (kind == Norm::None) {
    p = {};
    return;
  }
  p.weight.setOnes(features);
  p.bias.setZero(features);
  p.dweight.setZero(features);
  p.dbias.setZero(features);
  if (kind == Norm::Batch) {
    p.runningMean.setZero(features);
    p.runningVar.setOnes(features);
  } else {
    p.runningMean.resize(0);
    p.runningVar.resize(0);
  }
}

template <typename S>
void normForward(Norm kind, const Mat<S>& x, const NormParams<S>& p, NormCache<S>& c, Mat<S>& y) {
  if (kind == Norm::Layer) {
    layerNormForward(x, p, c, y);
    return;
  }
  const Eigen::Index F = x.rows(), N = x.cols();
  c.xhat.resize(F, N);
  y.resize(F, N);
  c.mean.resize(F);
  c.var.resize(F);
  c.invStd.resize(F);
  c.mean = x.rowwise().sum() / S(N);
  c.xhat = x.colwise() - c.mean;
  c.var = c.xhat.array().square().rowwise().sum() / S(N);
  c.invStd = (c.var.array() + S(kNormEps)).rsqrt();
  c.xhat.array().colwise() *= c.invStd.array();
  y.array() = (c.xhat.array().colwise() * p.weight.array()).colwise() + p.bias.array();
}

template <typename S>
void normUpdateRunning(NormParams<S>& p, const NormCache<S>& c, Eigen::Index batch) {
  const S m = S(kBatchNormMomentum);
  // torch keeps the unbiased variance; one sample has none (refused before training).
  const S unbias = batch > 1 ? S(batch) / S(batch - 1) : S(1);
  p.runningMean = (S(1) - m) * p.runningMean + m * c.mean;
  p.runningVar = (S(1) - m) * p.runningVar + (m * unbias) * c.var;
}

template <typename S>
void normPredict(Norm kind, const Mat<S>& x, const NormParams<S>& p, NormCache<S>& c, Mat<S>& y) {
  if (kind != Norm::Batch) {
    layerNormForward(x, p, c, y);
    return;
  }
  // y = x·scale + shift with scale = γ/√(running var + eps), shift = β − running mean·scale.
  const Eigen::Index F = x.rows();
  c.invStd.resize(F);
  c.mean.resize(F);
  c.invStd = p.weight.array() * (p.runningVar.array() + S(kNormEps)).rsqrt();
  c.mean = p.bias.array() - p.runningMean.array() * c.invStd.array();
  y.resize(F, x.cols());
  y.array() = (x.array().colwise() * c.invStd.array()).colwise() + c.mean.array();
}

template <typename S>
void normBackward(Norm kind, const Mat<S>& dy, NormParams<S>& p, const NormCache<S>& c,
                  Mat<S>& dx) {
  const Eigen::Index F = dy.rows(), N = dy.cols();
  p.dbias = dy.rowwise().sum();
  p.dweight = (dy.array() * c.xhat.array()).rowwise().sum();
  dx.resize(F, N);
  if (kind == Norm::Batch) {
    // dx = γ·invStd/N · (N·dy − Σdy − x̂·Σ(dy·x̂)), sums over the batch per feature.
    for (Eigen::Index j = 0; j < N; ++j)
      for (Eigen::Index i = 0; i < F; ++i)
        dx(i, j) = p.weight[i] * c.invStd[i] / S(N) *
                   (S(N) * dy(i, j) - p.dbias[i] - c.xhat(i, j) * p.dweight[i]);
  } else {
    // g = dy·γ; dx = invStd/F · (F·g − Σg − x̂·Σ(g·x̂)), sums over the features per sample.
    for (Eigen::Index j = 0; j < N; ++j) {
      S s1 = 0, s2 = 0;
      for (Eigen::Index i = 0; i < F; ++i) {
        const S g = dy(i, j) * p.weight[i];
        s1 += g;
        s2 += g * c.xhat(i, j);
      }
      const S k = c.invStd[j] / S(F);
      for (Eigen::Index i = 0; i < F; ++i)
        dx(i, j) = k * (S(F) * dy(i, j) * p.weight[i] - s1 - c.xhat(i, j) * s2);
    }
  }
}

#define GRADSCOPE_NORM(S)                                                                          \
  template void initNorm<S>(Norm, int, NormParams<S>&);                                            \
  template void normForward<S>(Norm, const Mat<S>&, const NormParams<S>&, NormCache<S>&, Mat<S>&); \
  template void normUpdateRunning<S>(NormParams<S>&, const NormCache<S>&, Eigen::Index);           \
  template void normPredict<S>(Norm, const Mat<S>&, const NormParams<S>&, NormCache<S>&, Mat<S>&); \
  template void normBackward<S>(Norm, const Mat<S>&, NormParams<S>&, const NormCache<S>&, Mat<S>&);
GRADSCOPE_NORM(float)
GRADSCOPE_NORM(double)
#undef GRADSCOPE_NORM

}  // namespace gradscope
