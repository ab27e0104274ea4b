// L-BFGS as torch.optim.LBFGS: the two-loop recursion over a limited history of (s, y) pairs
// on all parameters flattened into one vector, a fixed step or torch's strong-Wolfe line
// search (bracketing, then zoom with safeguarded cubic interpolation), and torch's stopping
// rules. State (direction, step, history, previous gradient, iteration count) carries over
// from one step() to the next as in torch.
//
// torch's step() starts by calling closure(); here the (loss, gradients) handed to step() are
// that first evaluation, and they count in func_evals and lastEvaluations().
// Every buffer, the history included, is sized in the constructor: (2·history_size + 10)·n
// floats for n parameters.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "core/optimizer/optimizer.h"

namespace gradscope {
namespace {

using Eigen::VectorXf;

// The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, clamped to the
// bounds (by default the interval between the points); the bounds' midpoint when the cubic
// has no real minimizer. Scalars in double.
double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                        double xminBound, double xmaxBound) {
  const double d1 = g1 + g2 - 3.0 * (f1 - f2) / (x1 - x2);
  const double d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const double d2 = std::sqrt(d2Square);
    const double minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2.0 * d2))
                                   : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2.0 * d2));
    return std::min(std::max(minPos, xminBound), xmaxBound);
  }
  return (xminBound + xmaxBound) / 2.0;
}

double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
  return cubicInterpolate(x1, f1, g1, x2, f2, g2, std::min(x1, x2), std::max(x1, x2));
}

class Lbfgs final : public Optimizer {
 public:
  Lbfgs(const OptimizerConfig& c, std::vector<ParamView<float>> params)
      : m_params(std::move(params)),
        m_lr(c.get("lr")),
        m_maxIter(static_cast<int>(c.get("max_iter"))),
        m_maxEval(c.get("max_eval") != 0 ? static_cast<int>(c.get("max_eval")) : m_maxIter * 5 / 4),
        m_toleranceGrad(c.get("tolerance_grad")),
        m_toleranceChange(c.get("tolerance_change")),
        m_historySize(static_cast<int>(c.get("history_size"))),
        m_strongWolfe(c.get("line_search_fn") == 1) {
    Eigen::Index n = 0;
    for (const auto& p : m_params) n += p.size;
    for (VectorXf* v : {&m_flatGrad, &m_prevFlatGrad, &m_d, &m_y, &m_s, &m_x, &m_gNew, &m_gPrev,
                        &m_bracketG[0], &m_bracketG[1]})
      v->setZero(n);
    m_oldDirs.assign(m_historySize, VectorXf::Zero(n));
    m_oldSteps.assign(m_historySize, VectorXf::Zero(n));
    m_ro.assign(m_historySize, 0.0);
    m_al.assign(m_historySize, 0.0);
  }

  void step(float loss, const Closure& closure) override;
  void reset() override;
  int lastEvaluations() const override { return m_lastEvaluations; }

 private:
  void gatherFlatGrad(VectorXf& out) const;
  void addToParams(double t, const VectorXf& d);  // θ += t·d
  void saveParams(VectorXf& out) const;
  void restoreParams(const VectorXf& x);
  double directionalEvaluate(const Closure& closure, double t, VectorXf& grad);
  // torch's _strong_wolfe from x = m_x along m_d; returns the loss at the chosen step and
  // leaves its gradient in m_flatGrad, the step in t and the evaluations it made in evals.
  double strongWolfe(const Closure& closure, double& t, double f, double gtd, int& evals);

  std::vector<ParamView<float>> m_params;
  double m_lr;
  int m_maxIter, m_maxEval;
  double m_toleranceGrad, m_toleranceChange;
  int m_historySize;
  bool m_strongWolfe;

  // All (n): the flattened gradient, the previous iteration's, the search direction, the
  // candidate (y, s) pair, saved parameters, and the line search's gradients.
  VectorXf m_flatGrad, m_prevFlatGrad, m_d, m_y, m_s, m_x, m_gNew, m_gPrev, m_bracketG[2];
  std::vector<VectorXf> m_oldDirs;   // ring of y = Δgradient, oldest at m_historyStart
  std::vector<VectorXf> m_oldSteps;  // ring of s = Δθ
  std::vector<double> m_ro;          // 1 / (y·s) per ring slot
  std::vector<double> m_al;          // two-loop coefficients, by history position
  int m_historyStart = 0;
  int m_historyCount = 0;
  double m_hDiag = 1.0;  // scale of the initial inverse Hessian
  double m_t = 0.0;      // last step length
  double m_prevLoss = 0.0;
  long long m_nIter = 0;      // iterations over all steps (torch's state['n_iter'])
  long long m_funcEvals = 0;  // evaluations over all steps (torch's state['func_evals'])
  int m_lastEvaluations = 0;
};

void Lbfgs::gatherFlatGrad(VectorXf& out) const {
  Eigen::Index offset = 0;
  for (const auto& p : m_params) {
    out.segment(offset, p.size) = Eigen::Map<const VectorXf>(p.grad, p.size);
    offset += p.size;
  }
}

