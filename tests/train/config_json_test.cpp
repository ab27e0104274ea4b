// Preset and weights JSON: round trips, defaults, every kind of error with its path, and
// bit-identical weights.
#include "train/config_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

namespace gradscope {
namespace {

// The message parsePreset throws for `text` (empty if it parses).
std::string presetError(const std::string& text) {
  try {
    parsePreset(text);
  } catch (const JsonError& e) {
    return e.what();
  }
  return {};
}

std::string weightsError(const std::string& text, Mlp& net) {
  try {
    parseWeights(text, net);
  } catch (const JsonError& e) {
    return e.what();
  }
  return {};
}

bool sameBits(const Eigen::MatrixXf& a, const Eigen::MatrixXf& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 ||
          std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<size_t>(a.size())) == 0);
}

bool sameBits(const Eigen::VectorXf& a, const Eigen::VectorXf& b) {
  // memcmp must not be given the null data of an empty vector (non-PReLU layers' alpha).
  return a.size() == b.size() &&
         (a.size() == 0 ||
          std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<size_t>(a.size())) == 0);
}

// A preset that sets every field away from its default.
Preset everything() {
  Preset p;
  p.title = "Deep sigmoid vs ReLU";
  p.description = "Same weights, two activations — watch layer 1's gradient.";
  SessionConfig& s = p.session;
  s.data = {DatasetKind::Circle, "", 300, 0.1, 0.25, 2500};
  s.seed = 12345678901234567890ULL;
  s.speed = SpeedMode::Capped;
  s.stepsPerSecond = 250;
  s.evalEvery = 20;
  s.panels = {{"gradient", true}, {"loss", false}};
  RunConfig a;
  a.label = "leaky";
  a.hidden = {16, 16, 8};
  a.activation = {Activation::LeakyReLU, 0.2};
  a.layerActivations = {{1, {Activation::ELU, 0.5}}, {2, {Activation::Maxout, 3}}};
  a.init = Init::Constant;
  a.initConstant = 0.1f;
  a.biasInit = -0.3f;
  a.loss = Loss::MSE;
  a.optimizer = {OptimizerKind::Adam,
                 {{"lr", 0.003}, {"beta1", 0.8}, {"beta2", 0.99}, {"amsgrad", 1}}};
  a.batchSize = 0;
  RunConfig b = a;
  b.label.clear();
  b.layerActivations.clear();
  b.activation = {Activation::PReLU, 0.25};
  b.optimizer = {OptimizerKind::LBFGS,
                 {{"line_search_fn", 1}, {"max_iter", 5}, {"tolerance_grad", 1e-9}}};
  RunConfig c = a;
  c.optimizer = {
      OptimizerKind::Rprop,
      {{"eta_minus", 0.4}, {"eta_plus", 1.3}, {"step_size_min", 1e-5}, {"step_size_max", 10}}};
  c.batchSize = 17;
  c.norm = Norm::Batch;
  c.residual = true;
  c.clipNorm = 0.5;
  c.dropout = 0.25;
  b.norm = Norm::Layer;
  RunConfig d = a;
  d.optimizer = {OptimizerKind::SGD, {{"lr", 0.05}, {"momentum", 0.9}, {"nesterov", 1}}};
  d.loss = Loss::CrossEntropy;
  s.runs = {a, b, c, d};
  return p;
}

TEST(PresetJson, RoundTripGivesAnEqualSession) {
  const Preset p = everything();
  ASSERT_EQ(validateSession(p.session), "");
  const std::string text = presetToJson(p);
  const Preset back = parsePreset(text);
  EXPECT_EQ(back, p);
  EXPECT_EQ(presetToJson(back), text);  // saving is stable
}

TEST(PresetJson, DefaultSessionRoundTrips) {
  const Preset p;
  EXPECT_EQ(parsePreset(presetToJson(p)), p);
}

TEST(PresetJson, UsesSchemaNames) {
  const std::string text = presetToJson(everything());
  for (const char* piece :
       {"\"test_fraction\": 0.25", "\"train_images\": 2500", "\"betas\": [0.8, 0.99]",
        "\"amsgrad\": true", "\"line_search_fn\": \"strong_wolfe\"", "\"etas\": [0.4, 1.3]",
        "\"step_sizes\": [1e-05, 10", "\"batch\": \"full\"", "\"hidden\": [16, 16, 8]",
        "\"activation\": \"leaky_relu\"", "\"init_constant\": 0.1,", "\"bias_init\": -0.3,",
        "\"mode\": \"capped\"", "\"2\": {", "\"norm\": \"batch\"", "\"norm\": \"layer\"",
        "\"residual\": true", "\"clip_norm\": 0.5", "\"dropout\": 0.25"})
    EXPECT_NE(text.find(piece), std::string::npos) << piece << "\n" << text;
}

