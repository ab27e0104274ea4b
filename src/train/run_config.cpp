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

Init defaultInit(const DataConfig& data) {
  return data.csvPath.empty() && data.kind == DatasetKind::FashionMnist ? Init::HeNormal
                                                                        : Init::Normal;
}

std::string validateSession(const SessionConfig& c) {
  if (c.runs.empty() || c.runs.size() > static_cast<size_t>(kMaxRuns))
    return "runs: 1 to " + std::to_string(kMaxRuns) + " runs (got " +
           std::to_string(c.runs.size()) + ")";
  const auto check = [](const FieldSpec& spec, double value) {
    return spec.valid(value) ? std::string() : spec.outOfRange(spec.path, value);
  };
  if (c.data.csvPath.empty())
    for (const auto& e : {check(field::Samples, c.data.samples), check(field::Noise, c.data.noise),
                          check(field::TrainImages, c.data.trainImages)})
      if (!e.empty()) return e;
  for (const auto& e :
       {check(field::TestFraction, c.data.testFraction),
        check(field::StepsPerSecond, c.stepsPerSecond), check(field::EvalEvery, c.evalEvery)})
    if (!e.empty()) return e;
  for (size_t i = 0; i < c.runs.size(); ++i)
    if (auto e = checkRun(c.runs[i], "runs[" + std::to_string(i) + "]"); !e.empty()) return e;
  return {};
}

namespace {

std::string number(double v) {
  std::ostringstream m;
  m << v;
  return m.str();
}

Message widths(const std::vector<int>& hidden) {
  if (hidden.empty()) return said("label.no_hidden", "no hidden layers");
  bool uniform = true;
  for (int w : hidden) uniform = uniform && w == hidden.front();
  if (uniform)
    return verbatim(std::to_string(hidden.size()) + "×" + std::to_string(hidden.front()));
  std::string out;
  for (int w : hidden) out += (out.empty() ? "" : "-") + std::to_string(w);
  return verbatim(out);
}

// The label of run `index` from the settings that differ between the runs (all of them
// for one run: its activation), before duplicates are numbered. Names (activations,
// optimizers, PyTorch's argument names, BatchNorm) are the same in every language; words are
// said with a key.
Message derivedLabel(const SessionConfig& c, int index) {
  const auto& runs = c.runs;
  const RunConfig& r = runs[static_cast<size_t>(index)];
  // Whether `part` of the runs differs anywhere.
  const auto varies = [&](auto part) {
    for (const RunConfig& o : runs)
      if (!(part(o) == part(runs.front()))) return true;
    return false;
  };
  std::vector<Message> parts;
  std::string name(activationInfo(r.activation.activation).name);
  for (const RunConfig& o : runs)  // the parameter tells runs of one activation apart
    if (o.activation.activation == r.activation.activation &&
        o.activation.param != r.activation.param) {
      name += " " + number(r.activation.param);
      break;
    }
  Message activation = verbatim(name);
  if (!r.layerActivations.empty())
    activation = said("label.mixed", "%1$s (mixed)", {std::move(activation)});
  if (runs.size() == 1 || varies([](const RunConfig& o) { return o.activation; }) ||
      varies([](const RunConfig& o) { return o.layerActivations; }))
    parts.push_back(activation);
  if (varies([](const RunConfig& o) { return o.init; }) ||
      varies([](const RunConfig& o) { return o.initConstant; })) {
    const InitInfo& info = initInfo(r.init);
    Message init = said("init_short." + std::string(info.key), std::string(info.shortName));
    if (r.init == Init::Constant) init = joined({init, verbatim(number(r.initConstant))}, " ");
    parts.push_back(init);
  }
  if (varies([](const RunConfig& o) { return o.hidden; })) parts.push_back(widths(r.hidden));
  std::string optimizer;
  if (varies([](const RunConfig& o) { return o.optimizer.kind; }))
    optimizer = optimizerInfo(r.optimizer.kind).name;
  // A hyperparameter tells runs of one optimizer apart.
  for (const HyperParam& h : optimizerInfo(r.optimizer.kind).params)
    for (const RunConfig& o : runs)
      if (o.optimizer.kind == r.optimizer.kind &&
          o.optimizer.get(h.key) != r.optimizer.get(h.key)) {
        optimizer += (optimizer.empty() ? "" : " ") + std::string(h.key) + "=" +
                     number(r.optimizer.get(h.key));
        break;
      }
  if (!optimizer.empty()) parts.push_back(verbatim(optimizer));
  if (varies([](const RunConfig& o) { return o.batchSize; }))
    parts.push_back(r.batchSize == 0 ? said("label.full_batch", "full batch")
                                     : said("label.batch", "batch %1$s",
                                            {verbatim(std::to_string(r.batchSize))}));
  if (varies([](const RunConfig& o) { return o.biasInit; }))
    parts.push_back(said("label.bias", "bias %1$s", {verbatim(number(r.biasInit))}));
  if (varies([](const RunConfig& o) { return o.loss; }))
    parts.push_back(
        said("loss_fn." + std::string(lossInfo(r.loss).key), std::string(lossInfo(r.loss).name)));
  // The cures are named where a run has them; their absence goes without saying.
  if (r.norm != Norm::None && varies([](const RunConfig& o) { return o.norm; }))
    parts.push_back(verbatim(std::string(normInfo(r.norm).name)));
  if (r.residual && varies([](const RunConfig& o) { return o.residual; }))
    parts.push_back(said("label.residual", "residual"));
  if (r.clipNorm > 0 && varies([](const RunConfig& o) { return o.clipNorm; }))
    parts.push_back(said("label.clip", "clip %1$s", {verbatim(number(r.clipNorm))}));
  if (r.dropout > 0 && varies([](const RunConfig& o) { return o.dropout; }))
    parts.push_back(said("label.dropout", "dropout %1$s", {verbatim(number(r.dropout))}));
  return parts.empty() ? activation : joined(std::move(parts), ", ");
}

}  // namespace

Message runLabelMessage(const SessionConfig& c, int index) {
  const auto base = [&](int i) {
    const RunConfig& r = c.runs[static_cast<size_t>(i)];
    return r.label.empty() ? derivedLabel(c, i) : verbatim(r.label);
  };
  const Message label = base(index);
  int same = 0;
  for (int i = 0; i < index; ++i) same += english(base(i)) == english(label);
  return same == 0 ? label : joined({label, verbatim("(" + std::to_string(same + 1) + ")")}, " ");
}

std::string runLabel(const SessionConfig& c, int index) {
  return english(runLabelMessage(c, index));
}

void dropStaleLabels(const SessionConfig& before, SessionConfig& after) {
  for (size_t i = 0; i < after.runs.size() && i < before.runs.size(); ++i) {
    RunConfig& r = after.runs[i];
    if (r.label.empty() || r.label != before.runs[i].label) continue;
    RunConfig unlabelled = before.runs[i];
    unlabelled.label = r.label;
    if (!(unlabelled == r)) r.label.clear();
  }
}

}  // namespace gradscope
