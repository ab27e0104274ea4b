// Adadelta as torch.optim.Adadelta (single-tensor path): the step is the gradient scaled by
// RMS(past updates) / RMS(gradients), both running averages with decay rho, so its units
// match the weights' and lr (1.0 by default) only rescales it.
#include <Eigen/Core>
#include <cmath>

#include "core/optimizer/optimizer.h"

namespace gradscope {
namespace {

class Adadelta final : public Optimizer {
 public:
  Adadelta(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : m_params(std::move(params)),
        m_lr(static_cast<float>(c.get("lr"))),
        m_rho(static_cast<float>(c.get("rho"))),
        m_oneMinusRho(static_cast<float>(1.0 - c.get("rho"))),
        m_eps(static_cast<float>(c.get("eps"))),
        m_weightDecay(static_cast<float>(c.get("weight_decay"))),
        m_maximize(c.get("maximize") != 0) {
    for (const auto& p : m_params) {
      m_squareAvg.emplace_back(Eigen::ArrayXf::Zero(p.size));
      m_accDelta.emplace_back(Eigen::ArrayXf::Zero(p.size));
    }
  }

  void step(float, const Closure&) override {
    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const auto& p = m_params[i];
      float* v = m_squareAvg[i].data();
      float* u = m_accDelta[i].data();
      for (Eigen::Index j = 0; j < p.size; ++j) {
        float g = m_maximize ? -p.grad[j] : p.grad[j];
        if (m_weightDecay != 0) g += m_weightDecay * p.value[j];
        v[j] = v[j] * m_rho + m_oneMinusRho * g * g;
        const float delta = std::sqrt(u[j] + m_eps) / std::sqrt(v[j] + m_eps) * g;
        u[j] = u[j] * m_rho + m_oneMinusRho * delta * delta;
        p.value[j] -= m_lr * delta;
      }
    }
  }

  void reset() override {
    for (auto& a : m_squareAvg) a.setZero();
    for (auto& a : m_accDelta) a.setZero();
  }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<Eigen::ArrayXf> m_squareAvg;  // per parameter: running mean of g²
  std::vector<Eigen::ArrayXf> m_accDelta;   // per parameter: running mean of Δx²
  float m_lr, m_rho, m_oneMinusRho, m_eps, m_weightDecay;
  bool m_maximize;
};

}  // namespace

std::unique_ptr<Optimizer> makeAdadelta(const OptimizerConfig& c,
                                        std::vector<ParamView<float>> params) {
  return std::make_unique<Adadelta>(c, std::move(params));
}

}  // namespace gradscope