TEST(PresetJson, MissingKeysTakeDefaults) {
  EXPECT_EQ(parsePreset("{}"), Preset{});
  const Preset p = parsePreset(
      R"({"seed": 7, "runs": [{"activation": "leaky_relu", "optimizer": {"name": "adam"}}]})");
  EXPECT_EQ(p.session.seed, 7u);
  EXPECT_EQ(p.session.data, DataConfig{});
  ASSERT_EQ(p.session.runs.size(), 1u);
  const RunConfig& r = p.session.runs[0];
  EXPECT_EQ(r.activation.activation, Activation::LeakyReLU);
  EXPECT_EQ(r.activation.param, 0.01);  // the activation's own default, not 0
  EXPECT_EQ(r.hidden, RunConfig{}.hidden);
  EXPECT_EQ(r.optimizer.kind, OptimizerKind::Adam);
  EXPECT_TRUE(r.optimizer.values.empty());  // PyTorch's defaults
  EXPECT_EQ(r.optimizer.get("lr"), 1e-3);
  // No optimizer at all: the app's default run (SGD, lr 0.1).
  EXPECT_EQ(parsePreset(R"({"runs": [{}]})").session.runs[0].optimizer, RunConfig{}.optimizer);
  // null means the default.
  EXPECT_EQ(parsePreset(R"({"runs": [{"optimizer": {"name": "lbfgs", "line_search_fn": null}}]})")
                .session.runs[0]
                .optimizer.get("line_search_fn"),
            0);
}

TEST(PresetJson, ViewIsReadOneBasedAndCheckedAgainstTheRuns) {
  const Preset p = parsePreset(
      R"({"runs": [{"hidden": [4, 4, 4]}, {"hidden": [4, 4]}],
          "view": {"run": 2, "layer": 2, "measure": "mean_abs_dz", "horizon": 3000}})");
  EXPECT_EQ(p.session.view, (ViewConfig{1, 1, 1, 3000}));
  EXPECT_EQ(parsePreset(presetToJson(p)), p);
  EXPECT_EQ(presetError(R"({"runs": [{}], "view": {"run": 2}})").rfind("view.run: ", 0), 0u);
  EXPECT_EQ(presetError(R"({"runs": [{"hidden": [4, 4]}], "view": {"layer": 3}})")
                .rfind("view.layer: ", 0),
            0u);
  EXPECT_NE(presetError(R"({"view": {"measure": "norm"}})").find("not one of grad_norm"),
            std::string::npos);
  EXPECT_EQ(presetError(R"({"view": {"horizon": -1}})").rfind("view.horizon: ", 0), 0u);
}

TEST(PresetJson, SyntaxErrorGivesLineAndColumn) {
  const std::string e = presetError("{\n  \"seed\": 1,\n  \"runs\": [}\n}");
  EXPECT_EQ(e.rfind("line 3, column 12: syntax error", 0), 0u) << e;
  EXPECT_EQ(presetError("").rfind("line 1, column 1:", 0), 0u) << presetError("");
  const std::string nan = presetError("{\"data\": {\"noise\": NaN}}");
  EXPECT_NE(nan.find("NaN and Infinity are not JSON numbers"), std::string::npos) << nan;
}

TEST(PresetJson, UnknownKeyGivesItsPath) {
  EXPECT_EQ(
      presetError(R"({"sead": 1})").rfind("sead: unknown key (allowed here: version, title", 0),
      0u);
  const std::string e = presetError(R"({"runs": [{}, {"activaton": "relu"}]})");
  EXPECT_EQ(e.rfind("runs[1].activaton: unknown key (allowed here: label, hidden, activation", 0),
            0u)
      << e;
  EXPECT_EQ(presetError(R"({"data": {"csv": null, "size": 3}})").rfind("data.size: unknown key", 0),
            0u);
}

