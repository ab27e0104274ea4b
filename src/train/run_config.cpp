// Session and run configuration: network shape, validation, labels.
#include "train/run_config.h"

#include <cmath>
#include <sstream>

namespace gradscope {

MlpShape RunConfig::shape(int inputs, int classes) const {
  MlpShape s;
  s.inputs = inputs;
  s.outputs = lossOutputs(loss, classes);
  for (size_t l = 0; l < hidden.size(); ++l) {
    const auto it = layerActivations.find(static_cast<int>(l));
    const ActivationChoice& a = it != layerActivations.end() ? it->second : activation;
    s.hidden.push_back({hidden[l], a.activation, a.param});
  }
  return s;
}

namespace {

std::string checkRun(const RunConfig& r, const std::string& where) {
  MlpShape s = r.shape(2, 2);
  if (auto e = validateShape(s); !e.empty()) return where + ".hidden: " + e;
  for (const auto& [layer, choice] : r.layerActivations)
    if (layer < 0 || layer >= static_cast<int>(r.hidden.size()))
      return where + ".layer_activations: layer " + std::to_string(layer + 1) +
             " does not exist (the network has " + std::to_string(r.hidden.size()) +
             " hidden layers)";
  auto checkParam = [&](const ActivationChoice& a, const std::string& at) -> std::string {
    const auto& info = activationInfo(a.activation);
    if (info.paramName.empty()) return {};
    if (!std::isfinite(a.param) || a.param < info.paramMin || a.param > info.paramMax) {
      std::ostringstream m;
      m << at << ": " << info.name << " " << info.paramName << " must be " << info.paramMin
        << " to " << info.paramMax << " (got " << a.param << ")";
      return m.str();
    }
    return {};
  };
  if (auto e = checkParam(r.activation, where + ".activation_param"); !e.empty()) return e;
  for (const auto& [layer, choice] : r.layerActivations)
    if (auto e = checkParam(choice, where + ".layer_activations." + std::to_string(layer + 1));
        !e.empty())
      return e;
  if (!std::isfinite(r.biasInit) || std::abs(r.biasInit) > 100)
    return where + ".bias_init: must be -100 to 100";
  if (!std::isfinite(r.initConstant) || std::abs(r.initConstant) > 100)
    return where + ".init_constant: must be -100 to 100";
  if (r.batchSize < 0 || r.batchSize > kMaxSamples)
    return where + ".batch: must be 0 (full batch) to " + std::to_string(kMaxSamples) + " (got " +
           std::to_string(r.batchSize) + ")";
  if (auto e = validateOptimizer(r.optimizer); !e.empty()) return where + ".optimizer: " + e;
  return {};
}

}  // namespace

std::string validateSession(const SessionConfig& c) {
  if (c.runs.empty() || c.runs.size() > static_cast<size_t>(kMaxRuns))
    return "runs: 1 to " + std::to_string(kMaxRuns) + " runs (got " +
           std::to_string(c.runs.size()) + ")";
  if (c.data.csvPath.empty()) {
    if (c.data.samples < 2 || c.data.samples > kMaxSamples)
      return "data.samples: must be 2 to " + std::to_string(kMaxSamples) + " (got " +
             std::to_string(c.data.samples) + ")";
    if (!(c.data.noise >= 0.0) || c.data.noise > 1.0) return "data.noise: must be 0 to 1";
  }
  if (!(c.data.testFraction >= 0.0) || c.data.testFraction > 0.9)
    return "data.test_fraction: must be 0 to 0.9";
  if (!(c.stepsPerSecond >= 0.1) || c.stepsPerSecond > 1e7)
    return "speed.steps_per_second: must be 0.1 to 10000000";
  if (c.evalEvery < 0 || c.evalEvery > 1'000'000)
    return "eval_every: must be 0 (automatic) to 1000000";
  for (size_t i = 0; i < c.runs.size(); ++i)
    if (auto e = checkRun(c.runs[i], "runs[" + std::to_string(i) + "]"); !e.empty()) return e;
  return {};
}

std::string runLabel(const SessionConfig& c, int index) {
  const RunConfig& r = c.runs[static_cast<size_t>(index)];
  if (!r.label.empty()) return r.label;
  const RunConfig& base = c.runs.front();
  std::string label;
  auto add = [&](const std::string& part) {
    if (!label.empty()) label += ' ';
    label += part;
  };
  const bool single = c.runs.size() == 1;
  if (single || r.activation != base.activation || index == 0)
    add(std::string(activationInfo(r.activation.activation).name));
  if (r.optimizer.kind != base.optimizer.kind)
    add(std::string(optimizerInfo(r.optimizer.kind).name));
  if (r.optimizer.get("lr") != base.optimizer.get("lr")) {
    std::ostringstream m;
    m << "lr=" << r.optimizer.get("lr");
    add(m.str());
  }
  if (r.init != base.init) add(std::string(initInfo(r.init).name));
  if (r.hidden != base.hidden) add(std::to_string(r.hidden.size()) + " layers");
  if (index > 0 && label == std::string(activationInfo(r.activation.activation).name) && r == base)
    label += " (" + std::to_string(index + 1) + ")";
  return label.empty() ? "run " + std::to_string(index + 1) : label;
}

}  // namespace gradscope