void Lbfgs::addToParams(double t, const VectorXf& d) {
  const float tf = static_cast<float>(t);
  Eigen::Index offset = 0;
  for (const auto& p : m_params) {
    Eigen::Map<VectorXf>(p.value, p.size) += tf * d.segment(offset, p.size);
    offset += p.size;
  }
}

void Lbfgs::saveParams(VectorXf& out) const {
  Eigen::Index offset = 0;
  for (const auto& p : m_params) {
    out.segment(offset, p.size) = Eigen::Map<const VectorXf>(p.value, p.size);
    offset += p.size;
  }
}

void Lbfgs::restoreParams(const VectorXf& x) {
  Eigen::Index offset = 0;
  for (const auto& p : m_params) {
    Eigen::Map<VectorXf>(p.value, p.size) = x.segment(offset, p.size);
    offset += p.size;
  }
}

// Loss and gradient at m_x + t·m_d; the parameters are put back to m_x afterwards.
double Lbfgs::directionalEvaluate(const Closure& closure, double t, VectorXf& grad) {
  addToParams(t, m_d);
  const double loss = closure();
  gatherFlatGrad(grad);
  restoreParams(m_x);
  return loss;
}

double Lbfgs::strongWolfe(const Closure& closure, double& t, double f, double gtd, int& evals) {
  constexpr double c1 = 1e-4, c2 = 0.9;
  constexpr int maxLs = 25;
  const double dNorm = m_d.cwiseAbs().maxCoeff();
  // m_flatGrad holds g at t = 0 and stays untouched until the result is copied back.
  const VectorXf& g = m_flatGrad;

  double fNew = directionalEvaluate(closure, t, m_gNew);
  evals = 1;
  double gtdNew = m_gNew.dot(m_d);

  double tPrev = 0.0, fPrev = f, gtdPrev = gtd;
  m_gPrev = g;
  bool done = false;
  int lsIter = 0;
  // The bracket: one point (done) or two; bracketG are copies of the gradients there.
  double bracket[2] = {0, 0}, bracketF[2] = {0, 0}, bracketGtd[2] = {0, 0};
  int bracketSize = 0;
  auto bracketWithPrevious = [&] {
    bracket[0] = tPrev, bracket[1] = t;
    bracketF[0] = fPrev, bracketF[1] = fNew;
    m_bracketG[0] = m_gPrev, m_bracketG[1] = m_gNew;
    bracketGtd[0] = gtdPrev, bracketGtd[1] = gtdNew;
    bracketSize = 2;
  };

  // Bracketing phase: grow t until an interval must contain a point meeting the conditions.
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracketWithPrevious();
      break;
    }
    if (std::abs(gtdNew) <= -c2 * gtd) {
      bracket[0] = t, bracketF[0] = fNew, m_bracketG[0] = m_gNew;
      bracketSize = 1;
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracketWithPrevious();
      break;
    }
    const double minStep = t + 0.01 * (t - tPrev);
    const double maxStep = t * 10;
    const double tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
    tPrev = tmp;
    fPrev = fNew;
    m_gPrev = m_gNew;
    gtdPrev = gtdNew;
    fNew = directionalEvaluate(closure, t, m_gNew);
    ++evals;
    gtdNew = m_gNew.dot(m_d);
    ++lsIter;
  }
  if (lsIter == maxLs) {
    bracket[0] = 0, bracket[1] = t;
    bracketF[0] = f, bracketF[1] = fNew;
    m_bracketG[0] = g, m_bracketG[1] = m_gNew;
    bracketSize = 2;
  }

  // Zoom phase: shrink the bracket until a point meets the strong Wolfe conditions.
  bool insufficientProgress = false;
  int low = 0, high = 1;
  if (bracketSize == 2 && bracketF[0] > bracketF[1]) low = 1, high = 0;
  while (!done && lsIter < maxLs) {
    if (std::abs(bracket[1] - bracket[0]) * dNorm < m_toleranceChange) break;
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1],
                         bracketGtd[1]);
    // Keep trial points at least 10% of the bracket away from its ends once progress stalls.
    const double bMax = std::max(bracket[0], bracket[1]), bMin = std::min(bracket[0], bracket[1]);
    const double eps = 0.1 * (bMax - bMin);
    if (std::min(bMax - t, t - bMin) < eps) {
      if (insufficientProgress || t >= bMax || t <= bMin) {
        t = std::abs(t - bMax) < std::abs(t - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }

    fNew = directionalEvaluate(closure, t, m_gNew);
    ++evals;
    gtdNew = m_gNew.dot(m_d);
    ++lsIter;

    if (fNew > f + c1 * t * gtd || fNew >= bracketF[low]) {
      // Armijo condition fails or no lower than the low end: t becomes the high end.
      bracket[high] = t, bracketF[high] = fNew, m_bracketG[high] = m_gNew,
      bracketGtd[high] = gtdNew;
      if (bracketF[0] <= bracketF[1])
        low = 0, high = 1;
      else
        low = 1, high = 0;
    } else {
      if (std::abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
        // The old high end becomes the new low end.
        bracket[high] = bracket[low], bracketF[high] = bracketF[low];
        m_bracketG[high] = m_bracketG[low], bracketGtd[high] = bracketGtd[low];
      }
      bracket[low] = t, bracketF[low] = fNew, m_bracketG[low] = m_gNew, bracketGtd[low] = gtdNew;
    }
  }

  t = bracket[low];
  m_flatGrad = m_bracketG[low];
  return bracketF[low];
}

