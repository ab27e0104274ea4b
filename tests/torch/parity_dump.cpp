// Trains one network full-batch with gradscope's core (the same calls Run::step makes: the
// training forward, BCE-with-logits, backward, clip_grad_norm_, the optimizer) and writes as
// JSON the data, the initial parameters, every step's loss, per-layer ‖dL/dW‖ (before
// clipping) and clipped flag, and the final parameters, running statistics and gradients.
// tests/torch/parity.py builds the same network in PyTorch from those initial parameters and
// compares.
//
//   torch_parity_dump ACTIVATION NORM RESIDUAL CLIP OPTIMIZER STEPS > out.json
//   e.g. torch_parity_dump relu batch 1 0.5 sgd 300
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clip.h"
#include "core/loss.h"
#include "core/measure.h"
#include "core/mlp.h"
#include "core/optimizer/optimizer.h"

using namespace gradscope;
using nlohmann::json;

namespace {

json vec(const float* p, Eigen::Index n) { return json(std::vector<float>(p, p + n)); }

json parameters(Mlp& net) {
  json out = json::object();
  for (const auto& p : net.parameters()) out[p.name] = vec(p.value, p.size);
  for (int l = 0; l < net.layerCount(); ++l) {
    const auto& n = net.layer(l).norm;
    const std::string prefix = "layers." + std::to_string(l) + ".norm.";
    if (n.runningMean.size() > 0) {
      out[prefix + "running_mean"] = vec(n.runningMean.data(), n.runningMean.size());
      out[prefix + "running_var"] = vec(n.runningVar.data(), n.runningVar.size());
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "usage: torch_parity_dump ACTIVATION NORM RESIDUAL CLIP OPTIMIZER STEPS\n";
    return 2;
  }
  const auto act = activationFromKey(argv[1]);
  const auto norm = normFromKey(argv[2]);
  const bool residual = std::string(argv[3]) == "1";
  const double clip = std::stod(argv[4]);
  const auto opt = optimizerFromKey(argv[5]);
  const int steps = std::stoi(argv[6]);
  if (!act || !norm || !opt || steps < 1) {
    std::cerr << "torch_parity_dump: bad argument\n";
    return 2;
  }
  // 2 → 8 → 8 → 8 → 8 → 1: the skips of layers 2–4 apply with residual on.
  MlpShape shape;
  shape.inputs = 2;
  const double param = activationInfo(*act).paramDefault;
  shape.hidden.assign(4, {8, *act, param});
  shape.outputs = 1;
  shape.norm = *norm;
  shape.residual = residual;
  Mlp net(shape);
  Rng rng(42);
  net.initialize(Init::HeNormal, 0.0f, rng);
  // Noisy XOR, 64 samples in file order (the whole set is the batch).
  const int n = 64;
  Mat<float> X(2, n);
  Eigen::VectorXi y(n);
  for (int j = 0; j < n; ++j) {
    X(0, j) = static_cast<float>(rng.uniform(-1, 1));
    X(1, j) = static_cast<float>(rng.uniform(-1, 1));
    y[j] = (X(0, j) > 0) != (X(1, j) > 0);
  }
  json out;
  out["activation"] = argv[1];
  out["param"] = param;
  out["norm"] = argv[2];
  out["residual"] = residual;
  out["clip"] = clip;
  out["optimizer"] = argv[5];
  out["X"] = vec(X.data(), X.size());  // column-major: sample j is X[2j], X[2j+1]
  out["y"] = std::vector<int>(y.data(), y.data() + n);
  out["initial"] = parameters(net);

  OptimizerConfig oc;
  oc.kind = *opt;
  oc.values["lr"] = *opt == OptimizerKind::SGD ? 0.1 : 0.01;
  auto views = net.parameters();
  auto optimizer = makeOptimizer(oc, views);
  MlpCache<float> cache;
  Mat<float> dOut;
  json losses = json::array(), gradNorms = json::array(), clipped = json::array(),
       totals = json::array();
  std::vector<float> norms(static_cast<size_t>(net.layerCount()));
  json normGradNorms = json::array();
  std::vector<float> normNorms(static_cast<size_t>(net.layerCount() - 1));
  const Closure closure = [&] {
    const float l = lossForward<float>(Loss::BCE, net.trainForward(X, cache, nullptr), y, &dOut);
    net.backward(X, cache, dOut);
    return l;
  };
  for (int s = 0; s < steps; ++s) {
    const float l = lossForward<float>(Loss::BCE, net.trainForward(X, cache, nullptr), y, &dOut);
    net.backward(X, cache, dOut);
    gradientNorms(net, norms.data());
    losses.push_back(l);
    gradNorms.push_back(norms);
    if (*norm != Norm::None) {
      normGradientNorms(net, normNorms.data());
      normGradNorms.push_back(normNorms);
    }
    bool c = false;
    double total = totalGradNorm<float>(views);
    if (clip > 0) c = clipGradNorm<float>(views, clip, &total);
    clipped.push_back(c);
    totals.push_back(total);
    optimizer->step(l, closure);
  }
  out["loss"] = losses;
  out["grad_norm"] = gradNorms;
  out["norm_grad_norm"] = normGradNorms;
  out["clipped"] = clipped;
  out["total_norm"] = totals;
  out["final"] = parameters(net);
  // The evaluation forward (running statistics) on the data after training.
  MlpCache<float> evalCache;
  const Mat<float>& logits = net.forward(X, evalCache);
  out["eval_logits"] = vec(logits.data(), logits.size());
  std::cout << out.dump() << "\n";
  return 0;
}
