// Multilayer perceptron of dense layers with a forward pass that caches what the plots need
// and a backward twin that produces dW, db (and PReLU's dα) and the backpropagated dz.
//
// Samples are COLUMNS: an input batch X is (inputs, batch), every z and a is (width, batch),
// and W is (out, in) as in torch.nn.Linear, so z = W·a_prev + b.
// Maxout layers hold k pieces per unit: W is (out·k, in), piece p of unit j is row j·k + p
// (torch's Linear(in, out·k) followed by view(out, k).max(-1)).
//
// A hidden layer, as the course draws it:
//   z = norm(W·a_prev + b)        norm: none, BatchNorm1d or LayerNorm (core/norm.h)
//   a = f(z)                      the activation (PReLU, Maxout in the layer)
//   out = a_prev + dropout(a)     the skip (residual, width unchanged, not the first layer)
//                                 and dropout (training only) when they apply; out = a otherwise
// Training and evaluation are two forwards: trainForward uses the batch's statistics and
// dropout, forward/predict the running statistics and no dropout (torch's train()/eval()).
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/activation.h"
#include "core/init.h"
#include "core/norm.h"
#include "core/rng.h"

namespace gradscope {

struct HiddenLayerSpec {
  int width = 10;
  Activation activation = Activation::ReLU;
  double param = 0.0;  // Leaky/ELU α, Softplus β, PReLU initial α, Maxout k
};

struct MlpShape {
  int inputs = 2;
  std::vector<HiddenLayerSpec> hidden;
  int outputs = 1;
  Norm norm = Norm::None;  // in every hidden layer, between Linear and the activation
  bool residual = false;   // a skip around each hidden layer after the first of unchanged width
  double dropout = 0.0;    // torch.nn.Dropout(p) after each hidden activation, p in [0, 1)
};

inline constexpr int kMaxDepth = 64;
inline constexpr int kMaxWidth = 256;

// Parameters and gradients of one dense layer.
template <typename Scalar>
struct DenseLayer {
  Activation activation = Activation::Linear;
  Scalar param = 0;    // activation parameter (unused for PReLU, whose α is learned)
  int units = 0;       // output width
  int pieces = 1;      // Maxout k, 1 otherwise
  Mat<Scalar> W;       // (units·pieces, in) weights
  Vec<Scalar> b;       // (units·pieces) biases
  Vec<Scalar> alpha;   // (units) PReLU slopes; empty for other activations
  Mat<Scalar> dW;      // (units·pieces, in) dL/dW
  Vec<Scalar> db;      // (units·pieces) dL/db
  Vec<Scalar> dalpha;  // (units) dL/dα
  Norm normKind = Norm::None;
  NormParams<Scalar> norm;  // (units·pieces) γ, β, running statistics
  bool skip = false;        // residual: out = a_prev + a
};

// What one forward/backward pass leaves behind, per layer. A network can run several caches
// (the training batch, the whole data set) without disturbing each other.
template <typename Scalar>
struct LayerCache {
  Mat<Scalar> lin;         // (units·pieces, batch) W·a_prev + b before the norm (norm only)
  Mat<Scalar> z;           // (units·pieces, batch) pre-activation (after the norm)
  Mat<Scalar> a;           // (units, batch) activation (the output layer: the logits)
  Mat<Scalar> out;         // (units, batch) the layer's output when hasOut (skip, dropout)
  Mat<Scalar> mask;        // (units, batch) dropout: 0 or 1/(1 − p)
  NormCache<Scalar> norm;  // the norm's statistics of this pass
  Mat<Scalar> dz;          // (units·pieces, batch) dL/dz
  Mat<Scalar> da;          // (units, batch) dL/d(the layer's output)
  Mat<Scalar> dAct;        // (units, batch) dL/da through the dropout mask
  Mat<Scalar> dlin;        // (units·pieces, batch) dL/d(W·a_prev + b) (norm only)
  Eigen::MatrixXi argmax;  // (units, batch) winning Maxout piece
  bool hasOut = false;     // out holds the output (else a)
  bool dropped = false;    // this pass applied the dropout mask
  bool trained = false;    // this pass was a training forward (batch statistics)

