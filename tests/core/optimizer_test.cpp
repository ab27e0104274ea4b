// Every optimizer's update rule against a double-precision reference written out below from
// PyTorch's algorithm box, on a 3-element quadratic with analytic gradients, with the first
// step (and a few more) also worked out by hand; state reset; the validation messages; and
// the table against PyTorch's defaults.
//
// The problem: f(θ) = Σ ½·c_i·θ_i² + d_i·θ_i, so ∇f = c∘θ + d, with
//   c = (1, 0.5, 2), d = (0.2, −0.4, 0), θ₀ = (1, −2, 0.5)  →  g₁ = ∇f(θ₀) = (1.2, −1.4, 1.0)
// and the minimum at θ* = −d/c = (−0.2, 0.8, 0).
#include "core/optimizer/optimizer.h"
#include "core/optimizer/step_norm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <stdexcept>

namespace gradscope {
namespace {

using Vec3 = std::array<double, 3>;

constexpr Vec3 kTheta0{1.0, -2.0, 0.5};
constexpr Vec3 kC{1.0, 0.5, 2.0};
constexpr Vec3 kD{0.2, -0.4, 0.0};

Vec3 gradAt(const Vec3& th) {
  Vec3 g;
  for (int i = 0; i < 3; ++i) g[i] = kC[i] * th[i] + kD[i];
  return g;
}

double sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; }

OptimizerConfig config(OptimizerKind kind, std::map<std::string, double, std::less<>> values = {}) {
  return {kind, std::move(values)};
}

// The float parameter the optimizer updates, with its gradient filled from the quadratic (or
// from a fixed sequence, for SparseAdam).
struct Problem {
  std::array<float, 3> theta{static_cast<float>(kTheta0[0]), static_cast<float>(kTheta0[1]),
                             static_cast<float>(kTheta0[2])};
  std::array<float, 3> grad{};
  int evaluations = 0;

