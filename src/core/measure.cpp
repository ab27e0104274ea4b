// Layer measurements (definitions in measure.h).
#include "core/measure.h"

#include <algorithm>
#include <cmath>

namespace gradscope {

void gradientNorms(const Mlp& net, float* out) {
  for (int l = 0; l < net.layerCount(); ++l) out[l] = net.layer(l).dW.norm();
}

void normGradientNorms(const Mlp& net, float* out) {
  for (int l = 0; l + 1 < net.layerCount(); ++l) {
    const auto& n = net.layer(l).norm;
    out[l] = std::sqrt(n.dweight.squaredNorm() + n.dbias.squaredNorm());
  }
}

namespace {

float signAgreementOf(const Mat<float>& dW) {
  // dW is column-major (a column per input): rows are taken a block at a time, so each
  // column's slice of the block is contiguous and the sign counts vectorize.
  constexpr Eigen::Index kBlock = 64;
  const Eigen::Index rows = dW.rows(), cols = dW.cols();
  // Σ over units of |Σ sign| is an exact integer, divided once by fan-in × units.
  long long total = 0;
  for (Eigen::Index r0 = 0; r0 < rows; r0 += kBlock) {
    const Eigen::Index n = std::min(kBlock, rows - r0);
    int balance[kBlock] = {};
    for (Eigen::Index j = 0; j < cols; ++j) {
      const float* col = dW.data() + j * rows + r0;
      for (Eigen::Index i = 0; i < n; ++i) balance[i] += (col[i] > 0) - (col[i] < 0);
    }
    for (Eigen::Index i = 0; i < n; ++i) total += std::abs(balance[i]);
  }
  return rows ? static_cast<float>(static_cast<double>(total) /
                                   (static_cast<double>(cols) * static_cast<double>(rows)))
              : 0.0f;
}

}  // namespace

void signAgreement(const Mlp& net, float* out) {
  for (int l = 0; l < net.layerCount(); ++l) out[l] = signAgreementOf(net.layer(l).dW);
}

void weightGradientMeasures(const DenseLayer<float>& layer, float& norm, float& agreement) {
  // The sign counts bring dW into cache; the norm then reads it from there.
  agreement = signAgreementOf(layer.dW);
  norm = layer.dW.norm();
}

void meanAbsDz(const MlpCache<float>& cache, float* out) {
  for (size_t l = 0; l < cache.size(); ++l) {
    const auto& dz = cache[l].dz;
    out[l] = dz.size() ? dz.cwiseAbs().mean() : 0.0f;
  }
}

namespace {

// f'(z) of unit u's (winning) pre-activation on sample j, and that z.
float derivativeAt(const DenseLayer<float>& L, const LayerCache<float>& C, int u, Eigen::Index j,
                   float& zOut) {
  if (L.activation == Activation::Maxout) {
    zOut = C.a(u, j);
    return 1.0f;  // the winning piece passes its gradient unchanged
  }
  const float z = C.z(u, j);
  zOut = z;
  if (L.activation == Activation::PReLU) return z > 0 ? 1.0f : L.alpha[u];
  return static_cast<float>(activateDerivative(L.activation, z, L.param));
}

float histogramZ(const DenseLayer<float>& L, const LayerCache<float>& C, int u, Eigen::Index j) {
  return L.activation == Activation::Maxout ? C.a(u, j) : C.z(u, j);
}

constexpr float kHistogramLimit = 20.0f;  // |z| beyond this is off every plot anyway

}  // namespace

void LayerStatsAccumulator::begin(const DenseLayer<float>& L) {
  const auto units = static_cast<size_t>(L.units);
  m_active.assign(units, 0);
  m_nonzero.assign(units, 0);
  m_zSum.assign(units, 0.0);
  m_samples = m_zeros = m_saturated = 0;
  m_hist.fill(0.0);
  m_haveRange = false;
}

void LayerStatsAccumulator::widen(float z) {
  const int B = kHistogramBins;
  while (z < m_lo || z > m_hi) {
    const float width = m_hi - m_lo;
    std::array<double, kHistogramBins> merged{};
    if (z > m_hi) {  // grow to the right: pairs into the lower half
      for (int i = 0; i < B / 2; ++i)
        merged[static_cast<size_t>(i)] = m_hist[2 * i] + m_hist[2 * i + 1];
      m_hi = m_lo + 2 * width;
    } else {  // grow to the left: pairs into the upper half
      for (int i = 0; i < B / 2; ++i)
        merged[static_cast<size_t>(B / 2 + i)] = m_hist[2 * i] + m_hist[2 * i + 1];
      m_lo = m_hi - 2 * width;
    }
    m_hist = merged;
  }
}

void LayerStatsAccumulator::add(const DenseLayer<float>& L, const LayerCache<float>& C) {
  const Eigen::Index n = C.a.cols();
  const float satLimit = 0.01f * static_cast<float>(maxDerivative(L.activation, L.param));
  float lo = 0, hi = 0;
  bool first = true;
  for (int u = 0; u < L.units; ++u) {
    const auto su = static_cast<size_t>(u);
    Eigen::Index active = 0, nonzero = 0;
    double zSum = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      float z;
      const float d = derivativeAt(L, C, u, j, z);
      active += d >= satLimit;
      m_saturated += d < satLimit;
      nonzero += d != 0.0f;
      m_zeros += C.a(u, j) == 0.0f;
      zSum += z;
      if (std::isfinite(z)) {
        if (first) lo = hi = z, first = false;
        lo = std::min(lo, z), hi = std::max(hi, z);
      }
    }
    m_active[su] += active;
    m_nonzero[su] += nonzero;
    m_zSum[su] += zSum;
  }
  m_samples += n;
  if (first) return;  // no finite z in this chunk

