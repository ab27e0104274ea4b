// Adamax as torch.optim.Adamax (single-tensor path): Adam's first moment divided by an
// exponentially weighted infinity norm u = max(β2·u, |g| + eps) instead of √v.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "core/optimizer/optimizer.h"
#include "core/optimizer/optimizer_common.h"

namespace gradscope {
namespace {

using optim::ArrayMap;
using optim::ConstArrayMap;

class Adamax final : public Optimizer {
 public:
  Adamax(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : m_params(std::move(params)),
        m_lr(c.get("lr")),
        m_beta1(c.get("beta1")),
        m_beta2(static_cast<float>(c.get("beta2"))),
        m_eps(static_cast<float>(c.get("eps"))),
        m_weightDecay(static_cast<float>(c.get("weight_decay"))),
        m_maximize(c.get("maximize") != 0) {
    for (const auto& p : m_params) {
      m_m.emplace_back(Eigen::ArrayXf::Zero(p.size));
      m_u.emplace_back(Eigen::ArrayXf::Zero(p.size));
      m_g.resize(std::max(m_g.size(), p.size));
    }
  }

  void step(float, const Closure&) override {
    ++m_t;
    const float negClr =
        static_cast<float>(-(m_lr / (1.0 - std::pow(m_beta1, static_cast<double>(m_t)))));
    const float b1 = static_cast<float>(m_beta1), oneMinusB1 = static_cast<float>(1.0 - m_beta1);
    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const auto& p = m_params[i];
      ArrayMap theta(p.value, p.size);
      auto g = optim::effectiveGradient(m_g, p, m_maximize, m_weightDecay);
      auto& m = m_m[i];
      auto& u = m_u[i];
      m = m * b1 + oneMinusB1 * g;
      u = (u * m_beta2).max(g.abs() + m_eps);
      theta += negClr * (m / u);
    }
  }

  void reset() override {
    for (auto& a : m_m) a.setZero();
    for (auto& a : m_u) a.setZero();
    m_t = 0;
  }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<Eigen::ArrayXf> m_m;  // per parameter: first moment
  std::vector<Eigen::ArrayXf> m_u;  // per parameter: exponentially weighted infinity norm
  Eigen::ArrayXf m_g;               // (largest parameter) scratch for the gradient
  double m_lr, m_beta1;
  float m_beta2, m_eps, m_weightDecay;
  bool m_maximize;
  long long m_t = 0;  // steps taken
};

}  // namespace

std::unique_ptr<Optimizer> makeAdamax(const OptimizerConfig& c,
                                      std::vector<ParamView<float>> params) {
  return std::make_unique<Adamax>(c, std::move(params));
}

}  // namespace gradscope
