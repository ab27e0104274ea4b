// `gradscope train` driven through runTrainCommand: determinism, the metrics CSV, a step-1 loss
// worked out by hand, compare runs, weights in and out, presets, and every kind of bad flag.
#include "cli/train_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace gradscope::cli {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int code = -1;
  std::string out, err;
};

Outcome train(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Outcome o;
  o.code = runTrainCommand(args, out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, ',');) out.push_back(f);
  return out;
}

// A fresh directory per test, removed afterwards.
class TrainCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            ("gradscope_cli_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  std::string path(const std::string& name) const { return (m_dir / name).string(); }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(m_dir))
      names.push_back(e.path().filename().string());
    return names;
  }

  fs::path m_dir;
};

TEST_F(TrainCommand, SameFlagsWriteIdenticalMetrics) {
  const std::vector<std::string> common{"--hidden", "4x8",       "--activation", "relu",
                                        "--init",   "he_normal", "--steps",      "150"};
  auto a = common, b = common;
  a.insert(a.end(), {"--metrics", path("a.csv")});
  b.insert(b.end(), {"--metrics", path("b.csv")});
  ASSERT_EQ(train(a).code, kExitOk);
  ASSERT_EQ(train(b).code, kExitOk);
  const std::string first = readFile(path("a.csv"));
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, readFile(path("b.csv")));
}

TEST_F(TrainCommand, MetricsHaveOneRowPerStepAndAGradientNormPerLayer) {
  const Outcome o =
      train({"--steps", "25", "--metrics", path("m.csv")});  // default: 10 × 10 sigmoid
  ASSERT_EQ(o.code, kExitOk) << o.err;
  EXPECT_TRUE(o.err.empty());
  const auto rows = lines(readFile(path("m.csv")));
  ASSERT_EQ(rows.size(), 26u);
  std::string header = "step,loss";
  for (int l = 1; l <= 11; ++l) header += ",gradnorm_" + std::to_string(l);
  EXPECT_EQ(rows[0], header);
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto f = fields(rows[i]);
    ASSERT_EQ(f.size(), 13u);
    EXPECT_EQ(f[0], std::to_string(i));
  }
  // The deep sigmoid's gradient vanishes toward the input.
  const auto last = fields(rows.back());
  EXPECT_LT(std::stod(last[2]), std::stod(last[12]) * 1e-2);
  EXPECT_NE(o.out.find("metrics: " + path("m.csv") + " (25 rows)"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("0 of 100"), std::string::npos) << o.out;
}

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

