// Adagrad as torch.optim.Adagrad (single-tensor, dense path): every weight divides its step
// by the root of its own running sum of squared gradients, with lr decaying as
// lr / (1 + (t − 1)·lr_decay).
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "core/optimizer/optimizer.h"
#include "core/optimizer/optimizer_common.h"

namespace gradscope {
namespace {

using optim::ArrayMap;
using optim::ConstArrayMap;

class Adagrad final : public Optimizer {
 public:
  Adagrad(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : m_params(std::move(params)),
        m_lr(c.get("lr")),
        m_lrDecay(c.get("lr_decay")),
        m_weightDecay(static_cast<float>(c.get("weight_decay"))),
        m_initialAccumulator(static_cast<float>(c.get("initial_accumulator_value"))),
        m_eps(static_cast<float>(c.get("eps"))),
        m_maximize(c.get("maximize") != 0) {
    for (const auto& p : m_params) {
      m_sum.emplace_back(Eigen::ArrayXf::Constant(p.size, m_initialAccumulator));
      m_g.resize(std::max(m_g.size(), p.size));
    }
  }

  void step(float, const Closure&) override {
    ++m_t;
    const float negClr =
        static_cast<float>(-(m_lr / (1.0 + static_cast<double>(m_t - 1) * m_lrDecay)));
    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const auto& p = m_params[i];
      ArrayMap theta(p.value, p.size);
      auto g = optim::effectiveGradient(m_g, p, m_maximize, m_weightDecay);
      auto& sum = m_sum[i];
      sum += g * g;
      theta += negClr * (g / (sum.sqrt() + m_eps));
    }
  }

  void reset() override {
    for (auto& a : m_sum) a.setConstant(m_initialAccumulator);
    m_t = 0;
  }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<Eigen::ArrayXf> m_sum;  // per parameter: Σ g² (from initial_accumulator_value)
  Eigen::ArrayXf m_g;                 // (largest parameter) scratch for the gradient
  double m_lr, m_lrDecay;
  float m_weightDecay, m_initialAccumulator, m_eps;
  bool m_maximize;
  long long m_t = 0;  // steps taken
};

}  // namespace

std::unique_ptr<Optimizer> makeAdagrad(const OptimizerConfig& c,
                                       std::vector<ParamView<float>> params) {
  return std::make_unique<Adagrad>(c, std::move(params));
}

}  // namespace gradscope