void Lbfgs::step(float loss, const Closure& closure) {
  double currentLoss = loss;
  int currentEvals = 1;
  ++m_funcEvals;
  gatherFlatGrad(m_flatGrad);
  bool optCond = m_flatGrad.cwiseAbs().maxCoeff() <= m_toleranceGrad;
  if (optCond) {
    m_lastEvaluations = currentEvals;
    return;
  }

  int nIter = 0;
  while (nIter < m_maxIter) {
    ++nIter;
    ++m_nIter;

    // Direction: steepest descent at the very first iteration, else the two-loop recursion.
    if (m_nIter == 1) {
      m_d = -m_flatGrad;
      m_historyStart = m_historyCount = 0;
      m_hDiag = 1.0;
    } else {
      m_y = m_flatGrad - m_prevFlatGrad;
      m_s = static_cast<float>(m_t) * m_d;
      const double ys = m_y.dot(m_s);
      if (ys > 1e-10) {
        // Store the pair, dropping the oldest when the history is full.
        if (m_historyCount == m_historySize) {
          m_historyStart = (m_historyStart + 1) % m_historySize;
          --m_historyCount;
        }
        const int slot = (m_historyStart + m_historyCount) % m_historySize;
        m_oldDirs[slot].swap(m_y);
        m_oldSteps[slot].swap(m_s);
        m_ro[slot] = 1.0 / ys;
        ++m_historyCount;
        const VectorXf& y = m_oldDirs[slot];
        m_hDiag = ys / static_cast<double>(y.dot(y));
      }
      // q = −g; the two loops run in place on m_d.
      m_d = -m_flatGrad;
      for (int i = m_historyCount - 1; i >= 0; --i) {
        const int slot = (m_historyStart + i) % m_historySize;
        m_al[i] = static_cast<double>(m_oldSteps[slot].dot(m_d)) * m_ro[slot];
        m_d -= static_cast<float>(m_al[i]) * m_oldDirs[slot];
      }
      m_d *= static_cast<float>(m_hDiag);
      for (int i = 0; i < m_historyCount; ++i) {
        const int slot = (m_historyStart + i) % m_historySize;
        const double be = static_cast<double>(m_oldDirs[slot].dot(m_d)) * m_ro[slot];
        m_d += static_cast<float>(m_al[i] - be) * m_oldSteps[slot];
      }
    }
    m_prevFlatGrad = m_flatGrad;
    m_prevLoss = currentLoss;

    // Step length: a cautious first step (at most 1/‖g‖₁), then lr.
    if (m_nIter == 1)
      m_t = std::min(1.0, 1.0 / static_cast<double>(m_flatGrad.cwiseAbs().sum())) * m_lr;
    else
      m_t = m_lr;

    const double gtd = m_flatGrad.dot(m_d);
    if (gtd > -m_toleranceChange) break;  // not a descent direction any more

    int lsEvals = 0;
    if (m_strongWolfe) {
      saveParams(m_x);
      currentLoss = strongWolfe(closure, m_t, currentLoss, gtd, lsEvals);
      addToParams(m_t, m_d);
      optCond = m_flatGrad.cwiseAbs().maxCoeff() <= m_toleranceGrad;
    } else {
      addToParams(m_t, m_d);
      // The last iteration skips the evaluation, as torch does.
      if (nIter != m_maxIter) {
        currentLoss = closure();
        gatherFlatGrad(m_flatGrad);
        optCond = m_flatGrad.cwiseAbs().maxCoeff() <= m_toleranceGrad;
        lsEvals = 1;
      }
    }
    currentEvals += lsEvals;
    m_funcEvals += lsEvals;

    if (nIter == m_maxIter) break;
    if (currentEvals >= m_maxEval) break;
    if (optCond) break;
    if (m_d.cwiseAbs().maxCoeff() * std::abs(m_t) <= m_toleranceChange) break;  // no movement
    if (std::abs(currentLoss - m_prevLoss) < m_toleranceChange) break;          // no progress
  }
  m_lastEvaluations = currentEvals;
}

void Lbfgs::reset() {
  for (VectorXf* v : {&m_flatGrad, &m_prevFlatGrad, &m_d}) v->setZero();
  m_historyStart = m_historyCount = 0;
  m_hDiag = 1.0;
  m_t = 0.0;
  m_prevLoss = 0.0;
  m_nIter = 0;
  m_funcEvals = 0;
  m_lastEvaluations = 0;
}

}  // namespace

std::unique_ptr<Optimizer> makeLbfgs(const OptimizerConfig& c,
                                     std::vector<ParamView<float>> params) {
  return std::make_unique<Lbfgs>(c, std::move(params));
}

}  // namespace gradscope
