// Measurements of a network, defined precisely, taken from the layers' caches:
//
//   gradient norm      ‖dL/dW_l‖_F, the Frobenius norm of layer l's weight gradient — what
//                      torch's layer.weight.grad.norm() reports
//   mean |dL/dz|       mean over units and batch of the backpropagated signal at layer l
//   update ratio       ‖ΔW_l‖_F / ‖W_l‖_F of one optimizer step (W before the step)
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

// The same for one layer; `out` is reused, so repeated calls allocate nothing once sized.
void measureLayer(const DenseLayer<float>& layer, const LayerCache<float>& cache, LayerStats& out);

// Per-layer gradient norms (input side first, output layer last) from the layers' dW.
void gradientNorms(const Mlp& net, float* out);
// Per-layer mean |dL/dz| from the cache of the last backward pass.
void meanAbsDz(const MlpCache<float>& cache, float* out);

}  // namespace gradscope