TEST_F(TrainCommand, FirstStepLossMatchesAForwardPassByHand) {
  // Four samples in file order, full batch, no test set: step 1 sees exactly these.
  const double X[4][2] = {{0.5, -1.0}, {-0.25, 0.75}, {1.0, 1.0}, {-1.0, 0.0}};
  const int y[4] = {1, 0, 1, 0};
  writeFile(path("d.csv"), "x1,x2,label\n0.5,-1,1\n-0.25,0.75,0\n1,1,1\n-1,0,0\n");
  // 2 → 2 sigmoid → 1, torch.nn.Linear layout (rows are output units).
  const double W1[2][2] = {{0.5, -0.25}, {1.5, 0.75}}, b1[2] = {0.125, -0.5};
  const double W2[2] = {-1.25, 2.0}, b2 = 0.25;
  writeFile(path("w.json"),
            R"({"layers": [{"weight": [[0.5, -0.25], [1.5, 0.75]], "bias": [0.125, -0.5]},
                                           {"weight": [[-1.25, 2.0]], "bias": [0.25]}]})");
  const Outcome o =
      train({"--data", path("d.csv"), "--test-fraction", "0", "--batch", "full", "--hidden", "2",
             "--activation", "sigmoid", "--loss", "bce", "--load-weights", path("w.json"),
             "--steps", "1", "--metrics", path("m.csv")});
  ASSERT_EQ(o.code, kExitOk) << o.err;
  // BCEWithLogitsLoss, mean over the batch: ln(1 + e^o) − y·o; and ‖dL/dW2‖ for the output layer.
  double loss = 0, dW2[2] = {0, 0}, dW1[2][2] = {{0, 0}, {0, 0}};
  for (int s = 0; s < 4; ++s) {
    double h[2];
    for (int j = 0; j < 2; ++j) h[j] = sigmoid(W1[j][0] * X[s][0] + W1[j][1] * X[s][1] + b1[j]);
    const double out = W2[0] * h[0] + W2[1] * h[1] + b2;
    loss += std::log1p(std::exp(out)) - y[s] * out;
    const double dOut = (sigmoid(out) - y[s]) / 4;
    for (int j = 0; j < 2; ++j) {
      dW2[j] += dOut * h[j];
      const double dz = dOut * W2[j] * h[j] * (1 - h[j]);
      for (int i = 0; i < 2; ++i) dW1[j][i] += dz * X[s][i];
    }
  }
  loss /= 4;
  const double norm2 = std::hypot(dW2[0], dW2[1]);
  const double norm1 = std::sqrt(dW1[0][0] * dW1[0][0] + dW1[0][1] * dW1[0][1] +
                                 dW1[1][0] * dW1[1][0] + dW1[1][1] * dW1[1][1]);
  const auto rows = lines(readFile(path("m.csv")));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], "step,loss,gradnorm_1,gradnorm_2");
  const auto f = fields(rows[1]);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0], "1");
  EXPECT_NEAR(std::stod(f[1]), loss, 1e-6 * loss);
  EXPECT_NEAR(std::stod(f[2]), norm1, 1e-5 * norm1);
  EXPECT_NEAR(std::stod(f[3]), norm2, 1e-5 * norm2);
}

TEST_F(TrainCommand, CompareRunsStartFromTheSameWeightsAndBatch) {
  for (const std::string compare : {"optimizer=sgd,adam", "lr=0.1,0.01,0.5"}) {
    const Outcome o = train(
        {"--compare", compare, "--hidden", "3x6", "--steps", "20", "--metrics", path("c.csv")});
    ASSERT_EQ(o.code, kExitOk) << o.err;
    const size_t runs = compare.starts_with("lr") ? 3 : 2;
    const auto rows = lines(readFile(path("c.csv")));
    ASSERT_EQ(rows.size(), 1 + 20 * runs);
    EXPECT_EQ(rows[0], "run,step,loss,gradnorm_1,gradnorm_2,gradnorm_3,gradnorm_4");
    const auto first = fields(rows[1]);
    EXPECT_EQ(first[0], "1");
    for (size_t r = 1; r < runs; ++r) {
      const auto other = fields(rows[1 + 20 * r]);  // rows are grouped by run
      EXPECT_EQ(other[0], std::to_string(r + 1));
      EXPECT_EQ(other[1], "1");
      // Step 1: same weights, same batch, so the same loss and gradients before any update...
      EXPECT_EQ(std::vector(other.begin() + 2, other.end()),
                std::vector(first.begin() + 2, first.end()))
          << compare;
      // ...and different gradients once the updates differed.
      EXPECT_NE(fields(rows[2 + 20 * r])[3], fields(rows[2])[3]) << compare;
    }
    EXPECT_NE(o.out.find(compare.starts_with("lr") ? "lr=0.01" : "Adam"), std::string::npos)
        << o.out;
  }
}

