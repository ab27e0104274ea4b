// ASGD as torch.optim.ASGD (single-tensor path): SGD whose step size η decays as
// lr / (1 + lambd·lr·t)^alpha, with the weights shrunk by (1 − lambd·η) each step, and a
// running average ax of the weights that starts averaging once t exceeds t0 (before that
// μ = 1 and ax simply follows the weights). η and μ are kept in float as torch keeps them.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "core/optimizer/optimizer.h"

namespace gradscope {
namespace {

class Asgd final : public Optimizer {
 public:
  Asgd(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : m_params(std::move(params)),
        m_lr(c.get("lr")),
        m_lambd(c.get("lambd")),
        m_alpha(c.get("alpha")),
        m_t0(c.get("t0")),
        m_weightDecay(static_cast<float>(c.get("weight_decay"))),
        m_maximize(c.get("maximize") != 0) {
    for (const auto& p : m_params) m_ax.emplace_back(static_cast<std::size_t>(p.size), 0.0f);
    reset();
  }

  void step(float, const Closure&) override {
    ++m_t;
    const float shrink = static_cast<float>(1.0 - m_lambd * static_cast<double>(m_eta));
    const float negEta = -m_eta, mu = m_mu, weightDecay = m_weightDecay;
    const bool maximize = m_maximize;
    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const Eigen::Index n = m_params[i].size;
      float* __restrict theta = m_params[i].value;
      const float* __restrict grad = m_params[i].grad;
      float* __restrict ax = m_ax[i].data();
      for (Eigen::Index j = 0; j < n; ++j) {
        float g = maximize ? -grad[j] : grad[j];
        if (weightDecay != 0) g += weightDecay * theta[j];
        theta[j] *= shrink;
        theta[j] += negEta * g;
        if (mu != 1.0f)
          ax[j] += (theta[j] - ax[j]) * mu;
        else
          ax[j] = theta[j];
      }
    }
    const double t = static_cast<double>(m_t);
    m_eta = static_cast<float>(m_lr / std::pow(1.0 + m_lambd * m_lr * t, m_alpha));
    m_mu = static_cast<float>(1.0 / std::max(1.0, t - m_t0));
  }

  void reset() override {
    for (auto& a : m_ax) std::fill(a.begin(), a.end(), 0.0f);
    m_t = 0;
    m_eta = static_cast<float>(m_lr);
    m_mu = 1.0f;
  }

  std::span<const std::vector<float>> averagedParameters() const override { return m_ax; }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<std::vector<float>> m_ax;  // per parameter: the averaged weights (0 before step 1)
  double m_lr, m_lambd, m_alpha, m_t0;
  float m_weightDecay;
  bool m_maximize;
  long long m_t = 0;   // steps taken
  float m_eta = 0.0f;  // step size for the next step
  float m_mu = 1.0f;   // averaging weight for the next step
};

}  // namespace

std::unique_ptr<Optimizer> makeAsgd(const OptimizerConfig& c,
                                    std::vector<ParamView<float>> params) {
  return std::make_unique<Asgd>(c, std::move(params));
}

}  // namespace gradscope
