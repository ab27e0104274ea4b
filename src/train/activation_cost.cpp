// Per-element cost of each activation's forward pass (see activation_cost.h).
#include "train/activation_cost.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "core/rng.h"

namespace gradscope {
namespace {

// 64 units × a batch of 256: the size of a wide hidden layer's pre-activation. 16 K floats
// (64 KB each for z and a) stay in L2, so the timing is the arithmetic, not memory traffic.
constexpr int kUnits = 64;
constexpr int kBatch = 256;

// Keeps the compiler from treating repeated identical passes as dead code.
inline void clobber(const void* p) { asm volatile("" : : "r"(p) : "memory"); }

struct Subject {
  Activation activation;
  float param;
};

void forward(const Subject& s, const Mat<float>& z, const Vec<float>& alpha, Mat<float>& a) {
  if (s.activation == Activation::PReLU) {
    // As Mlp::forward applies it: one learned slope per unit (row).
    a.array() = (z.array() > 0.0f).select(z.array(), z.array().colwise() * alpha.array());
  } else {
    activateForward<float>(s.activation, s.param, z, a);
  }
  clobber(a.data());
}

}  // namespace

std::vector<double> timePasses(size_t subjects, double secondsPerSubject, const CostClock& now,
                               const std::function<void(size_t subject, long passes)>& run) {
  const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  // Warm up (page in, settle the clock) and size the rounds: passes per round so that each
  // round lasts about secondsPerSubject / kCostRounds.
  const double roundSeconds = std::max(secondsPerSubject, 1e-4) / kCostRounds;
  std::vector<long> passes(subjects, 1);
  for (size_t i = 0; i < subjects; ++i) {
    long n = 1;
    for (;;) {
      const auto start = now();
      run(i, n);
      const double t = seconds(now() - start);
      if (t >= roundSeconds / 4 || n >= (1L << 24)) {
        passes[i] =
            std::max(1L, static_cast<long>(std::ceil(n * roundSeconds / std::max(t, 1e-9))));
        break;
      }
      n *= 2;
    }
  }

  std::vector<double> best(subjects, std::numeric_limits<double>::infinity());
  for (int round = 0; round < kCostRounds; ++round)
    for (size_t i = 0; i < subjects; ++i) {
      const auto start = now();
      run(i, passes[i]);
      const double t = seconds(now() - start);
      best[i] = std::min(best[i], t / static_cast<double>(passes[i]));
    }
  return best;
}

std::vector<ActivationCost> measureActivationCosts(double secondsPerActivation,
                                                   const CostClock& now) {
  // Pre-activations spread like a trained layer's, both signs and both saturated tails:
  // N(0, 2²). Branchy formulas (ELU, Softplus) see their slow and fast paths mixed.
  Mat<float> z(kUnits, kBatch);
  Rng rng(2024);
  for (Eigen::Index i = 0; i < z.size(); ++i)
    z.data()[i] = static_cast<float>(rng.normal(0.0, 2.0));
  const Vec<float> alpha = Vec<float>::Constant(
      kUnits, static_cast<float>(activationInfo(Activation::PReLU).paramDefault));
  Mat<float> a(kUnits, kBatch);

  std::vector<Subject> subjects;
  for (const auto& info : activationTable()) {
    if (info.id == Activation::Maxout) continue;
    subjects.push_back({info.id, static_cast<float>(info.paramDefault)});
  }

  const std::vector<double> best =
      timePasses(subjects.size(), secondsPerActivation, now, [&](size_t i, long passes) {
        for (long k = 0; k < passes; ++k) forward(subjects[i], z, alpha, a);
      });

  std::vector<ActivationCost> out;
  out.reserve(subjects.size());
  for (size_t i = 0; i < subjects.size(); ++i)
    out.push_back({subjects[i].activation, best[i] * 1e9 / static_cast<double>(kUnits * kBatch)});
  return out;
}

}  // namespace gradscope