TEST_F(TrainCommand, SavedWeightsLoadBackToTheSameMetrics) {
  const std::vector<std::string> common{"--hidden", "3x5",     "--activation",
                                        "prelu",    "--steps", "40"};
  auto plain = common, saving = common, loading = common;
  plain.insert(plain.end(), {"--metrics", path("plain.csv")});
  ASSERT_EQ(train(plain).code, kExitOk);
  // The initial weights, saved and loaded, train exactly as the initializer's do.
  ASSERT_EQ(train({"--hidden", "3x5", "--activation", "prelu", "--steps", "0", "--save-weights",
                   path("w0.json")})
                .code,
            kExitOk);
  loading.insert(loading.end(),
                 {"--load-weights", path("w0.json"), "--metrics", path("loaded.csv")});
  ASSERT_EQ(train(loading).code, kExitOk);
  EXPECT_EQ(readFile(path("loaded.csv")), readFile(path("plain.csv")));
  // Trained weights survive a load and a save bit for bit.
  saving.insert(saving.end(), {"--save-weights", path("w1.json")});
  ASSERT_EQ(train(saving).code, kExitOk);
  ASSERT_EQ(train({"--hidden", "3x5", "--activation", "prelu", "--steps", "0", "--load-weights",
                   path("w1.json"), "--save-weights", path("w2.json")})
                .code,
            kExitOk);
  EXPECT_EQ(readFile(path("w2.json")), readFile(path("w1.json")));
  // Compare mode writes one file per run.
  ASSERT_EQ(train({"--hidden", "2x3", "--steps", "5", "--compare", "activation=relu,tanh",
                   "--save-weights", path("c.json")})
                .code,
            kExitOk);
  EXPECT_TRUE(fs::exists(path("c-1.json")));
  EXPECT_TRUE(fs::exists(path("c-2.json")));
  EXPECT_FALSE(fs::exists(path("c.json")));
}

TEST_F(TrainCommand, PresetWithAnOverrideEqualsTheSameFlags) {
  writeFile(path("p.json"),
            R"({"title": "small", "seed": 5, "data": {"dataset": "moons", "samples": 120},
      "runs": [{"hidden": [6, 4], "activation": "relu", "optimizer": {"name": "adam", "lr": 0.01}, "batch": 16}]})");
  const Outcome o = train({"--preset", path("p.json"), "--activation", "tanh", "--steps", "30",
                           "--metrics", path("p.csv")});
  ASSERT_EQ(o.code, kExitOk) << o.err;
  EXPECT_NE(o.out.find("Tanh"), std::string::npos) << o.out;
  ASSERT_EQ(train({"--seed",      "5",        "--dataset", "moons",        "--samples",
                   "120",         "--hidden", "6,4",       "--activation", "tanh",
                   "--optimizer", "adam",     "--lr",      "0.01",         "--batch",
                   "16",          "--steps",  "30",        "--metrics",    path("f.csv")})
                .code,
            kExitOk);
  EXPECT_EQ(readFile(path("p.csv")), readFile(path("f.csv")));
  EXPECT_EQ(lines(readFile(path("p.csv")))[0], "step,loss,gradnorm_1,gradnorm_2,gradnorm_3");
}

TEST_F(TrainCommand, DivergenceExitsThreeAndSaysWhy) {
  const Outcome o = train({"--activation", "relu", "--init", "he_normal", "--lr", "1000", "--steps",
                           "200", "--metrics", path("d.csv")});
  EXPECT_EQ(o.code, kExitDiverged);
  EXPECT_NE(o.out.find("diverged at step"), std::string::npos) << o.out;
  EXPECT_TRUE(fs::exists(path("d.csv")));
}