TEST(PresetJson, WrongTypeGivesItsPath) {
  EXPECT_EQ(presetError(R"({"seed": "one"})"), "seed: expected an integer (got \"one\")");
  EXPECT_EQ(presetError(R"({"runs": [{"hidden": "10x10"}]})"),
            "runs[0].hidden: expected an array of layer widths like [10, 10] (got \"10x10\")");
  EXPECT_EQ(presetError(R"({"runs": [{"batch": true}]})"),
            "runs[0].batch: expected a batch size or \"full\" (got true)");
  EXPECT_EQ(presetError(R"({"panels": {"loss": 1}})"),
            "panels.loss: expected true or false (got 1)");
  EXPECT_EQ(presetError(R"({"runs": [{"optimizer": {"name": "sgd", "nesterov": "yes"}}]})"),
            "runs[0].optimizer.nesterov: expected true or false (got \"yes\")");
  EXPECT_EQ(presetError(R"({"runs": [{"hidden": [10, 2.5]}]})"),
            "runs[0].hidden[1]: expected an integer (got 2.5)");
  EXPECT_EQ(presetError("[1, 2]"), "expected a JSON object at the top level (got an array)");
  EXPECT_EQ(presetError(R"({"runs": [{"activation": "sigmoidd"}]})"),
            "runs[0].activation: 'sigmoidd' is not one of linear, sigmoid, tanh, relu, leaky_relu, "
            "prelu, elu, selu, "
            "gelu, silu, softplus, mish, maxout");
}

TEST(PresetJson, OutOfRangeGivesItsPath) {
  EXPECT_EQ(presetError(R"({"data": {"noise": 2}})"), "data.noise: must be 0 to 1 (got 2)");
  EXPECT_EQ(presetError(R"({"runs": [{}, {"hidden": [10, 0]}]})"),
            "runs[1].hidden[1]: must be 1 to 256 (got 0)");
  EXPECT_EQ(presetError(R"({"runs": [{"hidden": []}]})"),
            "runs[0].hidden: 1 to 64 hidden layers (got 0)");
  EXPECT_EQ(presetError(R"({"runs": [{}, {}, {}, {}, {}]})"), "runs: 1 to 4 runs (got 5)");
  EXPECT_EQ(presetError(R"({"runs": [{"activation": "leaky_relu", "activation_param": 3}]})"),
            "runs[0].activation_param: Leaky ReLU α must be 0 to 1 (got 3)");
  EXPECT_EQ(
      presetError(
          R"({"runs": [{"hidden": [4, 4], "layer_activations": {"3": {"activation": "relu"}}}]})"),
      "runs[0].layer_activations.3: not a hidden layer number 1 to 2");
  EXPECT_EQ(presetError(R"({"seed": -1})"), "seed: must be 0 to 18446744073709551615 (got -1)");
  EXPECT_EQ(presetError(R"({"version": 2})"),
            "version: this gradscope reads version 1 presets (got 2)");
}

TEST(PresetJson, BadOptimizerHyperparameterGivesItsPath) {
  const std::string betas =
      presetError(R"({"runs": [{}, {"optimizer": {"name": "adam", "betas": [1, 0.999]}}]})");
  EXPECT_EQ(betas, "runs[1].optimizer.betas: Adam: betas[0] must be in [0, 1) (got 1)");
  EXPECT_EQ(
      presetError(R"({"runs": [{"optimizer": {"name": "adam", "betas": [0.9]}}]})"),
      "runs[0].optimizer.betas: expected an array of 2 numbers like [0.9, 0.999] (got an array)");
  EXPECT_EQ(presetError(R"({"runs": [{"optimizer": {"name": "sgd", "lr": -1}}]})"),
            "runs[0].optimizer.lr: SGD: lr must be ≥ 0 (got -1)");
  const std::string unknown =
      presetError(R"({"runs": [{"optimizer": {"name": "adam", "momentum": 0.9}}]})");
  EXPECT_EQ(
      unknown.rfind(
          "runs[0].optimizer.momentum: Adam has no hyperparameter \"momentum\" (it has \"lr\", "
          "\"betas\"",
          0),
      0u)
      << unknown;
  EXPECT_EQ(presetError(R"({"runs": [{"optimizer": {"name": "sgd", "nesterov": true}}]})")
                .rfind("runs[0].optimizer: SGD: nesterov requires momentum > 0", 0),
            0u);
  EXPECT_EQ(
      presetError(R"({"runs": [{"optimizer": {"name": "lbfgs", "line_search_fn": "wolfe"}}]})"),
      "runs[0].optimizer.line_search_fn: 'wolfe' is not one of none, strong_wolfe");
  EXPECT_EQ(presetError(R"({"runs": [{"optimizer": {"name": "adamm"}}]})")
                .rfind("runs[0].optimizer.name: 'adamm' is not one of sgd, adadelta", 0),
            0u);
}

