// Gradient clipping as torch.nn.utils.clip_grad_norm_(parameters, max_norm) computes it: the
// 2-norm of every gradient taken together; when max_norm / (norm + 1e-6) < 1 every gradient is
// multiplied by that factor.
#pragma once

#include <cmath>
#include <span>

#include "core/mlp.h"

namespace gradscope {

// ‖all gradients‖₂ (accumulated in double).
template <typename Scalar>
double totalGradNorm(std::span<const ParamView<Scalar>> views) {
  double sum = 0;
  for (const auto& p : views)
    for (Eigen::Index i = 0; i < p.size; ++i) sum += double(p.grad[i]) * double(p.grad[i]);
  return std::sqrt(sum);
}

// Clips in place; returns whether the gradients were scaled. `norm` receives the norm before.
template <typename Scalar>
bool clipGradNorm(std::span<const ParamView<Scalar>> views, double maxNorm,
                  double* norm = nullptr) {
  const double total = totalGradNorm(views);
  if (norm) *norm = total;
  const double coef = maxNorm / (total + 1e-6);
  if (!(coef < 1.0)) return false;
  const Scalar c = static_cast<Scalar>(coef);
  for (const auto& p : views)
    for (Eigen::Index i = 0; i < p.size; ++i) p.grad[i] *= c;
  return true;
}

}  // namespace gradscope
