// Multilayer perceptron of dense layers with a forward pass that caches what the plots need
// and a backward twin that produces dW, db (and PReLU's dα) and the backpropagated dz.
//
// Samples are COLUMNS: an input batch X is (inputs, batch), every z and a is (width, batch),
// and W is (out, in) as in torch.nn.Linear, so z = W·a_prev + b.
// Maxout layers hold k pieces per unit: W is (out·k, in), piece p of unit j is row j·k + p
// (torch's Linear(in, out·k) followed by view(out, k).max(-1)).
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "core/activation.h"
#include "core/init.h"
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
};

// What one forward/backward pass leaves behind, per layer. A network can run several caches
// (the training batch, the whole data set) without disturbing each other.
template <typename Scalar>
struct LayerCache {
  Mat<Scalar> z;           // (units·pieces, batch) pre-activation
  Mat<Scalar> a;           // (units, batch) activation (the output layer: the logits)
  Mat<Scalar> dz;          // (units·pieces, batch) dL/dz
  Mat<Scalar> da;          // (units, batch) dL/da
  Eigen::MatrixXi argmax;  // (units, batch) winning Maxout piece
};

template <typename Scalar>
using MlpCache = std::vector<LayerCache<Scalar>>;

// One parameter tensor as an optimizer sees it: contiguous values and their gradient.
template <typename Scalar>
struct ParamView {
  std::string name;  // "layers.0.weight", "layers.0.bias", "layers.0.alpha"
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
  int layerCount() const { return static_cast<int>(m_layers.size()); }  // hidden + output
  DenseLayer<Scalar>& layer(int l) { return m_layers[l]; }
  const DenseLayer<Scalar>& layer(int l) const { return m_layers[l]; }

  // X (inputs, batch) → logits (outputs, batch); caches z and a per layer.
  const Mat<Scalar>& forward(const Mat<Scalar>& X, MlpCache<Scalar>& cache) const;
  // X (inputs, batch) → logits (outputs, batch) through two alternating layer buffers: the
  // memory of two layers' activations whatever the depth, nothing kept per layer. The result
  // lives in `scratch`.
  const Mat<Scalar>& predict(const Mat<Scalar>& X, MlpCache<Scalar>& scratch) const;
  // From dL/dlogits: overwrites every layer's dW, db, dα and the cache's dz/da.
  void backward(const Mat<Scalar>& X, MlpCache<Scalar>& cache, const Mat<Scalar>& dOut);

  std::vector<ParamView<Scalar>> parameters();
  Eigen::Index parameterCount() const;
  // Copies the parameters of another network of the same shape (e.g. float ↔ double).
  template <typename Other>
  void copyParametersFrom(const BasicMlp<Other>& other) {
    for (int l = 0; l < layerCount(); ++l) {
      m_layers[l].W = other.layer(l).W.template cast<Scalar>();
      m_layers[l].b = other.layer(l).b.template cast<Scalar>();
      m_layers[l].alpha = other.layer(l).alpha.template cast<Scalar>();
    }
  }

 private:
  void forwardLayer(int l, const Mat<Scalar>& in, LayerCache<Scalar>& C) const;

  MlpShape m_shape;
  std::vector<DenseLayer<Scalar>> m_layers;
};

using Mlp = BasicMlp<float>;

// Validates a shape, returning an empty string or a message naming what is out of range.
std::string validateShape(const MlpShape& shape);

}  // namespace gradscope