TEST_F(TrainCommand, BadFlagsExitTwoWithOneLineNamingTheFlagAndWriteNothing) {
  writeFile(path("bad.csv"), "x1,x2,label\n1,abc,0\n");
  writeFile(path("narrow.json"),
            R"({"layers": [{"weight": [[1, 2]], "bias": [0]}, {"weight": [[1]], "bias": [0]}]})");
  writeFile(path("broken.json"), "{\"runs\": [{\"batch\": 0,}]}");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--activation", "sigmoidd"},
       "--activation: 'sigmoidd' is not one of linear, sigmoid, tanh"},
      {{"--lr", "-1"}, "--lr: must be ≥ 0 (got -1)"},
      {{"--lr", "fast"}, "--lr: expected a number (got 'fast')"},
      {{"--lr"}, "--lr: missing value"},
      {{"--lr", "--momentum", "0.9"}, "--lr: missing value (expected NUMBER)"},
      {{"--hidden", "0x3"},
       "--hidden: expected DEPTHxWIDTH like 10x10 or widths like 16,16,8 (depth 1–64, width "
       "1–256)"},
      {{"--optimizer", "adam", "--momentum", "0.9"},
       "--momentum: not a hyperparameter of Adam (Adam takes --lr"},
      {{"--optimizer", "adam", "--betas", "0.9"}, "--betas: expected 2 comma-separated numbers"},
      {{"--optimizer", "adam", "--betas", "1,0.999"},
       "--betas: betas[0] must be in [0, 1) (got 1)"},
      {{"--nesterov", "maybe"}, "--nesterov: expected true or false (got 'maybe')"},
      {{"--nesterov"}, "--nesterov: SGD: nesterov requires momentum > 0"},
      {{"--optimizer", "lbfgs", "--line-search", "wolfe"},
       "--line-search: 'wolfe' is not one of none, strong_wolfe"},
      {{"--optimizer", "lbfgs", "--history-size", "1.5"},
       "--history-size: expected an integer (got '1.5')"},
      {{"--steps", "ten"}, "--steps: expected an integer (got 'ten')"},
      {{"--batch", "0"}, "--batch: expected a batch size 1 to 1000000 or 'full' (got '0')"},
      {{"--test-fraction", "1"}, "--test-fraction: must be 0 to 0.9 (got 1)"},
      {{"--activation-param", "0.5"}, "--activation-param: sigmoid has no parameter"},
      {{"--activation", "leaky_relu", "--activation-param", "2"},
       "--activation-param: Leaky ReLU α must be 0 to 1"},
      {{"--compare", "activation=relu"}, "--compare: give 2 to 4 values after activation= (got 1)"},
      {{"--compare", "colour=red,blue"},
       "--compare: expected KEY=V1,V2[,V3,V4] with KEY one of activation"},
      {{"--compare", "activation=relu,tanh", "--activation", "elu"},
       "--compare: activation is also given as --activation"},
      {{"--compare", "optimizer=adam,rmsprop", "--nesterov"},
       "--nesterov: not a hyperparameter of Adam or RMSprop"},
      {{"--dataset", "xor", "--data", path("x.csv")}, "--data: cannot be combined with --dataset"},
      {{"--data", path("bad.csv")}, "--data: "},
      {{"--data", path("none.csv")}, "--data: "},
      {{"--load-weights", path("narrow.json")},
       "--load-weights: " + path("narrow.json") + ": layers: the file has 2 layers"},
      {{"--hidden", "1", "--load-weights", path("narrow.json"), "--activation", "relu", "--hidden",
        "2"},
       "--load-weights: " + path("narrow.json") +
           ": layer 1: weight is 1×2, the network expects 2×2"},
      {{"--preset", "no_such_lesson"}, "--preset: no built-in preset 'no_such_lesson'"},
      {{"--preset", path("broken.json")},
       "--preset: " + path("broken.json") + ": line 1, column 23: syntax error"},
      {{"--norm", "group"}, "--norm: 'group' is not one of none, batch, layer"},
      {{"--norm", "batch", "--batch", "1"},
       "runs[0].batch: batch norm needs at least 2 samples per batch"},
      {{"--residual", "maybe"}, "--residual: expected true or false (got 'maybe')"},
      {{"--clip-norm", "-1"}, "--clip-norm: must be 0 to 1e+06 (got -1)"},
      {{"--dropout", "1"}, "--dropout: must be 0 to 0.99 (got 1)"},
      {{"--compare", "norm=none,group"}, "--compare: norm: 'group' is not one of none, batch"},
      {{"--compare", "dropout=0,2"}, "--compare: dropout: must be 0 to 0.99 (got 2)"},
      {{"--bogus", "1"}, "unknown flag '--bogus'"},
      {{"--steps", "10", "20"}, "unexpected argument '20'"},
  };
  for (const auto& [flags, expected] : cases) {
    std::vector<std::string> args = flags;
    args.insert(args.end(),
                {"--steps", "5", "--metrics", path("m.csv"), "--save-weights", path("w.json")});
    if (flags.size() >= 2 && flags[0] == "--steps")
      args = flags;  // its own bad --steps must stay last
    const Outcome o = train(args);
    EXPECT_EQ(o.code, kExitUsage) << expected;
    EXPECT_EQ(o.err.rfind("gradscope train: " + expected, 0), 0u) << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    EXPECT_EQ(o.err.back(), '\n');
    EXPECT_TRUE(o.out.empty()) << o.out;
    EXPECT_FALSE(fs::exists(path("m.csv"))) << expected;
    EXPECT_FALSE(fs::exists(path("w.json"))) << expected;
    EXPECT_EQ(files().size(), 3u) << expected;  // only the inputs: no temporary files left
  }
}