  const Mat<Scalar>& output() const { return hasOut ? out : a; }
};

template <typename Scalar>
using MlpCache = std::vector<LayerCache<Scalar>>;

// One parameter tensor as an optimizer sees it: contiguous values and their gradient.
template <typename Scalar>
struct ParamView {
  std::string name;  // "layers.0.weight", "layers.0.bias", "layers.0.alpha", "layers.0.norm.weight"
  Scalar* value;
  Scalar* grad;
  Eigen::Index size;
  int layer;
};

template <typename Scalar>
class BasicMlp {
 public:
  explicit BasicMlp(const MlpShape& shape);

  // Weights by `scheme` drawn layer by layer, input side first; biases = biasInit; PReLU α =
  // its initial value. The same seed and shape give bit-identical weights.
  void initialize(Init scheme, Scalar biasInit, Rng& rng, Scalar constant = 0);

  const MlpShape& shape() const { return m_shape; }
  // Dropout's p for later training forwards (no parameter depends on it); p in [0, 1).
  void setDropout(double p) { m_shape.dropout = p; }
  int layerCount() const { return static_cast<int>(m_layers.size()); }  // hidden + output
  DenseLayer<Scalar>& layer(int l) { return m_layers[l]; }
  const DenseLayer<Scalar>& layer(int l) const { return m_layers[l]; }

  // Evaluation: X (inputs, batch) → logits (outputs, batch); caches z and a per layer. Batch
  // norm with its running statistics, no dropout.
  const Mat<Scalar>& forward(const Mat<Scalar>& X, MlpCache<Scalar>& cache) const;
  // Training: batch norm with the batch's statistics (the running ones updated unless
  // `updateRunning` is false), dropout masks drawn from `masks` (nullptr: the cache's masks
  // from before, as gradient checks need). The pass backward() differentiates.
  const Mat<Scalar>& trainForward(const Mat<Scalar>& X, MlpCache<Scalar>& cache, Rng* masks,
                                  bool updateRunning = true);
  // X (inputs, batch) → logits (outputs, batch) through two alternating layer buffers: the
  // memory of two layers' activations whatever the depth, nothing kept per layer. The result
  // lives in `scratch`.
  const Mat<Scalar>& predict(const Mat<Scalar>& X, MlpCache<Scalar>& scratch) const;
  // Told of each layer as soon as backward() has its gradients (last layer first), while they
  // are still in cache: measuring them there costs a fraction of another sweep over memory.
  struct LayerGradientsReady {
    virtual void operator()(const DenseLayer<Scalar>& layer, int l) = 0;

   protected:
    ~LayerGradientsReady() = default;
  };
  // From dL/dlogits after a forward over the same cache: overwrites every layer's dW, db, dα,
  // dγ, dβ and the cache's gradients; `ready` (optional) sees each layer's as they come.
  void backward(const Mat<Scalar>& X, MlpCache<Scalar>& cache, const Mat<Scalar>& dOut,
                LayerGradientsReady* ready = nullptr);

  std::vector<ParamView<Scalar>> parameters();
  Eigen::Index parameterCount() const;
  // Copies the parameters of another network of the same shape (e.g. float ↔ double).
  template <typename Other>
  void copyParametersFrom(const BasicMlp<Other>& other) {
    for (int l = 0; l < layerCount(); ++l) {
      m_layers[l].W = other.layer(l).W.template cast<Scalar>();
      m_layers[l].b = other.layer(l).b.template cast<Scalar>();
      m_layers[l].alpha = other.layer(l).alpha.template cast<Scalar>();
      auto& n = m_layers[l].norm;
      const auto& o = other.layer(l).norm;
      n.weight = o.weight.template cast<Scalar>();
      n.bias = o.bias.template cast<Scalar>();
      n.runningMean = o.runningMean.template cast<Scalar>();
      n.runningVar = o.runningVar.template cast<Scalar>();
    }
  }

 private:
  void forwardLayer(int l, const Mat<Scalar>& in, LayerCache<Scalar>& C, bool training,
                    Rng* masks) const;

  MlpShape m_shape;
  std::vector<DenseLayer<Scalar>> m_layers;
};

using Mlp = BasicMlp<float>;

// Validates a shape, returning an empty string or a message naming what is out of range.
std::string validateShape(const MlpShape& shape);

}  // namespace gradscope
