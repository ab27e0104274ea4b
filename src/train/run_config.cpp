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
  s.norm = norm;
  s.residual = residual;
  s.dropout = dropout;
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
  for (const auto& [spec, value] :
       {std::pair{&field::BiasInit, double{r.biasInit}},
        std::pair{&field::InitConstant, double{r.initConstant}},
        std::pair{&field::Batch, double(r.batchSize)}, std::pair{&field::ClipNorm, r.clipNorm},
        std::pair{&field::Dropout, r.dropout}})
    if (!spec->valid(value)) return spec->outOfRange(where + "." + std::string(spec->path), value);
  if (r.norm == Norm::Batch && r.batchSize == 1)
    return where +
           ".batch: batch norm needs at least 2 samples per batch (a batch of 1 has no "
           "variance); use a larger batch or norm layer";
  if (auto e = validateOptimizer(r.optimizer); !e.empty()) return where + ".optimizer: " + e;
  return {};
}

}  // namespace

std::string validateSession(const SessionConfig& c) {
  if (c.runs.empty() || c.runs.size() > static_cast<size_t>(kMaxRuns))
    return "runs: 1 to " + std::to_string(kMaxRuns) + " runs (got " +
           std::to_string(c.runs.size()) + ")";
  const auto check = [](const FieldSpec& spec, double value) {
    return spec.valid(value) ? std::string() : spec.outOfRange(spec.path, value);
  };
  if (c.data.csvPath.empty())
    for (const auto& e : {check(field::Samples, c.data.samples), check(field::Noise, c.data.noise)})
      if (!e.empty()) return e;
  for (const auto& e :
       {check(field::TestFraction, c.data.testFraction),
        check(field::StepsPerSecond, c.stepsPerSecond), check(field::EvalEvery, c.evalEvery)})
    if (!e.empty()) return e;
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
  if (r.norm != base.norm) add(std::string(normInfo(r.norm).name));
  if (r.residual != base.residual) add(r.residual ? "residual" : "plain");
  if (r.clipNorm != base.clipNorm) {
    std::ostringstream m;
    m << "clip=" << r.clipNorm;
    add(r.clipNorm > 0 ? m.str() : "no clip");
  }
  if (r.dropout != base.dropout) {
    std::ostringstream m;
    m << "dropout=" << r.dropout;
    add(m.str());
  }
  if (index > 0 && label == std::string(activationInfo(r.activation.activation).name) && r == base)
    label += " (" + std::to_string(index + 1) + ")";
  return label.empty() ? "run " + std::to_string(index + 1) : label;
}

}  // namespace gradscope
