// NAdam as torch.optim.NAdam's algorithm box: Adam with a Nesterov look-ahead whose momentum
// μ_t = β1·(1 − ½·0.96^(t·ψ)) warms up, and bias corrections by the running products of μ.
// maximize as in torch 2.x. The look-ahead product is Π_{i≤t+1} μ_i as the box states
// (torch 1.13's code multiplied μ_t in twice; fixed in 2.0).
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "core/optimizer/optimizer.h"
#include "core/optimizer/optimizer_common.h"

namespace gradscope {
namespace {

using optim::ArrayMap;
using optim::ConstArrayMap;

class Nadam final : public Optimizer {
 public:
  Nadam(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : m_params(std::move(params)),
        m_lr(c.get("lr")),
        m_beta1(c.get("beta1")),
        m_beta2(c.get("beta2")),
        m_eps(static_cast<float>(c.get("eps"))),
        m_weightDecay(static_cast<float>(c.get("weight_decay"))),
        m_momentumDecay(c.get("momentum_decay")),
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
    const float bc2 = static_cast<float>(1.0 - std::pow(m_beta2, t));
    const double mu = m_beta1 * (1.0 - 0.5 * std::pow(0.96, t * m_momentumDecay));
    const double muNext = m_beta1 * (1.0 - 0.5 * std::pow(0.96, (t + 1.0) * m_momentumDecay));
    m_muProduct *= mu;
    const double muProductNext = m_muProduct * muNext;
    const float gradScale = static_cast<float>(-m_lr * (1.0 - mu) / (1.0 - m_muProduct));
    const float momentumScale = static_cast<float>(-m_lr * muNext / (1.0 - muProductNext));
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
      // Two separate additions, as torch's two addcdiv_ calls round.
      theta += gradScale * (g / ((v / bc2).sqrt() + m_eps));
      theta += momentumScale * (m / ((v / bc2).sqrt() + m_eps));
    }
  }

  void reset() override {
    for (auto& a : m_m) a.setZero();
    for (auto& a : m_v) a.setZero();
    m_t = 0;
    m_muProduct = 1.0;
  }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<Eigen::ArrayXf> m_m;  // per parameter: first moment
  std::vector<Eigen::ArrayXf> m_v;  // per parameter: second moment
  Eigen::ArrayXf m_g;               // (largest parameter) scratch for the gradient
  double m_lr, m_beta1, m_beta2;
  float m_eps, m_weightDecay;
  double m_momentumDecay;
  bool m_maximize;
  long long m_t = 0;         // steps taken
  double m_muProduct = 1.0;  // Π_{i≤t} μ_i
};

}  // namespace

std::unique_ptr<Optimizer> makeNadam(const OptimizerConfig& c,
                                     std::vector<ParamView<float>> params) {
  return std::make_unique<Nadam>(c, std::move(params));
}

}  // namespace gradscope
