// RMSprop as torch.optim.RMSprop (single-tensor path): divide by the root of a running mean
// of g² (minus the squared running mean of g when centered), optionally through a momentum
// buffer. eps is added outside the root, as in torch.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "core/optimizer/optimizer.h"
#include "core/optimizer/optimizer_common.h"
#include "core/optimizer/step_norm.h"

namespace gradscope {
namespace {

using optim::ArrayMap;
using optim::ConstArrayMap;

class Rmsprop final : public StepMeasuringOptimizer {
 public:
  Rmsprop(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : StepMeasuringOptimizer(params.size()),
        m_params(std::move(params)),
        m_lr(static_cast<float>(c.get("lr"))),
        m_alpha(static_cast<float>(c.get("alpha"))),
        m_oneMinusAlpha(static_cast<float>(1.0 - c.get("alpha"))),
        m_eps(static_cast<float>(c.get("eps"))),
        m_weightDecay(static_cast<float>(c.get("weight_decay"))),
        m_momentum(static_cast<float>(c.get("momentum"))),
        m_centered(c.get("centered") != 0),
        m_maximize(c.get("maximize") != 0) {
    for (const auto& p : m_params) {
      m_squareAvg.emplace_back(Eigen::ArrayXf::Zero(p.size));
      m_gradAvg.emplace_back(Eigen::ArrayXf::Zero(m_centered ? p.size : 0));
      m_buffer.emplace_back(Eigen::ArrayXf::Zero(m_momentum > 0 ? p.size : 0));
      m_g.resize(std::max(m_g.size(), p.size));
    }
    m_avg.resize(m_g.size());
  }

  void step(float, const Closure&) override {
    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const auto& p = m_params[i];
      if (measuresSteps()) {  // the plain form in one pass that also sums the step's norms
        using Block = StepNormLanes::Block;
        const float lr = m_lr, alpha = m_alpha, oneMinusAlpha = m_oneMinusAlpha, eps = m_eps;
        m_norms[i] = measuredPass(
            p.value, p.grad, p.size,
            [&](const Block& theta, const Block& g, auto&& v) {
              v = v * alpha + oneMinusAlpha * g * g;
              return Block(theta - lr * (g / (v.sqrt() + eps)));
            },
            m_squareAvg[i].data());
        continue;
      }
      ArrayMap theta(p.value, p.size);
      auto g = optim::effectiveGradient(m_g, p, m_maximize, m_weightDecay);
      auto& v = m_squareAvg[i];
      v = v * m_alpha + m_oneMinusAlpha * g * g;
      auto avg = m_avg.head(p.size);
      if (m_centered) {
        auto& gAvg = m_gradAvg[i];
        gAvg = gAvg * m_alpha + m_oneMinusAlpha * g;
        avg = (v - gAvg * gAvg).sqrt() + m_eps;
      } else {
        avg = v.sqrt() + m_eps;
      }
      if (m_momentum > 0) {
        auto& buf = m_buffer[i];
        buf = buf * m_momentum + g / avg;
        theta -= m_lr * buf;
      } else {
        theta -= m_lr * (g / avg);
      }
    }
  }

  bool measuresSteps() const override {
    return !m_centered && m_momentum == 0 && m_weightDecay == 0 && !m_maximize;
  }

  void reset() override {
    for (auto& a : m_squareAvg) a.setZero();
    for (auto& a : m_gradAvg) a.setZero();
    for (auto& a : m_buffer) a.setZero();
  }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<Eigen::ArrayXf> m_squareAvg;  // per parameter: running mean of g²
  std::vector<Eigen::ArrayXf> m_gradAvg;    // per parameter: running mean of g (centered only)
  std::vector<Eigen::ArrayXf> m_buffer;     // per parameter: momentum buffer (momentum > 0 only)
  Eigen::ArrayXf m_g, m_avg;  // (largest parameter) scratch: the gradient, √ṽ + ε
  float m_lr, m_alpha, m_oneMinusAlpha, m_eps, m_weightDecay, m_momentum;
  bool m_centered, m_maximize;
};

}  // namespace

std::unique_ptr<Optimizer> makeRmsprop(const OptimizerConfig& c,
                                       std::vector<ParamView<float>> params) {
  return std::make_unique<Rmsprop>(c, std::move(params));
}

}  // namespace gradscope
