// Σ(θ_after − θ_before)² and Σθ_after² over a parameter tensor: what ‖ΔW‖ / ‖W‖ is made of.
// Summed in 16 lanes (element i in lane i mod 16, then the lanes in order), one block of 16
// at a time as fixed-size Eigen arrays, so the sums stay in registers and vectorize. An
// optimizer's fused pass and a pass over a copy taken before the step both accumulate through
// StepNormLanes, so they give the same floats.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <tuple>
#include <type_traits>

#include "core/optimizer/optimizer.h"

namespace gradscope {

class StepNormLanes {
 public:
  static constexpr int kWidth = 16;
  using Block = Eigen::Array<float, kWidth, 1>;

  void add(const Block& before, const Block& after) {
    const Block d = after - before;
    m_delta += d * d;
    m_value += after * after;
  }
  // A last block of `used` < kWidth elements, into lanes 0 … used − 1.
  void addPartial(const float* before, const float* after, int used) {
    for (int j = 0; j < used; ++j) {
      const float d = after[j] - before[j];
      m_delta[j] += d * d;
      m_value[j] += after[j] * after[j];
    }
  }
  Optimizer::StepNorm sum() const {
    Optimizer::StepNorm s;
    for (int j = 0; j < kWidth; ++j) s.deltaSq += m_delta[j], s.valueSq += m_value[j];
    return s;
  }

 private:
  Block m_delta = Block::Zero(), m_value = Block::Zero();
};

namespace detail {
// The partial last block of a pass: `used` elements of a tensor in a block (the rest zero),
// and a block's first `used` stored back.
inline StepNormLanes::Block loadPartial(const float* p, int used) {
  StepNormLanes::Block b = StepNormLanes::Block::Zero();
  std::copy_n(p, used, b.data());
  return b;
}
inline void storePartial(const StepNormLanes::Block& b, float* p, int used) {
  std::copy_n(b.data(), used, p);
}
}  // namespace detail

// Both sums for a tensor after a step and its copy from before it.
inline Optimizer::StepNorm stepNorm(const float* before, const float* after, Eigen::Index n) {
  using Block = StepNormLanes::Block;
  constexpr int W = StepNormLanes::kWidth;
  StepNormLanes lanes;
  Eigen::Index k = 0;
  for (; k + W <= n; k += W)
    lanes.add(Eigen::Map<const Block>(before + k), Eigen::Map<const Block>(after + k));
  if (k < n) lanes.addPartial(before + k, after + k, static_cast<int>(n - k));
  return lanes.sum();
}

// An element-wise update rule applied to a whole tensor in one pass over memory, 16 elements
// at a time, summing the step's norms on the way: θ ← rule(θ, g, s…) where `rule` updates each
// of its state blocks s (one per `state` array, the size of θ) in place and returns the new
// θ. Rules are written once, on blocks, with the same operations in the same order per
// element as the optimizer's general form.
template <typename Rule, typename... State>
Optimizer::StepNorm measuredPass(float* theta, const float* grad, Eigen::Index n, const Rule& rule,
                                 State*... state) {
  using Block = StepNormLanes::Block;
  constexpr int W = StepNormLanes::kWidth;
  StepNormLanes lanes;
  Eigen::Index k = 0;
  for (; k + W <= n; k += W) {
    Eigen::Map<Block> thetak(theta + k);
    const Block before = thetak;
    const Block after =
        rule(before, Block(Eigen::Map<const Block>(grad + k)), Eigen::Map<Block>(state + k)...);
    thetak = after;
    lanes.add(before, after);
  }
  if (k < n) {
    const int used = static_cast<int>(n - k);
    const Block before = detail::loadPartial(theta + k, used);
    std::tuple<std::conditional_t<true, Block, State>...> blocks{
        detail::loadPartial(state + k, used)...};
    const Block after = std::apply(
        [&](auto&... s) { return Block(rule(before, detail::loadPartial(grad + k, used), s...)); },
        blocks);
    std::apply([&](const auto&... s) { (detail::storePartial(s, state + k, used), ...); }, blocks);
    detail::storePartial(after, theta + k, used);
    lanes.addPartial(before.data(), after.data(), used);
  }
  return lanes.sum();
}

}  // namespace gradscope