  lo = std::max(lo, -kHistogramLimit), hi = std::min(hi, kHistogramLimit);
  if (!m_haveRange) {
    if (!(hi > lo)) lo -= 0.5f, hi += 0.5f;
    m_lo = lo, m_hi = hi, m_haveRange = true;
  } else {
    if (lo < m_lo) widen(lo);
    if (hi > m_hi) widen(hi);
  }
  const float scale = kHistogramBins / (m_hi - m_lo);
  for (int u = 0; u < L.units; ++u)
    for (Eigen::Index j = 0; j < n; ++j) {
      const float z = histogramZ(L, C, u, j);
      if (!std::isfinite(z) || z < m_lo || z > m_hi) continue;
      // A range a few ulps wide near the smallest floats (a zero-init network's z after some
      // steps) overflows `scale` to inf and the position to inf or NaN, which no int can hold.
      const float pos = (z - m_lo) * scale;
      const int b = pos >= kHistogramBins - 1 ? kHistogramBins - 1
                    : pos > 0                 ? static_cast<int>(pos)
                                              : 0;
      m_hist[static_cast<size_t>(b)] += 1.0;
    }
}

void LayerStatsAccumulator::finish(const DenseLayer<float>& L, LayerStats& s) const {
  const Eigen::Index n = m_samples;
  s.units = L.units;
  s.unitStats.resize(static_cast<size_t>(L.units));
  int dead = 0;
  for (int u = 0; u < L.units; ++u) {
    const auto su = static_cast<size_t>(u);
    auto& us = s.unitStats[su];
    us.dead = n > 0 && m_nonzero[su] == 0;
    dead += us.dead;
    us.activeRate = n ? static_cast<float>(m_active[su]) / static_cast<float>(n) : 0.0f;
    us.meanZ = n ? static_cast<float>(m_zSum[su] / static_cast<double>(n)) : 0.0f;
    us.weightNorm = L.W.middleRows(static_cast<Eigen::Index>(u) * L.pieces, L.pieces).norm();
  }
  const double total = static_cast<double>(n) * L.units;
  s.dead = dead;
  s.sparsity = total > 0 ? static_cast<float>(static_cast<double>(m_zeros) / total) : 0.0f;
  s.saturation = total > 0 ? static_cast<float>(static_cast<double>(m_saturated) / total) : 0.0f;
  if (m_haveRange) {
    s.histLo = m_lo, s.histHi = m_hi;
  } else {
    s.histLo = -0.5f, s.histHi = 0.5f;
  }
  for (size_t b = 0; b < s.histogram.size(); ++b) s.histogram[b] = static_cast<float>(m_hist[b]);
}

void measureLayer(const DenseLayer<float>& L, const LayerCache<float>& C, LayerStats& s) {
  LayerStatsAccumulator acc;
  acc.begin(L);
  acc.add(L, C);
  acc.finish(L, s);
}

std::vector<LayerStats> measureLayers(const Mlp& net, const MlpCache<float>& cache) {
  std::vector<LayerStats> out(static_cast<size_t>(net.layerCount() - 1));
  for (int l = 0; l + 1 < net.layerCount(); ++l)
    measureLayer(net.layer(l), cache[static_cast<size_t>(l)], out[static_cast<size_t>(l)]);
  return out;
}

}  // namespace gradscope