TEST_F(TrainCommand, CuresCompareFromTheSameWeights) {
  for (const std::string compare :
       {"norm=none,batch,layer", "residual=false,true", "clip-norm=0,0.5", "dropout=0,0.5"}) {
    const Outcome o = train({"--compare", compare, "--hidden", "4x8", "--activation", "relu",
                             "--init", "he_normal", "--steps", "20", "--metrics", path("c.csv"),
                             "--save-weights", path("w.json")});
    ASSERT_EQ(o.code, kExitOk) << compare << ": " << o.err;
    const size_t runs = compare.starts_with("norm") ? 3 : 2;
    const auto rows = lines(readFile(path("c.csv")));
    ASSERT_EQ(rows.size(), 1 + 20 * runs) << compare;
    const auto first = fields(rows[1]);
    for (size_t r = 1; r < runs; ++r) {
      const auto other = fields(rows[1 + 20 * r]);
      // The same Linear weights and batch; clipping keeps the measured norms of step 1, while
      // a norm, the skips or dropout change the first pass itself.
      if (compare.starts_with("clip"))
        EXPECT_EQ(std::vector(other.begin() + 2, other.end()),
                  std::vector(first.begin() + 2, first.end()));
      else
        EXPECT_NE(other[2], first[2]) << compare;
      EXPECT_NE(fields(rows[3 + 20 * r])[3], fields(rows[3])[3]) << compare;
    }
    for (size_t r = 1; r <= runs; ++r)
      EXPECT_TRUE(fs::exists(path("w-" + std::to_string(r) + ".json"))) << compare;
  }
  const std::string w3 = readFile(path("w-2.json"));  // the dropout compare's last files
  EXPECT_EQ(w3.find("\"norm\""), std::string::npos);
  // A batch-norm network's weights carry its running statistics and load back to the same
  // training.
  const std::vector<std::string> bn{"--norm", "batch",   "--residual", "--hidden",
                                    "3x6",    "--steps", "30"};
  auto save = bn, again = bn, load = bn;
  save.insert(save.end(), {"--save-weights", path("bn.json")});
  ASSERT_EQ(train(save).code, kExitOk);
  EXPECT_NE(readFile(path("bn.json")).find("\"running_var\""), std::string::npos);
  again.insert(again.end(), {"--load-weights", path("bn.json"), "--metrics", path("a.csv")});
  load.insert(load.end(), {"--load-weights", path("bn.json"), "--metrics", path("b.csv")});
  ASSERT_EQ(train(again).code, kExitOk);
  ASSERT_EQ(train(load).code, kExitOk);
  EXPECT_EQ(readFile(path("a.csv")), readFile(path("b.csv")));
  const Outcome wrong = train(
      {"--norm", "layer", "--hidden", "3x6", "--steps", "1", "--load-weights", path("bn.json")});
  EXPECT_EQ(wrong.code, kExitUsage);
  EXPECT_NE(wrong.err.find("the file's norm is batch"), std::string::npos) << wrong.err;
}

TEST_F(TrainCommand, UnwritableOutputIsAUsageErrorBeforeTraining) {
  const Outcome o = train({"--steps", "5", "--metrics", path("no/such/dir/m.csv")});
  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_EQ(o.err.rfind(
                "gradscope train: --metrics: cannot write '" + path("no/such/dir/m.csv") + "'", 0),
            0u)
      << o.err;
  EXPECT_TRUE(files().empty());
}

