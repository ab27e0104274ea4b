// Forward and backward passes of the dense network (see mlp.h for the layout).
#include "core/mlp.h"

#include <cmath>
#include <stdexcept>

#include "core/blocking.h"

namespace gradscope {

std::string validateShape(const MlpShape& s) {
  if (s.inputs < 1) return "the network needs at least one input";
  if (s.outputs < 1) return "the network needs at least one output";
  if (!(s.dropout >= 0.0 && s.dropout < 1.0))
    return "dropout must be in [0, 1) (got " + std::to_string(s.dropout) + ")";
  if (s.hidden.empty() || static_cast<int>(s.hidden.size()) > kMaxDepth)
    return "depth must be 1 to " + std::to_string(kMaxDepth) + " hidden layers (got " +
           std::to_string(s.hidden.size()) + ")";
  for (size_t l = 0; l < s.hidden.size(); ++l) {
    const auto& h = s.hidden[l];
    if (h.width < 1 || h.width > kMaxWidth)
      return "hidden layer " + std::to_string(l + 1) + ": width must be 1 to " +
             std::to_string(kMaxWidth) + " (got " + std::to_string(h.width) + ")";
    const ActivationInfo& maxout = activationInfo(Activation::Maxout);
    if (h.activation == Activation::Maxout &&
        (h.param < maxout.paramMin || h.param > maxout.paramMax || h.param != std::floor(h.param)))
      return "hidden layer " + std::to_string(l + 1) + ": Maxout k must be an integer " +
             std::to_string(static_cast<int>(maxout.paramMin)) + " to " +
             std::to_string(static_cast<int>(maxout.paramMax));
  }
  return {};
}

template <typename S>
BasicMlp<S>::BasicMlp(const MlpShape& shape) : m_shape(shape) {
  if (auto err = validateShape(shape); !err.empty()) throw std::invalid_argument(err);
  useFixedBlocking();
  int in = shape.inputs;
  const int depth = static_cast<int>(shape.hidden.size());
  m_layers.resize(depth + 1);
  for (int l = 0; l <= depth; ++l) {
    auto& L = m_layers[l];
    if (l < depth) {
      const auto& h = shape.hidden[l];
      L.activation = h.activation;
      L.param = S(h.param);
      L.units = h.width;
      L.pieces = h.activation == Activation::Maxout ? static_cast<int>(h.param) : 1;
      L.normKind = shape.norm;
      L.skip = shape.residual && l > 0 && h.width == shape.hidden[l - 1].width;
    } else {
      L.activation = Activation::Linear;
      L.units = shape.outputs;
    }
    const int rows = L.units * L.pieces;
    L.W.setZero(rows, in);
    L.b.setZero(rows);
    L.dW.setZero(rows, in);
    L.db.setZero(rows);
    if (L.activation == Activation::PReLU) {
      L.alpha.setConstant(L.units, L.param);
      L.dalpha.setZero(L.units);
    }
    initNorm(L.normKind, rows, L.norm);
    in = L.units;
  }
}

template <typename S>
void BasicMlp<S>::initialize(Init scheme, S biasInit, Rng& rng, S constant) {
  for (auto& L : m_layers) {
    initWeights(scheme, L.W, rng, constant);
    L.b.setConstant(biasInit);
    if (L.activation == Activation::PReLU) L.alpha.setConstant(L.param);
    initNorm(L.normKind, static_cast<int>(L.W.rows()), L.norm);
  }
}

template <typename S>
void BasicMlp<S>::forwardLayer(int l, const Mat<S>& in, LayerCache<S>& C, bool training,
                               Rng* masks) const {
  const auto& L = m_layers[static_cast<size_t>(l)];
  Mat<S>& pre = L.normKind == Norm::None ? C.z : C.lin;
  pre.resize(L.W.rows(), in.cols());
  pre.noalias() = L.W * in;
  pre.colwise() += L.b;
  if (L.normKind != Norm::None) {
    if (training)
      normForward(L.normKind, C.lin, L.norm, C.norm, C.z);
    else
      normPredict(L.normKind, C.lin, L.norm, C.norm, C.z);
  }
  C.trained = training;
  switch (L.activation) {
    case Activation::PReLU:
      C.a.resize(C.z.rows(), C.z.cols());
      C.a.array() =
          (C.z.array() > S(0)).select(C.z.array(), C.z.array().colwise() * L.alpha.array());
      break;
    case Activation::Maxout: {
      const Eigen::Index n = C.z.cols();
      C.a.resize(L.units, n);
      C.argmax.resize(L.units, n);
      for (Eigen::Index j = 0; j < n; ++j)
        for (int u = 0; u < L.units; ++u) {
          const S* piece = C.z.col(j).data() + u * L.pieces;
          int best = 0;
          for (int p = 1; p < L.pieces; ++p)
            if (piece[p] > piece[best]) best = p;
          C.a(u, j) = piece[best];
          C.argmax(u, j) = best;
        }
      break;
    }
    default:
      activateForward(L.activation, L.param, C.z, C.a);
      break;
  }
  // Inverted dropout as torch's: kept units scaled by 1/(1 − p), so evaluation needs no scale.
  const double p = m_shape.dropout;
  C.dropped = training && p > 0 && l + 1 < layerCount();
  if (C.dropped) {
    if (masks) {
      C.mask.resize(C.a.rows(), C.a.cols());
      const S keep = S(1.0 / (1.0 - p));
      for (Eigen::Index i = 0; i < C.mask.size(); ++i)
        C.mask.data()[i] = masks->uniform() < p ? S(0) : keep;
    }
    C.out.resize(C.a.rows(), C.a.cols());
    C.out.array() = C.a.array() * C.mask.array();
    if (L.skip) C.out += in;
  } else if (L.skip) {
    C.out.resize(C.a.rows(), C.a.cols());
    C.out = C.a + in;
  }
  C.hasOut = C.dropped || L.skip;
}

template <typename S>
const Mat<S>& BasicMlp<S>::forward(const Mat<S>& X, MlpCache<S>& cache) const {
  cache.resize(m_layers.size());
  const Mat<S>* in = &X;
  for (size_t l = 0; l < m_layers.size(); ++l) {
    forwardLayer(static_cast<int>(l), *in, cache[l], false, nullptr);
    in = &cache[l].output();
  }
  return cache.back().a;
}

template <typename S>
const Mat<S>& BasicMlp<S>::trainForward(const Mat<S>& X, MlpCache<S>& cache, Rng* masks,
                                        bool updateRunning) {
  cache.resize(m_layers.size());
  const Mat<S>* in = &X;
  for (size_t l = 0; l < m_layers.size(); ++l) {
    forwardLayer(static_cast<int>(l), *in, cache[l], true, masks);
    auto& L = m_layers[l];
    if (updateRunning && L.normKind == Norm::Batch)
      normUpdateRunning(L.norm, cache[l].norm, X.cols());
    in = &cache[l].output();
  }
  return cache.back().a;
}

template <typename S>
const Mat<S>& BasicMlp<S>::predict(const Mat<S>& X, MlpCache<S>& scratch) const {
  scratch.resize(2);
  const Mat<S>* in = &X;
  for (size_t l = 0; l < m_layers.size(); ++l) {
    auto& C = scratch[l % 2];
    forwardLayer(static_cast<int>(l), *in, C, false, nullptr);
    in = &C.output();
  }
  return *in;
}

template <typename S>
void BasicMlp<S>::backward(const Mat<S>& X, MlpCache<S>& cache, const Mat<S>& dOut,
                           LayerGradientsReady* ready) {
  const int last = layerCount() - 1;
  for (int l = last; l >= 0; --l) {
    auto& L = m_layers[l];
    auto& C = cache[l];
    // g = dL/d(the layer's output); through the dropout mask to dL/da.
    const Mat<S>& g = l == last ? dOut : C.da;
    const Mat<S>* dap = &g;
    if (C.dropped) {
      C.dAct.resize(g.rows(), g.cols());
      C.dAct.array() = g.array() * C.mask.array();
      dap = &C.dAct;
    }
    const Mat<S>& da = *dap;
    switch (L.activation) {
      case Activation::PReLU:
        C.dz.resize(C.z.rows(), C.z.cols());
        C.dz.array() =
            (C.z.array() > S(0)).select(da.array(), da.array().colwise() * L.alpha.array());
        L.dalpha = (C.z.array() > S(0)).select(S(0), da.array() * C.z.array()).rowwise().sum();
        break;
      case Activation::Maxout: {
        C.dz.setZero(C.z.rows(), C.z.cols());
        for (Eigen::Index j = 0; j < C.z.cols(); ++j)
          for (int u = 0; u < L.units; ++u) C.dz(u * L.pieces + C.argmax(u, j), j) = da(u, j);
        break;
      }
      default:
        activateBackward(L.activation, L.param, C.z, C.a, da, C.dz);
        break;
    }
    const Mat<S>* dpre = &C.dz;
    if (L.normKind != Norm::None) {
      normBackward(L.normKind, C.dz, L.norm, C.norm, C.dlin);
      dpre = &C.dlin;
    }
    const Mat<S>& in = l == 0 ? X : cache[l - 1].output();
    L.dW.noalias() = *dpre * in.transpose();
    L.db.noalias() = dpre->rowwise().sum();
    if (ready) (*ready)(L, l);
    if (l > 0) {
      auto& prev = cache[l - 1];
      prev.da.resize(L.W.cols(), dpre->cols());
      prev.da.noalias() = L.W.transpose() * *dpre;
      if (L.skip) prev.da += g;  // the skip passes dL/d(output) straight through
    }
  }
}

template <typename S>
std::vector<ParamView<S>> BasicMlp<S>::parameters() {
  std::vector<ParamView<S>> out;
  for (int l = 0; l < layerCount(); ++l) {
    auto& L = m_layers[l];
    const std::string prefix = "layers." + std::to_string(l) + ".";
    out.push_back({prefix + "weight", L.W.data(), L.dW.data(), L.W.size(), l});
    out.push_back({prefix + "bias", L.b.data(), L.db.data(), L.b.size(), l});
    if (L.alpha.size() > 0)
      out.push_back({prefix + "alpha", L.alpha.data(), L.dalpha.data(), L.alpha.size(), l});
    if (L.normKind != Norm::None) {
      auto& n = L.norm;
      out.push_back(
          {prefix + "norm.weight", n.weight.data(), n.dweight.data(), n.weight.size(), l});
      out.push_back({prefix + "norm.bias", n.bias.data(), n.dbias.data(), n.bias.size(), l});
    }
  }
  return out;
}

template <typename S>
Eigen::Index BasicMlp<S>::parameterCount() const {
  Eigen::Index n = 0;
  for (const auto& L : m_layers)
    n += L.W.size() + L.b.size() + L.alpha.size() + L.norm.weight.size() + L.norm.bias.size();
  return n;
}

template class BasicMlp<float>;
template class BasicMlp<double>;

}  // namespace gradscope