TEST(PresetJson, LoadResolvesCsvRelativeToThePreset) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("gradscope_preset_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "lesson.json";
  std::ofstream(file) << R"({"data": {"csv": "points.csv"}})";
  EXPECT_EQ(loadPreset(file.string()).session.data.csvPath, (dir / "points.csv").string());
  std::ofstream(file) << R"({"data": {"noise": -1}})";
  try {
    loadPreset(file.string());
    ADD_FAILURE() << "no error";
  } catch (const JsonError& e) {
    EXPECT_EQ(std::string(e.what()), file.string() + ": data.noise: must be 0 to 1 (got -1)");
  }
  std::filesystem::remove_all(dir);
}

// 2 → 5 ReLU → 3 PReLU → 1, with values that are hard to print exactly.
Mlp sampleNet() {
  MlpShape shape{2, {{5, Activation::ReLU, 0}, {3, Activation::PReLU, 0.25}}, 1};
  Mlp net(shape);
  Rng rng(42);
  net.initialize(Init::HeNormal, 0.1f, rng);
  auto& first = net.layer(0);
  first.W(0, 0) = 0.1f;
  first.W(1, 0) = -0.0f;
  first.W(2, 0) = std::numeric_limits<float>::denorm_min();
  first.W(3, 0) = std::numeric_limits<float>::max();
  first.W(4, 0) = std::nextafter(1.0f, 2.0f);
  first.b(0) = 1e-38f;
  net.layer(1).alpha << 0.25f, 0.3f, std::nextafter(0.2f, 0.0f);
  return net;
}

TEST(WeightsJson, RoundTripIsBitIdentical) {
  const Mlp net = sampleNet();
  const std::string text = weightsToJson(net);
  Mlp back(net.shape());
  parseWeights(text, back);
  for (int l = 0; l < net.layerCount(); ++l) {
    EXPECT_TRUE(sameBits(net.layer(l).W, back.layer(l).W)) << "layer " << l + 1;
    EXPECT_TRUE(sameBits(net.layer(l).b, back.layer(l).b)) << "layer " << l + 1;
    EXPECT_TRUE(sameBits(net.layer(l).alpha, back.layer(l).alpha)) << "layer " << l + 1;
  }
  EXPECT_TRUE(std::signbit(back.layer(0).W(1, 0)));
  EXPECT_EQ(weightsToJson(back), text);
  // The torch.nn.Linear layout: rows are output units; short decimals where they read back.
  EXPECT_NE(text.find("\"weight\": [\n        [0.1, "), std::string::npos) << text;
  EXPECT_NE(text.find("\"alpha\": [0.25, 0.3, "), std::string::npos) << text;
}

TEST(WeightsJson, PreluAlphaIsOptionalAndOnlyForPrelu) {
  const Mlp net = sampleNet();
  Mlp other(net.shape());
  Rng rng(1);
  other.initialize(Init::Normal, 0.0f, rng);
  const Eigen::VectorXf alphaBefore = other.layer(1).alpha;
  std::string text = weightsToJson(net);
  const auto at = text.find(",\n      \"alpha\"");
  const auto end = text.find(']', at);
  text.erase(at, end + 1 - at);
  parseWeights(text, other);
  EXPECT_TRUE(sameBits(other.layer(1).alpha, alphaBefore));  // kept
  EXPECT_TRUE(sameBits(other.layer(1).W, net.layer(1).W));

  const std::string withAlpha =
      R"({"layers": [{"weight": [[1, 2]], "bias": [0], "alpha": [0.1]}, {"weight": [[1]], "bias": [0]}]})";
  Mlp relu(MlpShape{2, {{1, Activation::ReLU, 0}}, 1});
  EXPECT_EQ(weightsError(withAlpha, relu),
            "layer 1: has \"alpha\" but is a relu layer (only PReLU layers have learned slopes)");
}

