// Fuzz target: weights JSON (parseWeights) into networks of a fixed small shape that has
// every kind of parameter tensor: 2 inputs → 3 PReLU (learned α) → 2 Maxout (k = 2) → 1, once
// plain and once with batch norm (γ, β, running statistics). Every input either throws
// JsonError and leaves the network bit for bit as it was, or loads finite parameters that
// save and load again bit for bit.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/mlp.h"
#include "fuzz_check.h"
#include "train/config_json.h"

namespace {

using gradscope::Mlp;

Mlp makeNet(gradscope::Norm norm) {
  gradscope::MlpShape shape;
  shape.norm = norm;
  shape.inputs = 2;
  shape.hidden = {{3, gradscope::Activation::PReLU, 0.25}, {2, gradscope::Activation::Maxout, 2}};
  shape.outputs = 1;
  Mlp net(shape);
  gradscope::Rng rng(1);
  net.initialize(gradscope::Init::Normal, 0.1f, rng);
  return net;
}

template <typename Matrix>
bool sameBits(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0);
}

bool sameParameters(const Mlp& a, const Mlp& b) {
  if (a.layerCount() != b.layerCount()) return false;
  for (int l = 0; l < a.layerCount(); ++l)
    if (!sameBits(a.layer(l).W, b.layer(l).W) || !sameBits(a.layer(l).b, b.layer(l).b) ||
        !sameBits(a.layer(l).alpha, b.layer(l).alpha) ||
        !sameBits(a.layer(l).norm.weight, b.layer(l).norm.weight) ||
        !sameBits(a.layer(l).norm.bias, b.layer(l).norm.bias) ||
        !sameBits(a.layer(l).norm.runningMean, b.layer(l).norm.runningMean) ||
        !sameBits(a.layer(l).norm.runningVar, b.layer(l).norm.runningVar))
      return false;
  return true;
}

void check(std::string_view text, const Mlp& initial) {
  Mlp net = initial;
  try {
    gradscope::parseWeights(text, net);
  } catch (const gradscope::JsonError&) {
    FUZZ_CHECK(sameParameters(net, initial));  // all or nothing
    return;
  }
  for (int l = 0; l < net.layerCount(); ++l) {
    const auto& layer = net.layer(l);
    FUZZ_CHECK(layer.W.rows() == initial.layer(l).W.rows() &&
               layer.W.cols() == initial.layer(l).W.cols());
    FUZZ_CHECK(layer.b.size() == initial.layer(l).b.size());
    FUZZ_CHECK(layer.alpha.size() == initial.layer(l).alpha.size());
    FUZZ_CHECK(layer.W.allFinite() && layer.b.allFinite() && layer.alpha.allFinite());
    const auto &n = layer.norm, &n0 = initial.layer(l).norm;
    FUZZ_CHECK(n.weight.size() == n0.weight.size() && n.bias.size() == n0.bias.size() &&
               n.runningMean.size() == n0.runningMean.size() &&
               n.runningVar.size() == n0.runningVar.size());
    FUZZ_CHECK(n.weight.allFinite() && n.bias.allFinite() && n.runningMean.allFinite() &&
               (n.runningVar.array() >= 0.0f).all());
  }
  const std::string saved = gradscope::weightsToJson(net);
  Mlp again = initial;
  try {
    gradscope::parseWeights(saved, again);
  } catch (const gradscope::JsonError& e) {
    std::fprintf(stderr, "saved weights do not load: %s\n%s", e.what(), saved.c_str());
    std::abort();
  }
  FUZZ_CHECK(sameParameters(again, net));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Mlp plain = makeNet(gradscope::Norm::None);
  static const Mlp batchNorm = makeNet(gradscope::Norm::Batch);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(text, plain);
  check(text, batchNorm);
  return 0;
}
