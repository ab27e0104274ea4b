// Measurements of a network, defined precisely, taken from the layers' caches:
//
//   gradient norm      ‖dL/dW_l‖_F, the Frobenius norm of layer l's weight gradient — what
//                      torch's layer.weight.grad.norm() reports
//   mean |dL/dz|       mean over units and batch of the backpropagated signal at layer l
//   update ratio       ‖ΔW_l‖_F / ‖W_l‖_F of one optimizer step (W before the step)
//   sign agreement     per unit, |Σ_j sign(dL/dW_ij)| / fan_in, averaged over layer l's units:
//                      1 when all of a unit's incoming weight gradients (so all its plain-SGD
//                      updates) share one sign, as they do for one sample whose inputs are all
//                      positive (sigmoid outputs); near 0 when the signs are mixed
//   dead unit          a hidden unit whose activation derivative f'(z) is exactly 0 on every
//                      training sample, so no gradient reaches its weights; for ReLU this is
//                      the dying ReLU: output 0 for every sample
//   sparsity           share of a layer's activations that are exactly 0
//   saturation         share of a layer's pre-activations where f'(z) < 1% of max f'
//   active rate        per unit, the share of samples with f'(z) ≥ 1% of max f' (for ReLU:
//                      z > 0)
#pragma once

#include <Eigen/Core>
#include <array>
#include <vector>

#include "core/mlp.h"

namespace gradscope {

inline constexpr int kHistogramBins = 64;

struct UnitStats {
  float activeRate = 0;  // share of samples on which the unit passes gradient
  float meanZ = 0;       // mean pre-activation (Maxout: of the winning piece)
  float weightNorm = 0;  // ‖incoming weights‖ (all pieces for Maxout)
  bool dead = false;     // f'(z) = 0 on every sample
};

struct LayerStats {
  int units = 0;
  int dead = 0;
  float sparsity = 0;
  float saturation = 0;
  std::array<float, kHistogramBins> histogram{};  // counts of z over [histLo, histHi]
  float histLo = -1, histHi = 1;
  std::vector<UnitStats> unitStats;  // one per unit
};

// Statistics of every hidden layer from a forward pass over the whole training set (the
// cache holds that pass). The output layer is not included. Allocates: call off the hot path.
std::vector<LayerStats> measureLayers(const Mlp& net, const MlpCache<float>& cache);

// The same for one layer from one pass (one chunk).
void measureLayer(const DenseLayer<float>& layer, const LayerCache<float>& cache, LayerStats& out);

// A layer's statistics over a data set fed in chunks (a forward pass of each chunk in `cache`),
// so a whole-set measurement needs the memory of one chunk whatever the set's size. Counts,
// rates, means and dead units are exact for any split. The histogram's bins span the first
// chunk's range [min z, max z] (clipped to ±20); a later z outside it doubles the bin width
// toward that side (adjacent bins merge), so every z is counted exactly once and the bins cover
// the whole set's range within a factor of two. One chunk gives the histogram over exactly
// [min z, max z].
class LayerStatsAccumulator {
 public:
  void begin(const DenseLayer<float>& layer);
  void add(const DenseLayer<float>& layer, const LayerCache<float>& cache);
  void finish(const DenseLayer<float>& layer, LayerStats& out) const;

 private:
  void widen(float z);

  std::vector<Eigen::Index> m_active, m_nonzero;
  std::vector<double> m_zSum;
  Eigen::Index m_samples = 0, m_zeros = 0, m_saturated = 0;
  std::array<double, kHistogramBins> m_hist{};
  float m_lo = 0, m_hi = 0;
  bool m_haveRange = false;
};

// Per-layer gradient norms (input side first, output layer last) from the layers' dW.
void gradientNorms(const Mlp& net, float* out);
// Per hidden layer, the norm of its normalization's parameter gradients ‖(dL/dγ, dL/dβ)‖ —
// what torch reports as the norm of the concatenated norm.weight.grad and norm.bias.grad. Only
// for networks with a norm; the output layer has none.
void normGradientNorms(const Mlp& net, float* out);
// Per-layer mean |dL/dz| from the cache of the last backward pass.
void meanAbsDz(const MlpCache<float>& cache, float* out);
// out[l] = layer l's sign agreement (above), from the dW of the last backward.
void signAgreement(const Mlp& net, float* out);
// One layer's gradient norm and sign agreement, the same values as the two above; training
// takes them as backward() finishes each layer (Mlp::LayerGradientsReady), while dW is in cache.
void weightGradientMeasures(const DenseLayer<float>& layer, float& norm, float& agreement);

}  // namespace gradscope