TEST(PresetJson, CuresAreReadCheckedAndDefaulted) {
  const Preset p = parsePreset(
      R"({"runs": [{"norm": "batch", "residual": true, "clip_norm": 1.5, "dropout": 0.2},
                   {"clip_norm": null}]})");
  EXPECT_EQ(p.session.runs[0].norm, Norm::Batch);
  EXPECT_TRUE(p.session.runs[0].residual);
  EXPECT_EQ(p.session.runs[0].clipNorm, 1.5);
  EXPECT_EQ(p.session.runs[0].dropout, 0.2);
  EXPECT_EQ(p.session.runs[1].norm, Norm::None);
  EXPECT_FALSE(p.session.runs[1].residual);
  EXPECT_EQ(p.session.runs[1].clipNorm, 0.0);
  auto error = [](const std::string& text) {
    try {
      parsePreset(text);
    } catch (const JsonError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error(R"({"runs": [{"norm": "group"}]})"),
            "runs[0].norm: 'group' is not one of none, batch, layer");
  EXPECT_NE(error(R"({"runs": [{"dropout": 1}]})").find("runs[0].dropout"), std::string::npos);
  EXPECT_NE(error(R"({"runs": [{"clip_norm": -1}]})").find("runs[0].clip_norm"), std::string::npos);
  EXPECT_NE(error(R"({"runs": [{"residual": 1}]})").find("runs[0].residual"), std::string::npos);
  EXPECT_EQ(error(R"({"runs": [{"norm": "batch", "batch": 1}]})"),
            "runs[0].batch: batch norm needs at least 2 samples per batch (a batch of 1 has no "
            "variance); use a larger batch or norm layer");
  EXPECT_EQ(error(R"({"runs": [{"norm": "batch", "batch": "full"}]})"), "no error");
}

Mlp normNet(Norm norm) {
  MlpShape s{2, {{3, Activation::Maxout, 2}, {3, Activation::ReLU, 0}}, 1};
  s.norm = norm;
  Mlp net(s);
  Rng rng(3);
  net.initialize(Init::HeNormal, 0.1f, rng);
  for (int l = 0; l < 2; ++l) {
    auto& n = net.layer(l).norm;
    n.weight.setLinSpaced(0.5f, 1.5f);
    n.bias.setLinSpaced(-0.1f, 0.2f);
    if (norm == Norm::Batch) {
      n.runningMean.setLinSpaced(-1.0f, 1.0f);
      n.runningVar.setLinSpaced(0.1f, 3.0f);
    }
  }
  return net;
}

TEST(WeightsJson, NormParametersAndRunningStatisticsRoundTrip) {
  for (Norm kind : {Norm::Batch, Norm::Layer}) {
    const Mlp net = normNet(kind);
    const std::string text = weightsToJson(net);
    Mlp back(net.shape());
    parseWeights(text, back);
    for (int l = 0; l < 2; ++l) {
      const auto &a = net.layer(l).norm, &b = back.layer(l).norm;
      EXPECT_TRUE(sameBits(a.weight, b.weight));
      EXPECT_TRUE(sameBits(a.bias, b.bias));
      EXPECT_TRUE(sameBits(a.runningMean, b.runningMean));
      EXPECT_TRUE(sameBits(a.runningVar, b.runningVar));
    }
    EXPECT_EQ(weightsToJson(back), text);
    EXPECT_EQ(text.find("running_mean") != std::string::npos, kind == Norm::Batch) << text;
    EXPECT_EQ(back.layer(0).norm.weight.size(), 6);  // Maxout: units·k
  }
}

TEST(WeightsJson, NormKindMustMatchTheNetwork) {
  const std::string batch = weightsToJson(normNet(Norm::Batch));
  const std::string layer = weightsToJson(normNet(Norm::Layer));
  const std::string none = weightsToJson(normNet(Norm::None));
  Mlp b = normNet(Norm::Batch), l = normNet(Norm::Layer), n = normNet(Norm::None);
  EXPECT_EQ(weightsError(layer, b),
            "layer 1: the file's norm is layer (without running statistics), the network's batch");
  EXPECT_EQ(weightsError(batch, l),
            "layer 1: the file's norm is batch (with running statistics), the network's layer");
  EXPECT_EQ(weightsError(batch, n),
            "layer 1: the file's norm is batch (with running statistics), the network's none");
  EXPECT_EQ(weightsError(none, b),
            "layer 1: has no \"norm\" but the network uses batch norm (the weights were saved "
            "without it)");
  std::string shortVar = batch;
  const auto at = shortVar.find("\"running_var\": [") + 16;
  shortVar.erase(at, shortVar.find(',', at) + 1 - at);  // drop the first value
  EXPECT_EQ(weightsError(shortVar, b),
            "layer 1: norm running_var has 5 values, the network expects 6");
}