TEST_F(TrainCommand, HelpGoesToStdoutAndExitsZero) {
  const Outcome o = train({"--help"});
  EXPECT_EQ(o.code, kExitOk);
  for (const char* flag :
       {"--betas", "--step-sizes", "--line-search", "--nesterov", "--compare", "Exit codes"})
    EXPECT_NE(o.out.find(flag), std::string::npos) << flag;
  EXPECT_TRUE(o.err.empty());
}

TEST(TrainFashionMnist, TrainsTenClassesWithCrossEntropy) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const Outcome o = train({"--dataset", "fashion-mnist", "--train-images", "500", "--hidden", "16",
                           "--activation", "relu", "--init", "he_normal", "--optimizer", "adam",
                           "--steps", "100", "--threads", "1"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("Fashion-MNIST, 500 training + 10000 test samples"), std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("run 1 test accuracy per class: T-shirt/top "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Ankle boot "), std::string::npos);
}

TEST(TrainFashionMnist, FlagsAndAMissingPackage) {
  auto error = [](std::vector<std::string> args) {
    const Outcome o = train(args);
    EXPECT_EQ(o.code, 2) << o.out;
    return o.err;
  };
  EXPECT_NE(error({"--dataset", "fashion-mnist", "--samples", "100"})
                .find("--samples: not for fashion-mnist"),
            std::string::npos);
  EXPECT_NE(error({"--dataset", "fashion-mnist", "--test-fraction", "0.1"})
                .find("--test-fraction: fashion-mnist tests on its own 10,000 test images"),
            std::string::npos);
  EXPECT_NE(
      error({"--train-images", "100"}).find("--train-images: only for --dataset fashion-mnist"),
      std::string::npos);
  EXPECT_NE(error({"--dataset", "fashion-mnist", "--train-images", "0"}).find("--train-images: "),
            std::string::npos);
  ::setenv("GRADSCOPE_FASHION_MNIST_DIR", "/nonexistent/gradscope-fashion", 1);
  const std::string missing = error({"--dataset", "fashion-mnist", "--steps", "1"});
  ::unsetenv("GRADSCOPE_FASHION_MNIST_DIR");
  EXPECT_NE(missing.find("install the Debian package dataset-fashion-mnist"), std::string::npos)
      << missing;
}

// Fashion-MNIST's own default initializer (He normal, not N(0, 1)): the issue's command
// (3×128 ReLU, Adam, 3,000 steps) reaches 85.5% test accuracy with it and 76.1% with N(0, 1).
// The same command at 200 steps on 1,000 images stands in for it here. Measured over seeds
// 1–5: default 78.2% … 79.4%, --init normal 58.0% … 60.9%.
TEST(TrainFashionMnist, StartsFromHeNormalUnlessAnInitIsGiven) {
  if (!fs::exists("/usr/share/datasets/fashion-mnist"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto testAccuracy = [](const std::vector<std::string>& extra) {
    std::vector<std::string> args{"--dataset",      "fashion-mnist",
                                  "--train-images", "1000",
                                  "--hidden",       "3x128",
                                  "--activation",   "relu",
                                  "--optimizer",    "adam",
                                  "--steps",        "200",
                                  "--threads",      "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Outcome o = train(args);
    EXPECT_EQ(o.code, 0) << o.err;
    // The summary row "1   ReLU   200   loss   train%   test%   ...".
    const size_t row = o.out.find("\n1 ");
    std::istringstream in(o.out.substr(row == std::string::npos ? 0 : row + 1));
    std::string run, label, steps, loss, trainAcc, testAcc;
    in >> run >> label >> steps >> loss >> trainAcc >> testAcc;
    return std::atof(testAcc.c_str());
  };
  const double byDefault = testAccuracy({});
  const double normal = testAccuracy({"--init", "normal"});
  EXPECT_GT(byDefault, 75.0);
  EXPECT_LT(normal, 70.0);
  std::ostringstream help, err;
  runTrainCommand({"--help"}, help, err);
  EXPECT_NE(help.str().find("(default normal; he_normal for fashion-mnist)"), std::string::npos);
}

}  // namespace
}  // namespace gradscope::cli
