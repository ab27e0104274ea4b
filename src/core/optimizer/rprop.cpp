// Rprop as torch.optim.Rprop (single-tensor path): only the sign of each gradient is used.
// A weight's step grows by eta+ while the sign holds and shrinks by eta− when it flips; after
// a flip the gradient counts as zero for that step (no move, and no sign to compare next time).
#include <Eigen/Core>
#include <algorithm>

#include "core/optimizer/optimizer.h"

namespace gradscope {
namespace {

class Rprop final : public Optimizer {
 public:
  Rprop(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : m_params(std::move(params)),
        m_lr(static_cast<float>(c.get("lr"))),
        m_etaMinus(static_cast<float>(c.get("eta_minus"))),
        m_etaPlus(static_cast<float>(c.get("eta_plus"))),
        m_stepMin(static_cast<float>(c.get("step_size_min"))),
        m_stepMax(static_cast<float>(c.get("step_size_max"))),
        m_maximize(c.get("maximize") != 0) {
    for (const auto& p : m_params) {
      m_prev.emplace_back(Eigen::ArrayXf::Zero(p.size));
      m_stepSize.emplace_back(Eigen::ArrayXf::Constant(p.size, m_lr));
    }
  }

  void step(float, const Closure&) override {
    // Locals, so the compiler knows no store to a weight changes them.
    const float etaMinus = m_etaMinus, etaPlus = m_etaPlus, stepMin = m_stepMin,
                stepMax = m_stepMax;
    const bool maximize = m_maximize;
    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const Eigen::Index n = m_params[i].size;
      float* __restrict theta = m_params[i].value;
      const float* __restrict grad = m_params[i].grad;
      float* __restrict prev = m_prev[i].data();
      float* __restrict size = m_stepSize[i].data();
      for (Eigen::Index j = 0; j < n; ++j) {
        float g = maximize ? -grad[j] : grad[j];
        // The sign of the float product, as torch takes it (a product that underflows to 0
        // counts as "no sign").
        const float product = g * prev[j];
        const float factor = product > 0 ? etaPlus : product < 0 ? etaMinus : 1.0f;
        size[j] = std::clamp(size[j] * factor, stepMin, stepMax);
        if (product < 0) g = 0;
        const float sign = g > 0 ? 1.0f : g < 0 ? -1.0f : 0.0f;
        theta[j] -= sign * size[j];
        prev[j] = g;
      }
    }
  }

  void reset() override {
    for (auto& a : m_prev) a.setZero();
    for (auto& a : m_stepSize) a.setConstant(m_lr);
  }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<Eigen::ArrayXf> m_prev;      // per parameter: last step's (possibly zeroed) g
  std::vector<Eigen::ArrayXf> m_stepSize;  // per parameter: current step size, starts at lr
  float m_lr, m_etaMinus, m_etaPlus, m_stepMin, m_stepMax;
  bool m_maximize;
};

}  // namespace

std::unique_ptr<Optimizer> makeRprop(const OptimizerConfig& c,
                                     std::vector<ParamView<float>> params) {
  return std::make_unique<Rprop>(c, std::move(params));
}

}  // namespace gradscope
