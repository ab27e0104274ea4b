// SGD as torch.optim.SGD (single-tensor path): weight decay, momentum with dampening, Nesterov
// and maximize. The velocity starts as the first gradient itself, not as zero, as in torch.
#include <Eigen/Core>
#include <algorithm>

#include "core/optimizer/optimizer.h"
#include "core/optimizer/optimizer_common.h"
#include "core/optimizer/step_norm.h"

namespace gradscope {
namespace {

using optim::ArrayMap;
using optim::ConstArrayMap;

class Sgd final : public StepMeasuringOptimizer {
 public:
  Sgd(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : StepMeasuringOptimizer(params.size()),
        m_params(std::move(params)),
        m_lr(static_cast<float>(c.get("lr"))),
        m_momentum(static_cast<float>(c.get("momentum"))),
        m_oneMinusDampening(static_cast<float>(1.0 - c.get("dampening"))),
        m_weightDecay(static_cast<float>(c.get("weight_decay"))),
        m_nesterov(c.get("nesterov") != 0),
        m_maximize(c.get("maximize") != 0) {
    Eigen::Index largest = 0;
    for (const auto& p : m_params) {
      m_velocity.emplace_back(Eigen::ArrayXf::Zero(p.size));
      largest = std::max(largest, p.size);
    }
    m_g.setZero(largest);
  }

  void step(float, const Closure&) override {
    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const auto& p = m_params[i];
      if (measuresSteps()) {  // plain SGD in one pass that also sums the step's norms
        using Block = StepNormLanes::Block;
        const float lr = m_lr;  // a local: stores through theta cannot change it
        m_norms[i] = measuredPass(p.value, p.grad, p.size, [&](const Block& theta, const Block& g) {
          return Block(theta - lr * g);
        });
        continue;
      }
      ArrayMap theta(p.value, p.size);
      auto g = m_g.head(p.size);
      // torch negates the gradient before adding weight decay, so under maximize the decay
      // still shrinks the weights.
      if (m_maximize)
        g = -ConstArrayMap(p.grad, p.size);
      else
        g = ConstArrayMap(p.grad, p.size);
      if (m_weightDecay != 0) g += m_weightDecay * theta;
      if (m_momentum == 0) {
        theta -= m_lr * g;
        continue;
      }
      auto& b = m_velocity[i];
      if (m_started)
        b = b * m_momentum + m_oneMinusDampening * g;
      else
        b = g;
      if (m_nesterov)
        theta -= m_lr * (g + m_momentum * b);
      else
        theta -= m_lr * b;
    }
    m_started = true;
  }

  bool measuresSteps() const override {
    return m_momentum == 0 && m_weightDecay == 0 && !m_maximize;
  }

  void reset() override {
    for (auto& v : m_velocity) v.setZero();
    m_started = false;
  }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<Eigen::ArrayXf> m_velocity;  // per parameter, same size: the momentum buffer b
  Eigen::ArrayXf m_g;                      // (largest parameter) scratch for the step direction
  float m_lr, m_momentum, m_oneMinusDampening, m_weightDecay;
  bool m_nesterov, m_maximize;
  bool m_started = false;  // false until the first step has seeded the velocity
};

}  // namespace

std::unique_ptr<Optimizer> makeSgd(const OptimizerConfig& c, std::vector<ParamView<float>> params) {
  return std::make_unique<Sgd>(c, std::move(params));
}

}  // namespace gradscope
