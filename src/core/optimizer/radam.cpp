// RAdam as torch.optim.RAdam's algorithm box: while the length of the approximated simple
// moving average ρ_t is at most 5 the variance estimate is too noisy, so the step is plain
// bias-corrected momentum; after that it is Adam's step times the rectification term r_t.
// maximize as in torch 2.x.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "core/optimizer/optimizer.h"
#include "core/optimizer/optimizer_common.h"

namespace gradscope {
namespace {

using optim::ArrayMap;
using optim::ConstArrayMap;

class Radam final : public Optimizer {
 public:
  Radam(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : m_params(std::move(params)),
        m_lr(c.get("lr")),
        m_beta1(c.get("beta1")),
        m_beta2(c.get("beta2")),
        m_eps(static_cast<float>(c.get("eps"))),
        m_weightDecay(static_cast<float>(c.get("weight_decay"))),
        m_maximize(c.get("maximize") != 0) {
    for (const auto& p : m_params) {
      m_m.emplace_back(Eigen::ArrayXf::Zero(p.size));
      m_v.emplace_back(Eigen::ArrayXf::Zero(p.size));
      m_g.resize(std::max(m_g.size(), p.size));
    }
  }

  void step(float, const Closure&) override {
    ++m_t;
    const double t = static_cast<double>(m_t);
    const double beta2t = std::pow(m_beta2, t);
    const float bc1 = static_cast<float>(1.0 - std::pow(m_beta1, t));
    const double bc2 = 1.0 - beta2t;
    const double rhoInf = 2.0 / (1.0 - m_beta2) - 1.0;
    const double rhoT = rhoInf - 2.0 * t * beta2t / bc2;
    const bool rectified = rhoT > 5.0;
    const double rect = rectified ? std::sqrt((rhoT - 4.0) * (rhoT - 2.0) * rhoInf /
                                              ((rhoInf - 4.0) * (rhoInf - 2.0) * rhoT))
                                  : 0.0;
    const float lr = static_cast<float>(m_lr), rectF = static_cast<float>(rect);
    const float bc2Sqrt = static_cast<float>(std::sqrt(bc2));
    const float b1 = static_cast<float>(m_beta1), oneMinusB1 = static_cast<float>(1.0 - m_beta1);
    const float b2 = static_cast<float>(m_beta2), oneMinusB2 = static_cast<float>(1.0 - m_beta2);

    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const auto& p = m_params[i];
      ArrayMap theta(p.value, p.size);
      auto g = optim::effectiveGradient(m_g, p, m_maximize, m_weightDecay);
      auto& m = m_m[i];
      auto& v = m_v[i];
      m = m * b1 + oneMinusB1 * g;
      v = v * b2 + oneMinusB2 * g * g;
      if (rectified)
        theta -= (m / bc1) * lr * (bc2Sqrt / (v.sqrt() + m_eps)) * rectF;
      else
        theta -= (m / bc1) * lr;
    }
  }

  void reset() override {
    for (auto& a : m_m) a.setZero();
    for (auto& a : m_v) a.setZero();
    m_t = 0;
  }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<Eigen::ArrayXf> m_m;  // per parameter: first moment
  std::vector<Eigen::ArrayXf> m_v;  // per parameter: second moment
  Eigen::ArrayXf m_g;               // (largest parameter) scratch for the gradient
  double m_lr, m_beta1, m_beta2;
  float m_eps, m_weightDecay;
  bool m_maximize;
  long long m_t = 0;  // steps taken
};

}  // namespace

std::unique_ptr<Optimizer> makeRadam(const OptimizerConfig& c,
                                     std::vector<ParamView<float>> params) {
  return std::make_unique<Radam>(c, std::move(params));
}

}  // namespace gradscope
