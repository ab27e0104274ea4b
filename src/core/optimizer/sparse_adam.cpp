// SparseAdam as torch.optim.SparseAdam given a sparse gradient that holds exactly the nonzero
// entries of the dense one: moments and weights move only where the gradient is nonzero, so
// weights behind dead ReLU units (exactly-zero gradients) keep their value and their moments
// do not decay. The bias correction uses the global step count, as torch's per-parameter
// count advances on every step. Note eps is added to √v before the bias correction factor,
// unlike Adam.
#include <Eigen/Core>
#include <cmath>

#include "core/optimizer/optimizer.h"

namespace gradscope {
namespace {

class SparseAdam final : public Optimizer {
 public:
  SparseAdam(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : m_params(std::move(params)),
        m_lr(c.get("lr")),
        m_beta1(c.get("beta1")),
        m_beta2(c.get("beta2")),
        m_eps(static_cast<float>(c.get("eps"))),
        m_maximize(c.get("maximize") != 0) {
    for (const auto& p : m_params) {
      m_m.emplace_back(Eigen::ArrayXf::Zero(p.size));
      m_v.emplace_back(Eigen::ArrayXf::Zero(p.size));
    }
  }

  void step(float, const Closure&) override {
    ++m_t;
    const double t = static_cast<double>(m_t);
    const double bc1 = 1.0 - std::pow(m_beta1, t);
    const double bc2 = 1.0 - std::pow(m_beta2, t);
    const float negStepSize = static_cast<float>(-(m_lr * std::sqrt(bc2) / bc1));
    const float oneMinusB1 = static_cast<float>(1.0 - m_beta1);
    const float oneMinusB2 = static_cast<float>(1.0 - m_beta2);
    const float eps = m_eps;
    const bool maximize = m_maximize;
    for (std::size_t i = 0; i < m_params.size(); ++i) {
      const Eigen::Index n = m_params[i].size;
      float* __restrict theta = m_params[i].value;
      const float* __restrict grad = m_params[i].grad;
      float* __restrict m = m_m[i].data();
      float* __restrict v = m_v[i].data();
      for (Eigen::Index j = 0; j < n; ++j) {
        if (grad[j] == 0.0f) continue;
        const float g = maximize ? -grad[j] : grad[j];
        // torch's form: old += (1 − β)·(new − old).
        m[j] += (g - m[j]) * oneMinusB1;
        v[j] += (g * g - v[j]) * oneMinusB2;
        theta[j] += negStepSize * (m[j] / (std::sqrt(v[j]) + eps));
      }
    }
  }

  void reset() override {
    for (auto& a : m_m) a.setZero();
    for (auto& a : m_v) a.setZero();
    m_t = 0;
  }

 private:
  std::vector<ParamView<float>> m_params;
  std::vector<Eigen::ArrayXf> m_m;  // per parameter: first moment (touched where g ≠ 0)
  std::vector<Eigen::ArrayXf> m_v;  // per parameter: second moment (touched where g ≠ 0)
  double m_lr, m_beta1, m_beta2;
  float m_eps;
  bool m_maximize;
  long long m_t = 0;  // steps taken
};

}  // namespace

std::unique_ptr<Optimizer> makeSparseAdam(const OptimizerConfig& c,
                                          std::vector<ParamView<float>> params) {
  return std::make_unique<SparseAdam>(c, std::move(params));
}

}  // namespace gradscope
