// Layer measurements (definitions in measure.h).
#include "core/measure.h"

#include <algorithm>
#include <cmath>

namespace gradscope {

void gradientNorms(const Mlp& net, float* out) {
  for (int l = 0; l < net.layerCount(); ++l) out[l] = net.layer(l).dW.norm();
}

void meanAbsDz(const MlpCache<float>& cache, float* out) {
  for (size_t l = 0; l < cache.size(); ++l) {
    const auto& dz = cache[l].dz;
    out[l] = dz.size() ? dz.cwiseAbs().mean() : 0.0f;
  }
}

void measureLayer(const DenseLayer<float>& L, const LayerCache<float>& C, LayerStats& s) {
  const Eigen::Index n = C.a.cols();
  s.units = L.units;
  s.unitStats.resize(static_cast<size_t>(L.units));
  const float maxD = static_cast<float>(maxDerivative(L.activation, L.param));
  const float satLimit = 0.01f * maxD;

  // The derivative f'(z) of each unit's (winning) pre-activation, sample by sample.
  auto derivative = [&](int u, Eigen::Index j, float& zOut) -> float {
    if (L.activation == Activation::Maxout) {
      zOut = C.a(u, j);
      return 1.0f;  // the winning piece passes its gradient unchanged
    }
    const float z = C.z(u, j);
    zOut = z;
    if (L.activation == Activation::PReLU) return z > 0 ? 1.0f : L.alpha[u];
    return static_cast<float>(activateDerivative(L.activation, z, L.param));
  };

  int dead = 0;
  Eigen::Index zeros = 0, saturated = 0;
  float lo = 0, hi = 0;
  bool first = true;
  for (int u = 0; u < L.units; ++u) {
    Eigen::Index active = 0, nonzeroDerivative = 0;
    double zSum = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      float z;
      const float d = derivative(u, j, z);
      active += d >= satLimit;
      saturated += d < satLimit;
      nonzeroDerivative += d != 0.0f;
      zeros += C.a(u, j) == 0.0f;
      zSum += z;
      if (std::isfinite(z)) {
        if (first) lo = hi = z, first = false;
        lo = std::min(lo, z), hi = std::max(hi, z);
      }
    }
    auto& us = s.unitStats[static_cast<size_t>(u)];
    us.dead = n > 0 && nonzeroDerivative == 0;
    dead += us.dead;
    us.activeRate = n ? static_cast<float>(active) / n : 0.0f;
    us.meanZ = n ? static_cast<float>(zSum / n) : 0.0f;
    us.weightNorm = L.W.middleRows(static_cast<Eigen::Index>(u) * L.pieces, L.pieces).norm();
  }
  const double total = static_cast<double>(n) * L.units;
  s.dead = dead;
  s.sparsity = total > 0 ? static_cast<float>(zeros / total) : 0.0f;
  s.saturation = total > 0 ? static_cast<float>(saturated / total) : 0.0f;

  // Histogram of z over its observed range, clipped to ±20 where the plots end anyway.
  lo = std::max(lo, -20.0f), hi = std::min(hi, 20.0f);
  if (!(hi > lo)) lo -= 0.5f, hi += 0.5f;
  s.histLo = lo, s.histHi = hi;
  s.histogram.fill(0.0f);
  const float scale = kHistogramBins / (hi - lo);
  for (int u = 0; u < L.units; ++u)
    for (Eigen::Index j = 0; j < n; ++j) {
      const float z = L.activation == Activation::Maxout ? C.a(u, j) : C.z(u, j);
      if (!std::isfinite(z) || z < lo || z > hi) continue;
      // A range a few ulps wide near the smallest floats (a zero-init network's z after some
      // steps) overflows `scale` to inf and the position to inf or NaN, which no int can hold.
      const float pos = (z - lo) * scale;
      const int b = pos >= kHistogramBins - 1 ? kHistogramBins - 1
                    : pos > 0                 ? static_cast<int>(pos)
                                              : 0;
      s.histogram[static_cast<size_t>(b)] += 1.0f;
    }
}

std::vector<LayerStats> measureLayers(const Mlp& net, const MlpCache<float>& cache) {
  std::vector<LayerStats> out(static_cast<size_t>(net.layerCount() - 1));
  for (int l = 0; l + 1 < net.layerCount(); ++l)
    measureLayer(net.layer(l), cache[static_cast<size_t>(l)], out[static_cast<size_t>(l)]);
  return out;
}

}  // namespace gradscope