  float evaluate() {
    ++evaluations;
    double loss = 0;
    for (int i = 0; i < 3; ++i) {
      grad[i] = static_cast<float>(kC[i] * theta[i] + kD[i]);
      loss += 0.5 * kC[i] * theta[i] * theta[i] + kD[i] * theta[i];
    }
    return static_cast<float>(loss);
  }
  std::vector<ParamView<float>> views() { return {{"theta", theta.data(), grad.data(), 3, 0}}; }
};

Vec3 toVec3(const std::array<float, 3>& a) { return {a[0], a[1], a[2]}; }

struct Trajectory {
  std::vector<Vec3> theta;  // after each step
  std::vector<int> evaluations;
};

// `steps` optimizer steps on the quadratic, driven as the trainer drives them.
Trajectory run(const OptimizerConfig& c, int steps) {
  Problem p;
  auto opt = makeOptimizer(c, p.views());
  Trajectory t;
  const Closure closure = [&] { return p.evaluate(); };
  for (int s = 0; s < steps; ++s) {
    const float loss = p.evaluate();
    opt->step(loss, closure);
    t.theta.push_back(toVec3(p.theta));
    t.evaluations.push_back(opt->lastEvaluations());
  }
  return t;
}

// Float against double: a few float roundings per step, relative to the magnitude.
void expectNear(const Vec3& actual, const Vec3& expected, const std::string& what,
                double tol = 2e-6) {
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(actual[i], expected[i], tol * std::max(1.0, std::abs(expected[i])))
        << what << " θ[" << i << "]";
}

// A reference optimizer in double: one step given θ and ∇f(θ).
using Reference = std::function<void(Vec3& theta, const Vec3& grad)>;

void expectMatchesReference(const OptimizerConfig& c, Reference ref, int steps,
                            const std::string& what) {
  const Trajectory t = run(c, steps);
  Vec3 th = kTheta0;
  for (int s = 0; s < steps; ++s) {
    ref(th, gradAt(th));
    expectNear(t.theta[s], th, what + " step " + std::to_string(s + 1));
  }
}

//-----------------------------------------------------------------------------
// References, one per algorithm box. State lives in the lambda's captures.
//-----------------------------------------------------------------------------

// torch.optim.SGD. maximize negates g before weight decay is added (torch's code; the 1.13
// box instead flips the final update, which would make weight decay push weights outward).
Reference refSgd(double lr, double momentum, double dampening, double wd, bool nesterov,
                 bool maximize) {
  return [=, t = 0, b = Vec3{}](Vec3& th, const Vec3& grad) mutable {
    ++t;
    for (int i = 0; i < 3; ++i) {
      double g = maximize ? -grad[i] : grad[i];
      if (wd != 0) g += wd * th[i];
      if (momentum != 0) {
        b[i] = t > 1 ? momentum * b[i] + (1 - dampening) * g : g;
        g = nesterov ? g + momentum * b[i] : b[i];
      }
      th[i] -= lr * g;
    }
  };
}

// torch.optim.Adam / AdamW.
Reference refAdam(double lr, double b1, double b2, double eps, double wd, bool amsgrad,
                  bool maximize, bool decoupled) {
  return [=, t = 0, m = Vec3{}, v = Vec3{}, vMax = Vec3{}](Vec3& th, const Vec3& grad) mutable {
    ++t;
    for (int i = 0; i < 3; ++i) {
      double g = maximize ? -grad[i] : grad[i];
      if (decoupled)
        th[i] *= 1 - lr * wd;
      else
        g += wd * th[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const double mHat = m[i] / (1 - std::pow(b1, t));
      vMax[i] = std::max(vMax[i], v[i]);
      const double vHat = (amsgrad ? vMax[i] : v[i]) / (1 - std::pow(b2, t));
      th[i] -= lr * mHat / (std::sqrt(vHat) + eps);
    }
  };
}

// torch.optim.Adamax.
Reference refAdamax(double lr, double b1, double b2, double eps, double wd, bool maximize) {
  return [=, t = 0, m = Vec3{}, u = Vec3{}](Vec3& th, const Vec3& grad) mutable {
    ++t;
    for (int i = 0; i < 3; ++i) {
      double g = maximize ? -grad[i] : grad[i];
      g += wd * th[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      u[i] = std::max(b2 * u[i], std::abs(g) + eps);
      th[i] -= lr * m[i] / ((1 - std::pow(b1, t)) * u[i]);
    }
  };
}

// torch.optim.NAdam: μ_t = β1(1 − ½·0.96^(tψ)), m̂ = μ_{t+1}·m/(1 − Π_{i≤t+1}μ_i)
// + (1 − μ_t)·g/(1 − Π_{i≤t}μ_i).
Reference refNadam(double lr, double b1, double b2, double eps, double wd, double psi,
                   bool maximize) {
  return [=, t = 0, prod = 1.0, m = Vec3{}, v = Vec3{}](Vec3& th, const Vec3& grad) mutable {
    ++t;
    const double mu = b1 * (1 - 0.5 * std::pow(0.96, t * psi));
    const double muNext = b1 * (1 - 0.5 * std::pow(0.96, (t + 1) * psi));
    prod *= mu;
    for (int i = 0; i < 3; ++i) {
      double g = maximize ? -grad[i] : grad[i];
      g += wd * th[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const double mHat = muNext * m[i] / (1 - prod * muNext) + (1 - mu) * g / (1 - prod);
      const double vHat = v[i] / (1 - std::pow(b2, t));
      th[i] -= lr * mHat / (std::sqrt(vHat) + eps);
    }
  };
}

// torch.optim.RAdam: ρ∞ = 2/(1 − β2) − 1, ρ_t = ρ∞ − 2tβ2^t/(1 − β2^t); rectified when ρ_t > 5.
// `rectifiedSteps` counts the steps that took the rectified branch.
Reference refRadam(double lr, double b1, double b2, double eps, double wd, bool maximize,
                   int* rectifiedSteps) {
  return [=, t = 0, m = Vec3{}, v = Vec3{}](Vec3& th, const Vec3& grad) mutable {
    ++t;
    const double rhoInf = 2 / (1 - b2) - 1;
    const double rhoT = rhoInf - 2 * t * std::pow(b2, t) / (1 - std::pow(b2, t));
    if (rhoT > 5) ++*rectifiedSteps;
    for (int i = 0; i < 3; ++i) {
      double g = maximize ? -grad[i] : grad[i];
      g += wd * th[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const double mHat = m[i] / (1 - std::pow(b1, t));
      if (rhoT > 5) {
        const double l = std::sqrt(1 - std::pow(b2, t)) / (std::sqrt(v[i]) + eps);
        const double r =
            std::sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        th[i] -= lr * mHat * r * l;
      } else {
        th[i] -= lr * mHat;
      }
    }
  };
}

// torch.optim.Adagrad: γ̃ = γ/(1 + (t − 1)η), state_sum += g², θ −= γ̃·g/(√state_sum + ε).
Reference refAdagrad(double lr, double lrDecay, double wd, double init, double eps, bool maximize) {
  return [=, t = 0, sum = Vec3{init, init, init}](Vec3& th, const Vec3& grad) mutable {
    ++t;
    const double clr = lr / (1 + (t - 1) * lrDecay);
    for (int i = 0; i < 3; ++i) {
      double g = maximize ? -grad[i] : grad[i];
      g += wd * th[i];
      sum[i] += g * g;
      th[i] -= clr * g / (std::sqrt(sum[i]) + eps);
    }
  };
}

// torch.optim.Adadelta: v = ρv + (1 − ρ)g², Δ = √(u + ε)/√(v + ε)·g, u = ρu + (1 − ρ)Δ².
Reference refAdadelta(double lr, double rho, double eps, double wd, bool maximize) {
  return [=, v = Vec3{}, u = Vec3{}](Vec3& th, const Vec3& grad) mutable {
    for (int i = 0; i < 3; ++i) {
      double g = maximize ? -grad[i] : grad[i];
      g += wd * th[i];
      v[i] = rho * v[i] + (1 - rho) * g * g;
      const double delta = std::sqrt(u[i] + eps) / std::sqrt(v[i] + eps) * g;
      u[i] = rho * u[i] + (1 - rho) * delta * delta;
      th[i] -= lr * delta;
    }
  };
}

// torch.optim.RMSprop: v = αv + (1 − α)g²; centered: ṽ = v − (g_ave)²; b = μb + g/(√ṽ + ε).
Reference refRmsprop(double lr, double alpha, double eps, double wd, double momentum, bool centered,
                     bool maximize) {
  return [=, v = Vec3{}, gAve = Vec3{}, b = Vec3{}](Vec3& th, const Vec3& grad) mutable {
    for (int i = 0; i < 3; ++i) {
      double g = maximize ? -grad[i] : grad[i];
      g += wd * th[i];
      v[i] = alpha * v[i] + (1 - alpha) * g * g;
      double vTilde = v[i];
      if (centered) {
        gAve[i] = alpha * gAve[i] + (1 - alpha) * g;
        vTilde -= gAve[i] * gAve[i];
      }
      if (momentum > 0) {
        b[i] = momentum * b[i] + g / (std::sqrt(vTilde) + eps);
        th[i] -= lr * b[i];
      } else {
        th[i] -= lr * g / (std::sqrt(vTilde) + eps);
      }
    }
  };
}

// torch.optim.Rprop: η grows by η+ (up to Γmax) while g·g_prev > 0, shrinks by η− (down to
// Γmin) and zeroes g when g·g_prev < 0; θ −= η·sign(g); g_prev = g.
Reference refRprop(double lr, double etaMinus, double etaPlus, double minStep, double maxStep,
                   bool maximize) {
  return [=, prev = Vec3{}, eta = Vec3{lr, lr, lr}](Vec3& th, const Vec3& grad) mutable {
    for (int i = 0; i < 3; ++i) {
      double g = maximize ? -grad[i] : grad[i];
      if (g * prev[i] > 0) {
        eta[i] = std::min(eta[i] * etaPlus, maxStep);
      } else if (g * prev[i] < 0) {
        eta[i] = std::max(eta[i] * etaMinus, minStep);
        g = 0;
      }
      th[i] -= eta[i] * sign(g);
      prev[i] = g;
    }
  };
}

// torch.optim.ASGD: θ = θ(1 − λη_t) − η_t·g; ax averages from μ_t ≠ 1 on;
// η_{t+1} = γ/(1 + λγt)^α, μ_{t+1} = 1/max(1, t − t0).
Reference refAsgd(double lr, double lambd, double alpha, double t0, double wd, bool maximize,
                  Vec3* ax) {
  return [=, t = 0, eta = lr, mu = 1.0](Vec3& th, const Vec3& grad) mutable {
    ++t;
    for (int i = 0; i < 3; ++i) {
      double g = maximize ? -grad[i] : grad[i];
      g += wd * th[i];
      th[i] = th[i] * (1 - lambd * eta) - eta * g;
      (*ax)[i] = mu != 1 ? (*ax)[i] + mu * (th[i] - (*ax)[i]) : th[i];
    }
    eta = lr / std::pow(1 + lambd * lr * t, alpha);
    mu = 1 / std::max(1.0, t - t0);
  };
}

//-----------------------------------------------------------------------------
// SGD
//-----------------------------------------------------------------------------

TEST(Sgd, FirstStepsMatchTheAlgorithmBox) {
  using K = OptimizerKind;
  // Plain: θ₁ = θ₀ − 0.1·g₁ = (1 − 0.12, −2 + 0.14, 0.5 − 0.1) = (0.88, −1.86, 0.4).
  auto t = run(config(K::SGD, {{"lr", 0.1}}), 3);
  expectNear(t.theta[0], {0.88, -1.86, 0.4}, "plain");
  expectMatchesReference(config(K::SGD, {{"lr", 0.1}}), refSgd(0.1, 0, 0, 0, false, false), 3,
                         "plain");

  // Momentum 0.9, dampening 0.1, weight decay 0.1.
  // Step 1: g = g₁ + 0.1·θ₀ = (1.3, −1.6, 1.05); b = g (no dampening on the first step);
  //   θ₁ = θ₀ − 0.1·b = (0.87, −1.84, 0.395).
  // Step 2: g = c∘θ₁ + d + 0.1·θ₁ = (0.87 + 0.2 + 0.087, …) → g[0] = 1.157;
  //   b[0] = 0.9·1.3 + 0.9·1.157 = 2.2113; θ₂[0] = 0.87 − 0.22113 = 0.64887.
  const auto mom =
      config(K::SGD, {{"lr", 0.1}, {"momentum", 0.9}, {"dampening", 0.1}, {"weight_decay", 0.1}});
  t = run(mom, 3);
  expectNear(t.theta[0], {0.87, -1.84, 0.395}, "momentum");
  EXPECT_NEAR(t.theta[1][0], 0.64887, 1e-6);
  expectMatchesReference(mom, refSgd(0.1, 0.9, 0.1, 0.1, false, false), 3, "momentum");

  // Nesterov + maximize + weight decay 0.05.
  // Step 1: g = −g₁ + 0.05·θ₀ = (−1.15, 1.3, −0.975); b = g; g ← g + 0.9·b = 1.9·g;
  //   θ₁ = θ₀ − 0.1·1.9·g = (1 + 0.2185, −2 − 0.247, 0.5 + 0.18525) = (1.2185, −2.247, 0.68525).
  const auto nest = config(
      K::SGD,
      {{"lr", 0.1}, {"momentum", 0.9}, {"nesterov", 1}, {"weight_decay", 0.05}, {"maximize", 1}});
  t = run(nest, 3);
  expectNear(t.theta[0], {1.2185, -2.247, 0.68525}, "nesterov");
  expectMatchesReference(nest, refSgd(0.1, 0.9, 0, 0.05, true, true), 3, "nesterov");
}

TEST(Sgd, DefaultLearningRateIsGradscopes) {
  // PyTorch has no default; gradscope's is 0.01: θ₁ = θ₀ − 0.01·g₁.
  const auto t = run(config(OptimizerKind::SGD), 1);
  expectNear(t.theta[0], {0.988, -1.986, 0.49}, "default lr");
}

//-----------------------------------------------------------------------------
// Adam, AdamW
//-----------------------------------------------------------------------------

TEST(Adam, FirstStepsMatchTheAlgorithmBox) {
  using K = OptimizerKind;
  // Step 1 of Adam is a sign step: m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g², so
  // θ₁ = θ₀ − lr·g/(|g| + ε) ≈ θ₀ − 0.1·sign(g₁) = (0.9, −1.9, 0.4).
  const auto plain = config(K::Adam, {{"lr", 0.1}});
  auto t = run(plain, 3);
  expectNear(t.theta[0], {0.9, -1.9, 0.4}, "plain");
  expectMatchesReference(plain, refAdam(0.1, 0.9, 0.999, 1e-8, 0, false, false, false), 3, "plain");

  // AMSGrad with β2 = 0.5 (so v can fall and the running max matters) and L2 weight decay.
  const auto ams =
      config(K::Adam, {{"lr", 0.1}, {"beta2", 0.5}, {"amsgrad", 1}, {"weight_decay", 0.1}});
  expectMatchesReference(ams, refAdam(0.1, 0.9, 0.5, 1e-8, 0.1, true, false, false), 3, "amsgrad");
  const auto noAms = config(K::Adam, {{"lr", 0.1}, {"beta2", 0.5}, {"weight_decay", 0.1}});
  EXPECT_NE(run(ams, 3).theta[2], run(noAms, 3).theta[2]) << "the max must have mattered";

  // maximize with a large ε: θ₁[0] = 1 + 0.1·1.2/(1.2 + 0.01) = 1.0991736.
  const auto up = config(K::Adam, {{"lr", 0.1}, {"maximize", 1}, {"eps", 0.01}});
  t = run(up, 3);
  EXPECT_NEAR(t.theta[0][0], 1.0 + 0.12 / 1.21, 1e-6);
  expectMatchesReference(up, refAdam(0.1, 0.9, 0.999, 0.01, 0, false, true, false), 3, "maximize");
}

TEST(AdamW, DecoupledWeightDecayAmsgradMaximize) {
  using K = OptimizerKind;
  // Default weight decay 0.01: θ₁ = θ₀·(1 − 0.1·0.01) − 0.1·sign(g₁)
  //   = (0.999 − 0.1, −1.998 + 0.1, 0.4995 − 0.1) = (0.899, −1.898, 0.3995).
  const auto plain = config(K::AdamW, {{"lr", 0.1}});
  auto t = run(plain, 3);
  expectNear(t.theta[0], {0.899, -1.898, 0.3995}, "plain");
  expectMatchesReference(plain, refAdam(0.1, 0.9, 0.999, 1e-8, 0.01, false, false, true), 3,
                         "plain");

  // weight decay 0.5, maximize: θ₁ = 0.95·θ₀ + 0.1·sign(g₁) = (1.05, −2.0, 0.575).
  const auto other =
      config(K::AdamW,
             {{"lr", 0.1}, {"weight_decay", 0.5}, {"beta2", 0.5}, {"amsgrad", 1}, {"maximize", 1}});
  t = run(other, 3);
  expectNear(t.theta[0], {1.05, -2.0, 0.575}, "maximize");
  expectMatchesReference(other, refAdam(0.1, 0.9, 0.5, 1e-8, 0.5, true, true, true), 3,
                         "amsgrad+maximize");
}

//-----------------------------------------------------------------------------
// Adamax, NAdam, RAdam
//-----------------------------------------------------------------------------

TEST(Adamax, FirstStepsMatchTheAlgorithmBox) {
  using K = OptimizerKind;
  // Step 1: m = 0.1·g, u = |g| + ε, lr/(1 − β1) = 1 → θ₁ = θ₀ − 0.1·sign(g₁) = (0.9, −1.9, 0.4).
  const auto plain = config(K::Adamax, {{"lr", 0.1}});
  const auto t = run(plain, 3);
  expectNear(t.theta[0], {0.9, -1.9, 0.4}, "plain");
  expectMatchesReference(plain, refAdamax(0.1, 0.9, 0.999, 1e-8, 0, false), 3, "plain");
  // β2 = 0.6 lets the decayed maximum fall below |g| + ε, the other branch of the max.
  const auto other =
      config(K::Adamax,
             {{"lr", 0.1}, {"beta1", 0.5}, {"beta2", 0.6}, {"weight_decay", 0.1}, {"maximize", 1}});
  expectMatchesReference(other, refAdamax(0.1, 0.5, 0.6, 1e-8, 0.1, true), 3, "other");
}

TEST(Nadam, FirstStepsMatchTheAlgorithmBox) {
  using K = OptimizerKind;
  // Step 1 with ψ = 0.004: 0.96^0.004 = e^(0.004·ln 0.96) = 0.99983672,
  //   μ₁ = 0.9·(1 − 0.5·0.99983672) = 0.45007348; 0.96^0.008 = 0.99967347, μ₂ = 0.45014694.
  //   m = 0.1·g, v̂ = g², so θ₁ = θ₀ − 0.1·sign(g)·[(1 − μ₁)/(1 − μ₁) + 0.1·μ₂/(1 − μ₁μ₂)]
  //   = θ₀ − 0.1·sign(g)·(1 + 0.045014694/0.79740) = θ₀ − 0.1056452·sign(g).
  const auto plain = config(K::NAdam, {{"lr", 0.1}});
  const auto t = run(plain, 3);
  expectNear(t.theta[0], {1 - 0.1056452, -2 + 0.1056452, 0.5 - 0.1056452}, "plain", 1e-6);
  expectMatchesReference(plain, refNadam(0.1, 0.9, 0.999, 1e-8, 0, 4e-3, false), 3, "plain");
  const auto other = config(
      K::NAdam, {{"lr", 0.1}, {"momentum_decay", 0.1}, {"weight_decay", 0.1}, {"maximize", 1}});
  expectMatchesReference(other, refNadam(0.1, 0.9, 0.999, 1e-8, 0.1, 0.1, true), 3, "other");
}

TEST(Radam, UnrectifiedThenRectified) {
  using K = OptimizerKind;
  // ρ₁ = ρ∞ − 2β2/(1 − β2) = 1 for any β2, and ρ_t < t, so the rectified branch cannot start
  // before step 6: with β2 = 0.999, ρ₅ ≈ 4.99 and ρ₆ ≈ 5.99. Eight steps cover both phases.
  // Step 1: m̂ = g, θ₁ = θ₀ − 0.1·g₁ = (0.88, −1.86, 0.4).
  const auto plain = config(K::RAdam, {{"lr", 0.1}});
  const auto t = run(plain, 8);
  expectNear(t.theta[0], {0.88, -1.86, 0.4}, "plain");
  int rectified = 0;
  expectMatchesReference(plain, refRadam(0.1, 0.9, 0.999, 1e-8, 0, false, &rectified), 8, "plain");
  EXPECT_EQ(rectified, 3);  // steps 6, 7, 8
  rectified = 0;
  const auto other =
      config(K::RAdam, {{"lr", 0.1}, {"beta2", 0.99}, {"weight_decay", 0.1}, {"maximize", 1}});
  expectMatchesReference(other, refRadam(0.1, 0.9, 0.99, 1e-8, 0.1, true, &rectified), 8, "other");
  EXPECT_GT(rectified, 0);
}

//-----------------------------------------------------------------------------
// Adagrad, Adadelta, RMSprop
//-----------------------------------------------------------------------------

TEST(Adagrad, FirstStepsMatchTheAlgorithmBox) {
  using K = OptimizerKind;
  // Step 1: sum = g², θ₁ = θ₀ − 0.1·g/|g| = (0.9, −1.9, 0.4).
  const auto plain = config(K::Adagrad, {{"lr", 0.1}});
  auto t = run(plain, 3);
  expectNear(t.theta[0], {0.9, -1.9, 0.4}, "plain");
  expectMatchesReference(plain, refAdagrad(0.1, 0, 0, 0, 1e-10, false), 3, "plain");

  // lr_decay 0.5, initial accumulator 0.1, weight decay 0.1, maximize.
  // Step 1: γ̃ = 0.1; g = −g₁ + 0.1·θ₀ = (−1.1, 1.2, −0.95); sum = 0.1 + g² = (1.31, …);
  //   θ₁[0] = 1 + 0.1·1.1/√1.31 = 1 + 0.11/1.1445523 = 1.0961075.
  // Step 2 uses γ̃ = 0.1/(1 + 1·0.5) = 0.0666667.
  const auto other = config(K::Adagrad, {{"lr", 0.1},
                                         {"lr_decay", 0.5},
                                         {"initial_accumulator_value", 0.1},
                                         {"weight_decay", 0.1},
                                         {"maximize", 1}});
  t = run(other, 3);
  EXPECT_NEAR(t.theta[0][0], 1.0961075, 1e-6);
  expectMatchesReference(other, refAdagrad(0.1, 0.5, 0.1, 0.1, 1e-10, true), 3, "other");
}

TEST(Adadelta, FirstStepsMatchTheAlgorithmBox) {
  using K = OptimizerKind;
  // Defaults lr 1, ρ 0.9, ε 1e-6. Step 1, θ[0]: v = 0.1·1.44 = 0.144,
  //   Δ = √(0 + 1e-6)/√(0.144 + 1e-6)·1.2 = 0.001/0.3794746·1.2 = 0.0031623, θ₁[0] = 0.9968377.
  const auto plain = config(K::Adadelta);
  const auto t = run(plain, 3);
  EXPECT_NEAR(t.theta[0][0], 0.9968377, 1e-6);
  expectMatchesReference(plain, refAdadelta(1.0, 0.9, 1e-6, 0, false), 3, "defaults");
  const auto other =
      config(K::Adadelta,
             {{"lr", 0.5}, {"rho", 0.5}, {"eps", 1e-3}, {"weight_decay", 0.1}, {"maximize", 1}});
  expectMatchesReference(other, refAdadelta(0.5, 0.5, 1e-3, 0.1, true), 3, "other");
}

TEST(Rmsprop, FirstStepsMatchTheAlgorithmBox) {
  using K = OptimizerKind;
  // Defaults lr 0.01, α 0.99: v = 0.01·g², √v = 0.1·|g|, θ₁ = θ₀ − 0.01·g/(0.1|g|)
  //   = θ₀ − 0.1·sign(g₁) = (0.9, −1.9, 0.4).
  const auto plain = config(K::RMSprop);
  auto t = run(plain, 3);
  expectNear(t.theta[0], {0.9, -1.9, 0.4}, "defaults");
  expectMatchesReference(plain, refRmsprop(0.01, 0.99, 1e-8, 0, 0, false, false), 3, "defaults");

  // Centered + momentum 0.9 + weight decay 0.1, α 0.9. Step 1: g = g₁ + 0.1θ₀ = (1.3, −1.6, 1.05);
  //   v = 0.1g², g_ave = 0.1g, ṽ = 0.1g² − 0.01g² = 0.09g², √ṽ = 0.3|g|; b = g/(0.3|g|);
  //   θ₁ = θ₀ − 0.01·sign(g)/0.3 = θ₀ − 0.0333333·sign(g).
  const auto centered = config(
      K::RMSprop,
      {{"lr", 0.01}, {"alpha", 0.9}, {"centered", 1}, {"momentum", 0.9}, {"weight_decay", 0.1}});
  t = run(centered, 3);
  expectNear(t.theta[0], {1 - 0.1 / 3, -2 + 0.1 / 3, 0.5 - 0.1 / 3}, "centered");
  expectMatchesReference(centered, refRmsprop(0.01, 0.9, 1e-8, 0.1, 0.9, true, false), 3,
                         "centered");

  const auto up = config(K::RMSprop, {{"maximize", 1}});
  expectMatchesReference(up, refRmsprop(0.01, 0.99, 1e-8, 0, 0, false, true), 3, "maximize");
}

//-----------------------------------------------------------------------------
// Rprop
//-----------------------------------------------------------------------------

TEST(Rprop, SignChangesZeroTheGradientAndStepSizesClamp) {
  using K = OptimizerKind;
  // lr 1.5, etas (0.5, 1.2). Step 1: no previous sign, η = 1.5: θ₁ = θ₀ − 1.5·sign(g₁)
  //   = (−0.5, −0.5, −1.0).
  // Step 2: g = (−0.5 + 0.2, −0.25 − 0.4, −2) = (−0.3, −0.65, −2.0). Signs vs g₁: flip, same,
  //   flip. θ[0], θ[2]: η = 0.75 and g := 0, so they stay; θ[1]: η = 1.8, θ = −0.5 + 1.8 = 1.3.
  // Step 3: g = (−0.3, 0.25, −2.0); previous (0, −0.65, 0). θ[0], θ[2]: product 0, η stays 0.75:
  //   θ = (−0.5 + 0.75, ·, −1 + 0.75); θ[1] flips: η = 0.9, g := 0, stays 1.3.
  auto t = run(config(K::Rprop, {{"lr", 1.5}}), 3);
  expectNear(t.theta[0], {-0.5, -0.5, -1.0}, "step 1", 1e-7);
  expectNear(t.theta[1], {-0.5, 1.3, -1.0}, "step 2", 1e-7);
  expectNear(t.theta[2], {0.25, 1.3, -0.25}, "step 3", 1e-7);
  expectMatchesReference(config(K::Rprop, {{"lr", 1.5}}), refRprop(1.5, 0.5, 1.2, 1e-6, 50, false),
                         3, "defaults");

  // Clamps: step sizes (0.8, 1.6), etas (0.4, 1.5). Step 2: θ[0], θ[2] flip: 1.5·0.4 = 0.6 → 0.8;
  //   θ[1] holds: 1.5·1.5 = 2.25 → 1.6, θ = −0.5 + 1.6 = 1.1. Step 3: θ[0] = −0.5 + 0.8 = 0.3.
  const auto clamped = config(K::Rprop, {{"lr", 1.5},
                                         {"eta_minus", 0.4},
                                         {"eta_plus", 1.5},
                                         {"step_size_min", 0.8},
                                         {"step_size_max", 1.6}});
  t = run(clamped, 3);
  expectNear(t.theta[1], {-0.5, 1.1, -1.0}, "clamped step 2", 1e-7);
  EXPECT_NEAR(t.theta[2][0], 0.3, 1e-7);
  expectMatchesReference(clamped, refRprop(1.5, 0.4, 1.5, 0.8, 1.6, false), 3, "clamped");

  const auto up = config(K::Rprop, {{"maximize", 1}});
  expectMatchesReference(up, refRprop(0.01, 0.5, 1.2, 1e-6, 50, true), 3, "maximize");
}

//-----------------------------------------------------------------------------
// ASGD
//-----------------------------------------------------------------------------

TEST(Asgd, StepSizeDecayAndAveragingAfterT0) {
  using K = OptimizerKind;
  // Defaults (λ 1e-4, α 0.75, t0 1e6) with lr 0.1. Step 1: η = 0.1,
  //   θ₁[0] = 1·(1 − 1e-4·0.1) − 0.1·1.2 = 0.99999 − 0.12 = 0.87999. Before t0, ax = θ.
  Problem p;
  auto opt = makeOptimizer(config(K::ASGD, {{"lr", 0.1}}), p.views());
  const Closure closure = [&] { return p.evaluate(); };
  Vec3 ax{}, th = kTheta0;
  auto ref = refAsgd(0.1, 1e-4, 0.75, 1e6, 0, false, &ax);
  for (int s = 0; s < 3; ++s) {
    opt->step(p.evaluate(), closure);
    ref(th, gradAt(th));
    expectNear(toVec3(p.theta), th, "defaults");
    ASSERT_EQ(opt->averagedParameters().size(), 1u);
    for (int i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(opt->averagedParameters()[0][i], p.theta[i]);
  }
  EXPECT_NEAR(run(config(K::ASGD, {{"lr", 0.1}}), 1).theta[0][0], 0.87999, 1e-6);

  // t0 = 0: μ₁ = 1 (ax = θ₁), μ₂ = 1/max(1, 1 − 0) = 1 (ax = θ₂), μ₃ = 1/max(1, 2 − 0) = ½, so
  // ax₃ = θ₂ + ½(θ₃ − θ₂), the mean of θ₂ and θ₃. λ 0.1, α 0.5, weight decay 0.1, maximize.
  // Step 1: g = −g₁ + 0.1θ₀ = (−1.1, 1.2, −0.95); θ₁ = 0.99·θ₀ − 0.1·g = (1.1, −2.1, 0.59).
  // η₂ = 0.1/(1 + 0.1·0.1·1)^0.5 = 0.0995037.
  Problem q;
  opt = makeOptimizer(config(K::ASGD, {{"lr", 0.1},
                                       {"lambd", 0.1},
                                       {"alpha", 0.5},
                                       {"t0", 0},
                                       {"weight_decay", 0.1},
                                       {"maximize", 1}}),
                      q.views());
  const Closure closureQ = [&] { return q.evaluate(); };
  ax = {};
  th = kTheta0;
  ref = refAsgd(0.1, 0.1, 0.5, 0, 0.1, true, &ax);
  Vec3 theta2{};
  for (int s = 0; s < 3; ++s) {
    opt->step(q.evaluate(), closureQ);
    ref(th, gradAt(th));
    expectNear(toVec3(q.theta), th, "t0=0");
    const auto& avg = opt->averagedParameters()[0];
    expectNear({avg[0], avg[1], avg[2]}, ax, "t0=0 average");
    if (s == 0) expectNear(toVec3(q.theta), {1.1, -2.1, 0.59}, "t0=0 step 1");
    if (s == 1) theta2 = toVec3(q.theta);
  }
  const auto& avg = opt->averagedParameters()[0];
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(avg[i], 0.5 * (theta2[i] + q.theta[i]), 1e-6);
}

//-----------------------------------------------------------------------------
// SparseAdam
//-----------------------------------------------------------------------------

TEST(SparseAdam, OnlyEntriesWithNonzeroGradientMove) {
  using K = OptimizerKind;
  // Gradients set by hand, with zeros where a dead unit would give them.
  const std::array<std::array<float, 3>, 3> grads{
      {{1.2f, 0, -0.5f}, {0, 0.3f, -0.4f}, {0.5f, 0, 0.25f}}};
  for (const bool maximize : {false, true}) {
    std::array<float, 3> theta{1.0f, -2.0f, 0.5f}, grad{};
    auto opt = makeOptimizer(config(K::SparseAdam, {{"lr", 0.1}, {"maximize", maximize ? 1. : 0.}}),
                             {{"theta", theta.data(), grad.data(), 3, 0}});
    // Reference: where g ≠ 0, m += (1 − β1)(g − m), v += (1 − β2)(g² − v),
    //   θ −= lr·√(1 − β2^t)/(1 − β1^t) · m/(√v + ε), t the global step count.
    // Step 1: m = 0.1g, v = 0.001g², step = 0.1·√0.001/0.1 · 0.1g/(√0.001·|g|) = 0.1·sign(g):
    //   θ₁ = (0.9, −2 (untouched), 0.6).
    Vec3 th = kTheta0, m{}, v{};
    for (int t = 1; t <= 3; ++t) {
      grad = grads[t - 1];
      const auto before = theta;
      opt->step(0, {});
      const double stepSize = 0.1 * std::sqrt(1 - std::pow(0.999, t)) / (1 - std::pow(0.9, t));
      for (int i = 0; i < 3; ++i) {
        if (grad[i] == 0) {
          EXPECT_EQ(theta[i], before[i]) << "step " << t << " θ[" << i << "]";
          continue;
        }
        const double g = maximize ? -grad[i] : grad[i];
        m[i] += 0.1 * (g - m[i]);
        v[i] += 0.001 * (g * g - v[i]);
        th[i] -= stepSize * m[i] / (std::sqrt(v[i]) + 1e-8);
      }
      expectNear(toVec3(theta), th, "step " + std::to_string(t));
      if (t == 1 && !maximize) expectNear(toVec3(theta), {0.9, -2.0, 0.6}, "step 1");
      // Step 3, θ[0] (its gradient was 0 at step 2, so m, v kept their step-1 values):
      //   m = 0.12 + 0.1·(0.5 − 0.12) = 0.158, v = 0.00144 + 0.001·(0.25 − 0.00144) = 0.00168856,
      //   step = 0.1·√(1 − 0.999³)/(1 − 0.9³) = 0.1·0.0547449/0.271 = 0.0202011,
      //   θ₃[0] = 0.9 − 0.0202011·0.158/0.0410921 = 0.9 − 0.0776733 = 0.8223267.
      if (t == 3 && !maximize) {
        EXPECT_NEAR(theta[0], 0.8223267, 1e-6);
      }
    }
  }
}

//-----------------------------------------------------------------------------
// LBFGS
//-----------------------------------------------------------------------------

// L-BFGS without line search, one iteration per step(): d = −H·g by the two-loop recursion
// over the stored (s, y) pairs (y·s > 1e-10, at most `history` of them), H₀ = (y·s)/(y·y) of the
// newest pair; t = min(1, 1/‖g‖₁)·lr on the very first iteration, lr afterwards.
struct ReferenceLbfgs {
  double lr;
  std::size_t history;
  std::vector<Vec3> s, y;
  Vec3 d{}, prevGrad{};
  double t = 0, hDiag = 1;
  int iteration = 0;

  static double dot(const Vec3& a, const Vec3& b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }

  void step(Vec3& th) {
    const Vec3 g = gradAt(th);
    if (++iteration == 1) {
      for (int i = 0; i < 3; ++i) d[i] = -g[i];
    } else {
      Vec3 yk, sk;
      for (int i = 0; i < 3; ++i) yk[i] = g[i] - prevGrad[i], sk[i] = t * d[i];
      if (dot(yk, sk) > 1e-10) {
        if (s.size() == history) s.erase(s.begin()), y.erase(y.begin());
        s.push_back(sk), y.push_back(yk);
        hDiag = dot(yk, sk) / dot(yk, yk);
      }
      Vec3 q{-g[0], -g[1], -g[2]};
      std::vector<double> alpha(s.size());
      for (std::size_t k = s.size(); k-- > 0;) {
        alpha[k] = dot(s[k], q) / dot(y[k], s[k]);
        for (int i = 0; i < 3; ++i) q[i] -= alpha[k] * y[k][i];
      }
      for (int i = 0; i < 3; ++i) d[i] = hDiag * q[i];
      for (std::size_t k = 0; k < s.size(); ++k) {
        const double beta = dot(y[k], d) / dot(y[k], s[k]);
        for (int i = 0; i < 3; ++i) d[i] += (alpha[k] - beta) * s[k][i];
      }
    }
    prevGrad = g;
    t = iteration == 1
            ? std::min(1.0, 1.0 / (std::abs(g[0]) + std::abs(g[1]) + std::abs(g[2]))) * lr
            : lr;
    for (int i = 0; i < 3; ++i) th[i] += t * d[i];
  }
};

TEST(Lbfgs, TwoLoopRecursionWithoutLineSearch) {
  using K = OptimizerKind;
  // Step 1: t = min(1, 1/‖g₁‖₁) = 1/3.6, θ₁ = θ₀ − g₁/3.6
  //   = (1 − 0.333333, −2 + 0.388889, 0.5 − 0.277778) = (0.666667, −1.611111, 0.222222).
  // max_iter 1: each step() is one iteration, and the last iteration of a step skips the
  // re-evaluation, so each step() makes exactly one evaluation (the one it is handed).
  for (const int history : {100, 1}) {
    const auto c = config(K::LBFGS, {{"max_iter", 1}, {"history_size", history}});
    const auto t = run(c, 4);
    expectNear(t.theta[0], {1 - 1.2 / 3.6, -2 + 1.4 / 3.6, 0.5 - 1.0 / 3.6}, "step 1");
    ReferenceLbfgs ref{1.0, static_cast<std::size_t>(history), {}, {}};
    Vec3 th = kTheta0;
    for (int s = 0; s < 4; ++s) {
      ref.step(th);
      expectNear(t.theta[s], th, "history " + std::to_string(history), 1e-5);
      EXPECT_EQ(t.evaluations[s], 1);
    }
  }
}

TEST(Lbfgs, ConvergesOnTheQuadraticInOneStep) {
  using K = OptimizerKind;
  // Three independent curvature pairs pin down the 3×3 Hessian; the minimum (−0.2, 0.8, 0)
  // is reached within max_iter = 20 iterations of a single step(), with and without line search.
  for (const double search : {0.0, 1.0}) {
    const auto t = run(config(K::LBFGS, {{"line_search_fn", search}}), 1);
    expectNear(t.theta[0], {-0.2, 0.8, 0.0}, "minimum", 1e-5);
    EXPECT_GT(t.evaluations[0], 3);
    EXPECT_LE(t.evaluations[0], 25);  // max_eval = 20·5/4
  }
  // max_eval 2: the first iteration's re-evaluation reaches it.
  const auto t = run(config(K::LBFGS, {{"max_eval", 2}}), 1);
  EXPECT_EQ(t.evaluations[0], 2);
  expectNear(t.theta[0], {1 - 1.2 / 3.6, -2 + 1.4 / 3.6, 0.5 - 1.0 / 3.6}, "max_eval");
}

TEST(Lbfgs, StopsAtOnceWhenTheGradientIsTiny) {
  // tolerance_grad above max|g₁| = 1.4: the handed-in evaluation is the only one, θ unchanged.
  const auto t = run(config(OptimizerKind::LBFGS, {{"tolerance_grad", 1.5}}), 1);
  EXPECT_EQ(t.evaluations[0], 1);
  expectNear(t.theta[0], kTheta0, "unchanged", 0);
}

TEST(Lbfgs, StrongWolfeLineSearch) {
  using K = OptimizerKind;
  // Along d = −g₁ the loss is φ(t) = f(θ₀) − 4.4·t + ½·4.42·t², since g₁·g₁ = 1.44 + 1.96 + 1 =
  // 4.4 and g₁ᵀCg₁ = 1.44 + 0.98 + 2 = 4.42; φ'(t) = −4.4 + 4.42·t, exact minimizer t* = 0.99548.
  // The strong Wolfe conditions (c1 = 1e-4, c2 = 0.9): φ(t) ≤ φ(0) + c1·t·φ'(0) and
  // |φ'(t)| ≤ 0.9·4.4 = 3.96.
  //
  // lr 1: first trial t = 1/3.6 = 0.27778, φ' = −4.4 + 1.22778 = −3.172: both conditions hold,
  // so it is taken after one line-search evaluation (2 in the step).
  auto t = run(config(K::LBFGS, {{"max_iter", 1}, {"line_search_fn", 1}}), 1);
  expectNear(t.theta[0], {1 - 1.2 / 3.6, -2 + 1.4 / 3.6, 0.5 - 1.0 / 3.6}, "lr 1");
  EXPECT_EQ(t.evaluations[0], 2);

  // lr 10: first trial t = 2.7778 overshoots: φ(t) − φ(0) = −12.22 + 17.05 > 0 fails Armijo,
  // so [0, 2.7778] brackets; zoom's cubic through (0, φ(0), −4.4) and (2.7778, φ, 7.878) is
  // exact for a quadratic and lands on t* = 4.4/4.42, where φ' = 0: done after 2 line-search
  // evaluations (3 in the step). θ₁ = θ₀ − t*·g₁ = (−0.194570, −0.606335, −0.495475).
  t = run(config(K::LBFGS, {{"max_iter", 1}, {"line_search_fn", 1}, {"lr", 10}}), 1);
  const double tStar = 4.4 / 4.42;
  expectNear(t.theta[0], {1 - 1.2 * tStar, -2 + 1.4 * tStar, 0.5 - tStar}, "lr 10", 1e-5);
  EXPECT_EQ(t.evaluations[0], 3);

  // lr 0.01: first trial t = 0.0027778 is too short (|φ'| = 4.39 > 3.96), so the search extends
  // the step (interpolating within [1.01·t, 10·t]) until the conditions hold: three line-search
  // evaluations here. Check the conditions at the accepted point rather than the rounding-
  // sensitive interpolation between two nearly equal losses.
  t = run(config(K::LBFGS, {{"max_iter", 1}, {"line_search_fn", 1}, {"lr", 0.01}}), 1);
  EXPECT_EQ(t.evaluations[0], 4);
  const double step = (1.0 - t.theta[0][0]) / 1.2;  // θ₁ = θ₀ − step·g₁
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(t.theta[0][i], kTheta0[i] - step * gradAt(kTheta0)[i], 1e-6);
  EXPECT_LE(-4.4 * step + 2.21 * step * step, 1e-4 * step * -4.4);
  EXPECT_LE(std::abs(-4.4 + 4.42 * step), 3.96);
  EXPECT_GT(step, 0.0027778 * 10);  // extended past the first interpolation bound
}

//-----------------------------------------------------------------------------
// Every optimizer: reset, no surprises with the views
//-----------------------------------------------------------------------------

// A configuration of each kind with its options switched on.
std::vector<OptimizerConfig> busyConfigs() {
  using K = OptimizerKind;
  return {
      config(K::SGD, {{"lr", 0.1}, {"momentum", 0.9}, {"nesterov", 1}, {"weight_decay", 0.1}}),
      config(K::Adadelta, {{"weight_decay", 0.1}}),
      config(K::Adagrad, {{"lr_decay", 0.1}, {"initial_accumulator_value", 0.2}}),
      config(K::Adam, {{"lr", 0.1}, {"amsgrad", 1}, {"weight_decay", 0.1}}),
      config(K::AdamW, {{"lr", 0.1}, {"amsgrad", 1}}),
      config(K::SparseAdam, {{"lr", 0.1}}),
      config(K::Adamax, {{"lr", 0.1}}),
      config(K::ASGD, {{"lr", 0.1}, {"t0", 1}}),
      config(K::LBFGS, {{"max_iter", 3}, {"line_search_fn", 1}, {"history_size", 2}}),
      config(K::NAdam, {{"lr", 0.1}}),
      config(K::RAdam, {{"lr", 0.1}}),
      config(K::RMSprop, {{"centered", 1}, {"momentum", 0.5}}),
      config(K::Rprop, {{"lr", 1.5}}),
  };
}

TEST(EveryOptimizer, ResetRestoresFreshBehaviour) {
  for (const auto& c : busyConfigs()) {
    const std::string name(optimizerInfo(c.kind).name);
    Problem p;
    auto opt = makeOptimizer(c, p.views());
    const Closure closure = [&] { return p.evaluate(); };
    auto threeSteps = [&] {
      std::vector<Vec3> out;
      for (int s = 0; s < 3; ++s) {
        opt->step(p.evaluate(), closure);
        out.push_back(toVec3(p.theta));
      }
      return out;
    };
    const auto first = threeSteps();
    opt->reset();
    p = Problem{};
    const auto second = threeSteps();
    EXPECT_EQ(first, second) << name;
    // And the same as a newly made optimizer.
    Problem fresh;
    auto other = makeOptimizer(c, fresh.views());
    const Closure closureFresh = [&] { return fresh.evaluate(); };
    for (int s = 0; s < 3; ++s) other->step(fresh.evaluate(), closureFresh);
    EXPECT_EQ(toVec3(fresh.theta), second.back()) << name;
    EXPECT_NE(second.back(), kTheta0) << name << " must have moved";
  }
}

TEST(EveryOptimizer, OnlyAsgdAveragesAndOnlyLbfgsEvaluatesMore) {
  for (const auto& c : busyConfigs()) {
    Problem p;
    auto opt = makeOptimizer(c, p.views());
    const Closure closure = [&] { return p.evaluate(); };
    opt->step(p.evaluate(), closure);
    EXPECT_EQ(opt->averagedParameters().empty(), c.kind != OptimizerKind::ASGD);
    if (c.kind == OptimizerKind::LBFGS) {
      EXPECT_GT(opt->lastEvaluations(), 1);
    } else {
      EXPECT_EQ(opt->lastEvaluations(), 1);
    }
  }
}

TEST(EveryOptimizer, WorksAcrossSeveralParameterTensors) {
  // Two views, updated as if they were one: the same trajectory as the single 3-vector.
  for (const auto& c : busyConfigs()) {
    Problem single;
    auto a = makeOptimizer(c, single.views());
    Problem split;
    auto b = makeOptimizer(c, {{"a", split.theta.data(), split.grad.data(), 1, 0},
                               {"b", split.theta.data() + 1, split.grad.data() + 1, 2, 1}});
    const Closure ca = [&] { return single.evaluate(); };
    const Closure cb = [&] { return split.evaluate(); };
    for (int s = 0; s < 3; ++s) {
      a->step(single.evaluate(), ca);
      b->step(split.evaluate(), cb);
    }
    EXPECT_EQ(single.theta, split.theta) << optimizerInfo(c.kind).name;
  }
}

TEST(EveryOptimizer, AFusedStepMeasuresWhatAPassOverACopyWould) {
  // 37 elements: two blocks of 16 and a partial one. The plain SGD, RMSprop and Adam fuse the
  // norms into their update pass; theirs must equal the pass over a copy made before the step
  // (the path every other optimizer takes), to the float, and the sums themselves.
  std::set<OptimizerKind> fused;
  for (const auto& info : optimizerTable()) {
    const OptimizerConfig c = config(info.id);
    std::vector<float> theta(37), grad(37);
    for (size_t i = 0; i < theta.size(); ++i) {
      theta[i] = 0.05f * static_cast<float>(i) - 0.9f;
      grad[i] = std::sin(static_cast<float>(i));
    }
    auto opt = makeOptimizer(c, {{"theta", theta.data(), grad.data(), 37, 0}});
    for (int s = 0; s < 3; ++s) {
      const std::vector<float> before = theta;
      const bool measures = opt->measuresSteps();
      opt->step(1.0f, [] { return 1.0f; });
      if (!measures) continue;
      fused.insert(info.id);
      const auto got = opt->stepNorms()[0];
      const auto want = stepNorm(before.data(), theta.data(), 37);
      EXPECT_EQ(got.deltaSq, want.deltaSq) << info.name << " step " << s;
      EXPECT_EQ(got.valueSq, want.valueSq) << info.name << " step " << s;
      double delta = 0, value = 0;
      for (size_t i = 0; i < theta.size(); ++i) {
        delta += (double(theta[i]) - before[i]) * (double(theta[i]) - before[i]);
        value += double(theta[i]) * theta[i];
      }
      EXPECT_NEAR(got.deltaSq, delta, 1e-5 * delta) << info.name;
      EXPECT_NEAR(got.valueSq, value, 1e-5 * value) << info.name;
      EXPECT_GT(delta, 0) << info.name << " must have moved";
    }
  }
  EXPECT_EQ(fused, (std::set{OptimizerKind::SGD, OptimizerKind::Adam, OptimizerKind::RMSprop}));
}

TEST(Sgd, TheFusedPlainStepIsThetaMinusLrTimesG) {
  std::vector<float> theta(21), grad(21);
  for (size_t i = 0; i < theta.size(); ++i) theta[i] = 1.0f / (1.0f + i), grad[i] = 0.3f * i - 2;
  std::vector<float> want = theta;
  for (size_t i = 0; i < want.size(); ++i) want[i] = theta[i] - 0.07f * grad[i];
  auto opt = makeOptimizer(config(OptimizerKind::SGD, {{"lr", 0.07}}),
                           {{"theta", theta.data(), grad.data(), 21, 0}});
  ASSERT_TRUE(opt->measuresSteps());
  opt->step(1.0f, [] { return 1.0f; });
  EXPECT_EQ(theta, want);
}

//-----------------------------------------------------------------------------
// Validation
//-----------------------------------------------------------------------------

TEST(Validation, EachKindOfBadValueIsRefusedByName) {
  using K = OptimizerKind;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<OptimizerConfig, std::string>> cases = {
      {config(K::SGD, {{"lr", -0.1}}), "SGD: lr must be ≥ 0 (got -0.1)"},
      {config(K::SGD, {{"beta1", 0.9}}), "SGD: unknown hyperparameter 'beta1'"},
      {config(K::SGD, {{"momentum", -1}}), "SGD: momentum must be ≥ 0 (got -1)"},
      {config(K::SGD, {{"dampening", 1.5}}), "SGD: dampening must be in [0, 1] (got 1.5)"},
      {config(K::SGD, {{"weight_decay", -1e-3}}), "SGD: weight_decay must be ≥ 0 (got -0.001)"},
      {config(K::SGD, {{"nesterov", 1}}),
       "SGD: nesterov requires momentum > 0 and dampening = 0 (got momentum 0, dampening 0)"},
      {config(K::SGD, {{"nesterov", 1}, {"momentum", 0.9}, {"dampening", 0.1}}),
       "SGD: nesterov requires momentum > 0 and dampening = 0 (got momentum 0.9, dampening 0.1)"},
      {config(K::SGD, {{"nesterov", 2}}), "SGD: nesterov must be 0 (false) or 1 (true) (got 2)"},
      {config(K::Adam, {{"lr", nan}}), "Adam: lr must be a finite number (got nan)"},
      {config(K::Adam, {{"eps", inf}}), "Adam: eps must be a finite number (got inf)"},
      {config(K::Adam, {{"beta1", 1}}), "Adam: betas[0] must be in [0, 1) (got 1)"},
      {config(K::Adam, {{"beta2", -0.5}}), "Adam: betas[1] must be in [0, 1) (got -0.5)"},
      {config(K::Adam, {{"amsgrad", 0.5}}),
       "Adam: amsgrad must be 0 (false) or 1 (true) (got 0.5)"},
      {config(K::AdamW, {{"weight_decay", -1}}), "AdamW: weight_decay must be ≥ 0 (got -1)"},
      {config(K::SparseAdam, {{"lr", 0}}), "SparseAdam: lr must be > 0 (got 0)"},
      {config(K::SparseAdam, {{"eps", 0}}), "SparseAdam: eps must be > 0 (got 0)"},
      {config(K::SparseAdam, {{"weight_decay", 0}}),
       "SparseAdam: unknown hyperparameter 'weight_decay'"},
      {config(K::Adamax, {{"beta2", 1}}), "Adamax: betas[1] must be in [0, 1) (got 1)"},
      {config(K::Adadelta, {{"rho", 1.5}}), "Adadelta: rho must be in [0, 1] (got 1.5)"},
      {config(K::Adagrad, {{"lr_decay", -1}}), "Adagrad: lr_decay must be ≥ 0 (got -1)"},
      {config(K::Adagrad, {{"initial_accumulator_value", -1}}),
       "Adagrad: initial_accumulator_value must be ≥ 0 (got -1)"},
      {config(K::Adagrad, {{"eps", -1e-10}}), "Adagrad: eps must be ≥ 0 (got -1e-10)"},
      {config(K::ASGD, {{"lambd", -1}}), "ASGD: lambd must be ≥ 0 (got -1)"},
      {config(K::ASGD, {{"alpha", -0.75}}), "ASGD: alpha must be ≥ 0 (got -0.75)"},
      {config(K::ASGD, {{"t0", -1}}), "ASGD: t0 must be ≥ 0 (got -1)"},
      {config(K::LBFGS, {{"max_iter", 2.5}}), "L-BFGS: max_iter must be an integer (got 2.5)"},
      {config(K::LBFGS, {{"max_iter", 0}}), "L-BFGS: max_iter must be in [1, 10000] (got 0)"},
      {config(K::LBFGS, {{"max_eval", -1}}), "L-BFGS: max_eval must be in [0, 100000] (got -1)"},
      {config(K::LBFGS, {{"history_size", 0}}),
       "L-BFGS: history_size must be in [1, 1000] (got 0)"},
      {config(K::LBFGS, {{"tolerance_grad", -1}}), "L-BFGS: tolerance_grad must be ≥ 0 (got -1)"},
      {config(K::LBFGS, {{"tolerance_change", -1}}),
       "L-BFGS: tolerance_change must be ≥ 0 (got -1)"},
      {config(K::LBFGS, {{"line_search_fn", 2}}),
       "L-BFGS: line_search_fn must be one of 0 (none), 1 (strong_wolfe) (got 2)"},
      {config(K::NAdam, {{"momentum_decay", -1}}), "NAdam: momentum_decay must be ≥ 0 (got -1)"},
      {config(K::RAdam, {{"beta1", 1.5}}), "RAdam: betas[0] must be in [0, 1) (got 1.5)"},
      {config(K::RMSprop, {{"alpha", -0.1}}), "RMSprop: alpha must be ≥ 0 (got -0.1)"},
      {config(K::RMSprop, {{"momentum", -0.1}}), "RMSprop: momentum must be ≥ 0 (got -0.1)"},
      {config(K::Rprop, {{"eta_plus", 0.9}}),
       "Rprop: etas must satisfy 0 < eta− < 1 < eta+ (got 0.5, 0.9)"},
      {config(K::Rprop, {{"eta_minus", 0}}),
       "Rprop: etas must satisfy 0 < eta− < 1 < eta+ (got 0, 1.2)"},
      {config(K::Rprop, {{"eta_minus", 1}}),
       "Rprop: etas must satisfy 0 < eta− < 1 < eta+ (got 1, 1.2)"},
      {config(K::Rprop, {{"step_size_min", -1}}), "Rprop: step_sizes[0] must be ≥ 0 (got -1)"},
      {config(K::Rprop, {{"step_size_min", 2}, {"step_size_max", 1}}),
       "Rprop: step_sizes must satisfy step_size_min ≤ step_size_max (got 2, 1)"},
  };
  for (const auto& [c, message] : cases) {
    EXPECT_EQ(validateOptimizer(c), message);
    std::array<float, 1> value{0}, grad{0};
    try {
      makeOptimizer(c, {{"x", value.data(), grad.data(), 1, 0}});
      ADD_FAILURE() << "makeOptimizer accepted: " << message;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(e.what(), message);
    }
  }
}

TEST(Validation, EveryDefaultAndEveryBoundIsAccepted) {
  for (const auto& info : optimizerTable()) {
    EXPECT_EQ(validateOptimizer(config(info.id)), "") << info.name;
    for (const auto& p : info.params) {
      for (const double v : {p.min, p.max}) {
        const bool open = v == p.min ? p.minOpen : p.maxOpen;
        if (open || !std::isfinite(v)) continue;
        auto c = config(info.id, {{std::string(p.key), v}});
        // Bounds that the pair checks refuse on their own (nesterov needs momentum).
        if (p.key == "nesterov" && v == 1) c.values["momentum"] = 0.9;
        if (p.key == "step_size_max" && v == 0) c.values["step_size_min"] = 0;
        EXPECT_EQ(validateOptimizer(c), "") << info.name << " " << p.key << " = " << v;
      }
    }
  }
}

TEST(Validation, JustOutsideEveryBoundIsRefusedNamingTheParameter) {
  for (const auto& info : optimizerTable()) {
    for (const auto& p : info.params) {
      std::vector<double> bad;
      if (std::isfinite(p.min)) bad.push_back(p.minOpen ? p.min : p.min - 0.5);
      if (std::isfinite(p.max)) bad.push_back(p.maxOpen ? p.max : p.max + 1);
      for (const double v : bad) {
        const std::string msg = validateOptimizer(config(info.id, {{std::string(p.key), v}}));
        EXPECT_EQ(msg.rfind(std::string(info.name) + ": ", 0), 0u) << msg;
        const std::string_view named = p.flag == "etas" ? "etas" : p.torchName;
        EXPECT_NE(msg.find(named), std::string::npos) << msg;
      }
    }
  }
}

//-----------------------------------------------------------------------------
// The table
//-----------------------------------------------------------------------------

TEST(Table, EveryKindInOrderAndKeysRoundTrip) {
  const auto table = optimizerTable();
  ASSERT_EQ(table.size(), 13u);
  std::string keys;
  for (std::size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(table[i].id), i);
    EXPECT_EQ(&optimizerInfo(table[i].id), &table[i]);
    EXPECT_EQ(optimizerFromKey(table[i].key), table[i].id);
    EXPECT_FALSE(table[i].help.empty());
    keys += (i ? ", " : "") + std::string(table[i].key);
  }
  EXPECT_EQ(optimizerKeyList(), keys);
  EXPECT_EQ(optimizerFromKey("adam"), OptimizerKind::Adam);
  EXPECT_EQ(optimizerFromKey("sparseadam"), OptimizerKind::SparseAdam);
  EXPECT_FALSE(optimizerFromKey("Adam").has_value());
  EXPECT_FALSE(optimizerFromKey("adagrad2").has_value());
}

TEST(Table, ParametersAreWellFormed) {
  for (const auto& info : optimizerTable()) {
    std::set<std::string_view> keys;
    for (const auto& p : info.params) {
      EXPECT_TRUE(keys.insert(p.key).second) << info.name << " repeats " << p.key;
      EXPECT_FALSE(p.help.empty()) << info.name << " " << p.key;
      EXPECT_FALSE(p.flag.empty());
      EXPECT_EQ(p.flag.find('_'), std::string_view::npos) << p.flag;
      EXPECT_LT(p.min, p.max) << p.key;
      const double d = p.defaultValue;
      EXPECT_TRUE(p.minOpen ? d > p.min : d >= p.min) << info.name << " " << p.key;
      EXPECT_TRUE(p.maxOpen ? d < p.max : d <= p.max) << info.name << " " << p.key;
      EXPECT_EQ(p.kind == HyperKind::Choice, !p.choices.empty()) << p.key;
      // Tuples share a flag and name their element; scalars use torch's name with '-'.
      if (p.flag == "betas" || p.flag == "etas" || p.flag == "step-sizes") {
        const std::string tuple = p.flag == "step-sizes" ? "step_sizes" : std::string(p.flag);
        EXPECT_EQ(p.torchName, tuple + "[" + std::to_string(p.flagIndex) + "]");
      } else if (p.key == "line_search_fn") {
        EXPECT_EQ(p.flag, "line-search");
      } else {
        std::string flag(p.key);
        std::replace(flag.begin(), flag.end(), '_', '-');
        EXPECT_EQ(p.flag, flag);
        EXPECT_EQ(p.torchName, p.key);
        EXPECT_EQ(p.flagIndex, 0);
      }
      const bool log = p.key == "lr" || p.key == "eps" || p.key == "weight_decay" ||
                       p.key == "lr_decay" || p.key == "lambd" || p.key.starts_with("tolerance_");
      if (log) {
        EXPECT_TRUE(p.logSlider) << info.name << " " << p.key;
      }
    }
  }
}

TEST(Table, DefaultsArePyTorchs) {
  using K = OptimizerKind;
  // torch.optim 1.13 signatures, tuples split. SGD's lr is gradscope's (PyTorch has none);
  // LBFGS's max_eval 0 stands for None, i.e. max_iter·5/4.
  const std::map<K, std::map<std::string, double>> expected = {
      {K::SGD,
       {{"lr", 0.01},
        {"momentum", 0},
        {"dampening", 0},
        {"weight_decay", 0},
        {"nesterov", 0},
        {"maximize", 0}}},
      {K::Adadelta,
       {{"lr", 1.0}, {"rho", 0.9}, {"eps", 1e-6}, {"weight_decay", 0}, {"maximize", 0}}},
      {K::Adagrad,
       {{"lr", 0.01},
        {"lr_decay", 0},
        {"weight_decay", 0},
        {"initial_accumulator_value", 0},
        {"eps", 1e-10},
        {"maximize", 0}}},
      {K::Adam,
       {{"lr", 1e-3},
        {"beta1", 0.9},
        {"beta2", 0.999},
        {"eps", 1e-8},
        {"weight_decay", 0},
        {"amsgrad", 0},
        {"maximize", 0}}},
      {K::AdamW,
       {{"lr", 1e-3},
        {"beta1", 0.9},
        {"beta2", 0.999},
        {"eps", 1e-8},
        {"weight_decay", 1e-2},
        {"amsgrad", 0},
        {"maximize", 0}}},
      {K::SparseAdam,
       {{"lr", 1e-3}, {"beta1", 0.9}, {"beta2", 0.999}, {"eps", 1e-8}, {"maximize", 0}}},
      {K::Adamax,
       {{"lr", 2e-3},
        {"beta1", 0.9},
        {"beta2", 0.999},
        {"eps", 1e-8},
        {"weight_decay", 0},
        {"maximize", 0}}},
      {K::ASGD,
       {{"lr", 1e-2},
        {"lambd", 1e-4},
        {"alpha", 0.75},
        {"t0", 1e6},
        {"weight_decay", 0},
        {"maximize", 0}}},
      {K::LBFGS,
       {{"lr", 1},
        {"max_iter", 20},
        {"max_eval", 0},
        {"tolerance_grad", 1e-7},
        {"tolerance_change", 1e-9},
        {"history_size", 100},
        {"line_search_fn", 0}}},
      {K::NAdam,
       {{"lr", 2e-3},
        {"beta1", 0.9},
        {"beta2", 0.999},
        {"eps", 1e-8},
        {"weight_decay", 0},
        {"momentum_decay", 4e-3},
        {"maximize", 0}}},
      {K::RAdam,
       {{"lr", 1e-3},
        {"beta1", 0.9},
        {"beta2", 0.999},
        {"eps", 1e-8},
        {"weight_decay", 0},
        {"maximize", 0}}},
      {K::RMSprop,
       {{"lr", 1e-2},
        {"alpha", 0.99},
        {"eps", 1e-8},
        {"weight_decay", 0},
        {"momentum", 0},
        {"centered", 0},
        {"maximize", 0}}},
      {K::Rprop,
       {{"lr", 1e-2},
        {"eta_minus", 0.5},
        {"eta_plus", 1.2},
        {"step_size_min", 1e-6},
        {"step_size_max", 50},
        {"maximize", 0}}},
  };
  ASSERT_EQ(expected.size(), optimizerTable().size());
  for (const auto& info : optimizerTable()) {
    const auto& want = expected.at(info.id);
    ASSERT_EQ(info.params.size(), want.size()) << info.name;
    for (const auto& p : info.params) {
      ASSERT_TRUE(want.contains(std::string(p.key))) << info.name << " " << p.key;
      EXPECT_EQ(p.defaultValue, want.at(std::string(p.key))) << info.name << " " << p.key;
      EXPECT_EQ(config(info.id).get(p.key), p.defaultValue);
    }
  }
  const auto& lbfgs = optimizerInfo(K::LBFGS).params;
  const auto ls = std::find_if(lbfgs.begin(), lbfgs.end(),
                               [](const auto& p) { return p.key == "line_search_fn"; });
  ASSERT_NE(ls, lbfgs.end());
  ASSERT_EQ(ls->choices.size(), 2u);
  EXPECT_EQ(ls->choices[0], "none");
  EXPECT_EQ(ls->choices[1], "strong_wolfe");
}

TEST(Table, GetReturnsTheValueOrTheDefault) {
  auto c = config(OptimizerKind::Adam, {{"lr", 0.5}});
  EXPECT_EQ(c.get("lr"), 0.5);
  EXPECT_EQ(c.get("beta2"), 0.999);
  EXPECT_THROW(c.get("momentum"), std::out_of_range);
}

}  // namespace
}  // namespace gradscope
