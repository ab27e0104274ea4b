// What the optimizer implementations share (not part of the interface in optimizer.h): array
// views of a parameter, the gradient torch's update rules start from, and the factories that
// makeOptimizer dispatches to.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <memory>
#include <vector>

#include "core/optimizer/optimizer.h"

namespace gradscope {
namespace optim {

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

// Scratch for the gradient, sized once for the largest parameter so step() never allocates.
inline Eigen::ArrayXf gradientScratch(const std::vector<ParamView<float>>& params) {
  Eigen::Index largest = 0;
  for (const auto& p : params) largest = std::max(largest, p.size);
  return Eigen::ArrayXf(largest);
}

// The gradient torch's update rules step on: −grad when maximizing, plus weight_decay·θ
// (L2 added to the gradient; AdamW's decoupled decay is applied to θ instead, with
// weightDecay 0 here). A view into `scratch`.
inline Eigen::VectorBlock<Eigen::ArrayXf> effectiveGradient(Eigen::ArrayXf& scratch,
                                                            const ParamView<float>& p,
                                                            bool maximize, float weightDecay) {
  auto g = scratch.head(p.size);
  if (maximize)
    g = -ConstArrayMap(p.grad, p.size);
  else
    g = ConstArrayMap(p.grad, p.size);
  if (weightDecay != 0) g += weightDecay * ArrayMap(p.value, p.size);
  return g;
}

}  // namespace optim

// An optimizer whose plain form measures its own steps (measuredPass in step_norm.h): the
// norms of the last step, one per parameter tensor.
class StepMeasuringOptimizer : public Optimizer {
 public:
  std::span<const StepNorm> stepNorms() const override { return m_norms; }

 protected:
  explicit StepMeasuringOptimizer(std::size_t tensors) : m_norms(tensors) {}
  std::vector<StepNorm> m_norms;
};

// One per optimizer or family, each defined in its own file; called with a validated config.
std::unique_ptr<Optimizer> makeSgd(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeAdadelta(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeAdagrad(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeAdam(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeSparseAdam(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeAdamax(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeAsgd(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeLbfgs(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeNadam(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeRadam(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeRmsprop(const OptimizerConfig&, std::vector<ParamView<float>>);
std::unique_ptr<Optimizer> makeRprop(const OptimizerConfig&, std::vector<ParamView<float>>);

}  // namespace gradscope