TEST(WeightsJson, ShapeMismatchNamesTheLayerAndBothShapes) {
  Mlp narrow(MlpShape{2, {{10, Activation::ReLU, 0}, {8, Activation::ReLU, 0}}, 1});
  Mlp wide(MlpShape{2, {{10, Activation::ReLU, 0}, {10, Activation::ReLU, 0}}, 1});
  const std::string text = weightsToJson(narrow);
  EXPECT_EQ(weightsError(text, wide), "layer 2: weight is 8×10, the network expects 10×10");
  Mlp deep(MlpShape{
      2, {{10, Activation::ReLU, 0}, {8, Activation::ReLU, 0}, {8, Activation::ReLU, 0}}, 1});
  EXPECT_EQ(weightsError(text, deep),
            "layers: the file has 3 layers, the network expects 4 (3 hidden + the output layer)");
  Mlp small(MlpShape{2, {{1, Activation::ReLU, 0}}, 1});
  EXPECT_EQ(
      weightsError(
          R"({"layers": [{"weight": [[1, 2]], "bias": [0, 0]}, {"weight": [[1]], "bias": [0]}]})",
          small),
      "layer 1: bias has 2 values, the network expects 1");
  EXPECT_EQ(
      weightsError(
          R"({"layers": [{"weight": [[1, 2]], "bias": [0]}, {"weight": [[1, 2]], "bias": [0]}]})",
          small),
      "layer 2: weight is 1×2, the network expects 1×1");
  EXPECT_EQ(
      weightsError(
          R"({"layers": [{"weight": [[1, 2], [3]], "bias": [0]}, {"weight": [[1]], "bias": [0]}]})",
          small),
      "layer 1: weight is 2×2, the network expects 1×2");
}

TEST(WeightsJson, NanAndNonNumbersAreRefusedAndTheNetworkIsUnchanged) {
  Mlp net(MlpShape{2, {{2, Activation::ReLU, 0}}, 1});
  Rng rng(3);
  net.initialize(Init::Normal, 0.0f, rng);
  const Mlp before = net;
  EXPECT_EQ(
      weightsError(
          R"({"layers": [{"weight": [[1, 2], [3, 4]], "bias": [0, 0]}, {"weight": [[1, null]], "bias": [0]}]})",
          net),
      "layers[1].weight[0][1]: expected a number (got null)");
  EXPECT_EQ(
      weightsError(
          R"({"layers": [{"weight": [[1, 2], [3, 4]], "bias": [0, "nan"]}, {"weight": [[1, 1]], "bias": [0]}]})",
          net),
      "layers[0].bias[1]: expected a number (got \"nan\")");
  EXPECT_EQ(
      weightsError(
          R"({"layers": [{"weight": [[1, 2], [3, 1e39]], "bias": [0, 0]}, {"weight": [[1, 1]], "bias": [0]}]})",
          net),
      "layers[0].weight[1][1]: 1e+39 does not fit a float32");
  const std::string nan =
      weightsError(R"({"layers": [{"weight": [[NaN, 2], [3, 4]], "bias": [0, 0]}]})", net);
  EXPECT_EQ(nan.rfind("line 1, column 26: syntax error", 0), 0u) << nan;
  EXPECT_NE(nan.find("NaN and Infinity"), std::string::npos) << nan;
  EXPECT_EQ(weightsError(R"({"layers": [], "extra": 1})", net).rfind("extra: unknown key", 0), 0u);
  for (int l = 0; l < net.layerCount(); ++l) {
    EXPECT_TRUE(sameBits(net.layer(l).W, before.layer(l).W));
    EXPECT_TRUE(sameBits(net.layer(l).b, before.layer(l).b));
  }
  // A diverged network is not saved.
  net.layer(1).W(0, 1) = std::nanf("");
  try {
    weightsToJson(net);
    ADD_FAILURE() << "no error";
  } catch (const JsonError& e) {
    EXPECT_EQ(std::string(e.what()),
              "layer 2 weight holds nan; a diverged network cannot be saved");
  }
}

}  // namespace
}  // namespace gradscope
