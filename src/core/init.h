// Weight initializers, named and parameterized as in torch.nn.init (fan_in = columns of
// W, fan_out = rows). Draws are seeded and bit-identical across runs and machines.
#pragma once

#include <Eigen/Core>
#include <optional>
#include <span>
#include <string_view>

#include "core/rng.h"

namespace gradscope {

enum class Init : std::uint8_t {
  Zeros,
  Constant,       // every weight = value
  Uniform,        // U(−0.5, 0.5), TensorFlow Playground's
  Normal,         // N(0, 1), the tf.random_normal of the deep-sigmoid XOR tutorials
  XavierUniform,  // U(−a, a), a = √(6 / (fan_in + fan_out))
  XavierNormal,   // N(0, 2 / (fan_in + fan_out))
  HeUniform,      // U(−b, b), b = √(6 / fan_in)   (kaiming_uniform_, ReLU gain √2)
  HeNormal,       // N(0, 2 / fan_in)              (kaiming_normal_, ReLU gain √2)
  LeCunNormal,    // N(0, 1 / fan_in)
};

struct InitInfo {
  Init id;
  std::string_view key;      // "xavier_uniform"
  std::string_view name;     // "Xavier / Glorot uniform"
  std::string_view shortName;  // "Xavier": in run labels
  std::string_view formula;  // "U(−a, a), a = √(6 / (fan_in + fan_out))"
};

std::span<const InitInfo> initTable();
const InitInfo& initInfo(Init i);
std::optional<Init> initFromKey(std::string_view key);
std::string_view initKeyList();

// The standard deviation the scheme gives a weight (0 for Zeros/Constant), for tests and tooltips.
double initStddev(Init scheme, int fanIn, int fanOut);

// Fills W (fan_out rows × fan_in columns) in column-major order from rng. `value` is the
// constant of Init::Constant.
void initWeights(Init scheme, Eigen::MatrixXf& W, Rng& rng, float value = 0.0f);
void initWeights(Init scheme, Eigen::MatrixXd& W, Rng& rng, double value = 0.0);

}  // namespace gradscope
