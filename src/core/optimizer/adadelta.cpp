// Adadelta as torch.optim.Adadelta (single-tensor path): the step is the gradient scaled by
// RMS(past updates) / RMS(gradients), both running averages with decay rho, so its units
// match the weights' and lr (1.0 by default) only rescales it.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "core/optimizer/optimizer.h"
#include "core/optimizer/optimizer_common.h"

namespace gradscope {
namespace {

using optim::ArrayMap;
using optim::ConstArrayMap;

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
      m_g.resize(std::max(m_g.size(), p.size));
    }
  }

  void step(float, const Closure&) override {
    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const auto& p = m_params[i];
      ArrayMap theta(p.value, p.size);
      auto g = optim::effectiveGradient(m_g, p, m_maximize, m_weightDecay);
      auto& v = m_squareAvg[i];
      auto& u = m_accDelta[i];
      v = v * m_rho + m_oneMinusRho * g * g;
      auto delta = g;  // the update Δx overwrites the gradient it is made from
      delta = (u + m_eps).sqrt() / (v + m_eps).sqrt() * g;
      u = u * m_rho + m_oneMinusRho * delta * delta;
      theta -= m_lr * delta;
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
  Eigen::ArrayXf m_g;  // (largest parameter) scratch for the gradient, then the update
  float m_lr, m_rho, m_oneMinusRho, m_eps, m_weightDecay;
  bool m_maximize;
};

}  // namespace

std::unique_ptr<Optimizer> makeAdadelta(const OptimizerConfig& c,
                                        std::vector<ParamView<float>> params) {
  return std::make_unique<Adadelta>(c, std::move(params));
}

}  // namespace gradscope
