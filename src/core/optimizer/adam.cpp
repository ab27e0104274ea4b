// Adam and AdamW as torch.optim.Adam / AdamW (single-tensor path): bias-corrected first and
// second moments, AMSGrad's running maximum, maximize, and weight decay either added to the
// gradient (Adam, L2) or applied straight to the weights (AdamW, decoupled).
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

class Adam final : public StepMeasuringOptimizer {
 public:
  Adam(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : StepMeasuringOptimizer(params.size()),
        m_params(std::move(params)),
        m_decoupled(c.kind == OptimizerKind::AdamW),
        m_lr(c.get("lr")),
        m_beta1(c.get("beta1")),
        m_beta2(c.get("beta2")),
        m_eps(static_cast<float>(c.get("eps"))),
        m_weightDecay(c.get("weight_decay")),
        m_amsgrad(c.get("amsgrad") != 0),
        m_maximize(c.get("maximize") != 0) {
    for (const auto& p : m_params) {
      m_m.emplace_back(Eigen::ArrayXf::Zero(p.size));
      m_v.emplace_back(Eigen::ArrayXf::Zero(p.size));
      m_vMax.emplace_back(Eigen::ArrayXf::Zero(m_amsgrad ? p.size : 0));
      m_g.resize(std::max(m_g.size(), p.size));
    }
  }

  void step(float, const Closure&) override {
    ++m_t;
    // Scalars in double as torch's Python floats, applied in float as its float kernels do.
    const double bc1 = 1.0 - std::pow(m_beta1, static_cast<double>(m_t));
    const double bc2 = 1.0 - std::pow(m_beta2, static_cast<double>(m_t));
    const float negStepSize = static_cast<float>(-(m_lr / bc1));
    const float bc2Sqrt = static_cast<float>(std::sqrt(bc2));
    const float b1 = static_cast<float>(m_beta1), oneMinusB1 = static_cast<float>(1.0 - m_beta1);
    const float b2 = static_cast<float>(m_beta2), oneMinusB2 = static_cast<float>(1.0 - m_beta2);
    const float decay = static_cast<float>(m_weightDecay);
    const float shrink = static_cast<float>(1.0 - m_lr * m_weightDecay);

    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const auto& p = m_params[i];
      if (measuresSteps()) {
        // The common case in one pass over the tensor: the four passes of the general form
        // move the tensor through memory four times, which dominates at width 256.
        using Block = StepNormLanes::Block;
        const float eps = m_eps;  // a local: stores through theta cannot change it
        m_norms[i] = measuredPass(
            p.value, p.grad, p.size,
            [&](const Block& theta, const Block& g, auto&& m, auto&& v) {
              m = m * b1 + oneMinusB1 * g;
              v = v * b2 + oneMinusB2 * g * g;
              return Block(theta + negStepSize * (m / (v.sqrt() / bc2Sqrt + eps)));
            },
            m_m[i].data(), m_v[i].data());
        continue;
      }
      ArrayMap theta(p.value, p.size);
      auto g = optim::effectiveGradient(m_g, p, m_maximize, m_decoupled ? 0.0f : decay);
      if (m_decoupled) theta *= shrink;  // AdamW: decay applied to θ, not through the gradient
      auto& m = m_m[i];
      auto& v = m_v[i];
      m = m * b1 + oneMinusB1 * g;
      v = v * b2 + oneMinusB2 * g * g;
      if (m_amsgrad) {
        auto& vMax = m_vMax[i];
        vMax = vMax.max(v);
        theta += negStepSize * (m / (vMax.sqrt() / bc2Sqrt + m_eps));
      } else {
        theta += negStepSize * (m / (v.sqrt() / bc2Sqrt + m_eps));
      }
    }
  }

  bool measuresSteps() const override {
    return !m_amsgrad && !m_maximize && !m_decoupled && m_weightDecay == 0;
  }

  void reset() override {
    for (auto& a : m_m) a.setZero();
    for (auto& a : m_v) a.setZero();
    for (auto& a : m_vMax) a.setZero();
    m_t = 0;
  }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<Eigen::ArrayXf> m_m;     // per parameter: first moment (running mean of g)
  std::vector<Eigen::ArrayXf> m_v;     // per parameter: second moment (running mean of g²)
  std::vector<Eigen::ArrayXf> m_vMax;  // per parameter: AMSGrad's max of v (empty without it)
  Eigen::ArrayXf m_g;                  // (largest parameter) scratch for the gradient
  bool m_decoupled;
  double m_lr, m_beta1, m_beta2;
  float m_eps;
  double m_weightDecay;
  bool m_amsgrad, m_maximize;
  long long m_t = 0;  // steps taken
};

}  // namespace

std::unique_ptr<Optimizer> makeAdam(const OptimizerConfig& c,
                                    std::vector<ParamView<float>> params) {
  return std::make_unique<Adam>(c, std::move(params));
}

}  // namespace gradscope
