// Run labels: named by what sets the runs apart, unique, and never naming settings a run no
// longer has.
#include <gtest/gtest.h>

#include "train/run_config.h"

namespace gradscope {
namespace {

SessionConfig twoRuns() {
  SessionConfig c;
  c.runs = {RunConfig{}, RunConfig{}};
  c.runs[1].activation = {Activation::ReLU, 0.0};
  return c;
}

std::vector<std::string> labels(const SessionConfig& c) {
  std::vector<std::string> out;
  for (size_t i = 0; i < c.runs.size(); ++i) out.push_back(runLabel(c, static_cast<int>(i)));
  return out;
}

TEST(RunLabel, OneRunIsItsActivation) {
  SessionConfig c;
  EXPECT_EQ(labels(c), std::vector<std::string>{"Sigmoid"});
}

TEST(RunLabel, RunsAreNamedByWhatDiffers) {
  SessionConfig c = twoRuns();
  EXPECT_EQ(labels(c), (std::vector<std::string>{"Sigmoid", "ReLU"}));
  c.runs[1].activation = c.runs[0].activation;
  c.runs[1].init = Init::XavierUniform;
  EXPECT_EQ(labels(c), (std::vector<std::string>{"N(0, 1)", "Xavier"}));
  c.runs[1].hidden = {16, 16};
  EXPECT_EQ(labels(c), (std::vector<std::string>{"N(0, 1), 10×10", "Xavier, 2×16"}));
}

TEST(RunLabel, HyperparametersTellRunsOfOneOptimizerApart) {
  SessionConfig c = twoRuns();
  c.runs[1].activation = c.runs[0].activation;
  c.runs[0].optimizer = {OptimizerKind::SGD, {{"lr", 0.1}}};
  c.runs[1].optimizer = {OptimizerKind::SGD, {{"lr", 0.1}, {"momentum", 0.9}}};
  EXPECT_EQ(labels(c), (std::vector<std::string>{"momentum=0", "momentum=0.9"}));
  c.runs[1].optimizer = {OptimizerKind::Adam, {{"lr", 0.01}}};
  EXPECT_EQ(labels(c),
            (std::vector<std::string>{"SGD", "Adam"}));  // no lookup of Adam's keys in SGD
}

TEST(RunLabel, CuresAreNamedWhereARunHasThem) {
  SessionConfig c = twoRuns();
  c.runs[1].activation = c.runs[0].activation;
  c.runs[1].norm = Norm::Batch;
  c.runs[1].residual = true;
  EXPECT_EQ(labels(c), (std::vector<std::string>{"Sigmoid", "BatchNorm, residual"}));
}

TEST(RunLabel, DuplicatesAreNumbered) {
  SessionConfig c = twoRuns();
  c.runs[1] = c.runs[0];
  EXPECT_EQ(labels(c), (std::vector<std::string>{"Sigmoid", "Sigmoid (2)"}));
  c.runs[0].label = "mine";
  c.runs[1].label = "mine";
  EXPECT_EQ(labels(c), (std::vector<std::string>{"mine", "mine (2)"}));
}

TEST(RunLabel, AnEditThatChangesARunDropsItsOldLabel) {
  SessionConfig before = twoRuns();
  before.runs[0].label = "Sigmoid";
  SessionConfig after = before;
  after.runs[0].activation = {Activation::Tanh, 0.0};
  dropStaleLabels(before, after);
  EXPECT_EQ(after.runs[0].label, "");
  EXPECT_EQ(runLabel(after, 0), "Tanh");
}

TEST(RunLabel, AnEditThatRenamesARunKeepsItsNewLabel) {
  SessionConfig before = twoRuns();
  SessionConfig after = before;
  after.runs[0].activation = {Activation::Tanh, 0.0};
  after.runs[0].label = "Sigmoid → Tanh";  // a lesson's suggested change names itself
  dropStaleLabels(before, after);
  EXPECT_EQ(after.runs[0].label, "Sigmoid → Tanh");
  SessionConfig same = after;
  dropStaleLabels(after, same);  // nothing changed: nothing dropped
  EXPECT_EQ(same.runs[0].label, "Sigmoid → Tanh");
}

// The app shows a label in the user's language: its words are keyed messages, its names
// (activations, optimizers, PyTorch's arguments) and numbers are the same in every language.
TEST(RunLabel, WordsAreKeyedForTranslationNamesAndNumbersAreNot) {
  SessionConfig c = twoRuns();
  c.runs[1].activation = c.runs[0].activation;
  c.runs[1].batchSize = 0;
  c.runs[1].residual = true;
  c.runs[1].dropout = 0.25;
  c.runs[1].layerActivations[0] = {Activation::ReLU, 0.0};
  // A "language" that shows each key's format in capitals (its conversions as they are).
  const MessageFormat shout = [](const Message& m) {
    std::string f = m.english;
    for (size_t i = 0; i < f.size(); ++i)
      if (f[i] == '%')
        i += 3;  // %1$s
      else if (f[i] >= 'a' && f[i] <= 'z')
        f[i] = static_cast<char>(f[i] - 'a' + 'A');
    return f;
  };
  EXPECT_EQ(runLabel(c, 1), "Sigmoid (mixed), full batch, residual, dropout 0.25");
  EXPECT_EQ(render(runLabelMessage(c, 1), shout),
            "Sigmoid (MIXED), FULL BATCH, RESIDUAL, DROPOUT 0.25");
  EXPECT_EQ(render(runLabelMessage(c, 0), shout), "Sigmoid, BATCH 32");
  c.runs[0].label = "mine";  // a label someone wrote is theirs, in every language
  EXPECT_EQ(render(runLabelMessage(c, 0), shout), "mine");
}

TEST(Message, FormatsTakeTheirArgumentsInAnyOrder) {
  EXPECT_EQ(substitute("%1$s at %2$s", {"a", "b"}), "a at b");
  EXPECT_EQ(substitute("%2$s에서 %1$s", {"a", "b"}), "b에서 a");
  EXPECT_EQ(substitute("%s and %s, 100%%", {"a", "b"}), "a and b, 100%");
  EXPECT_EQ(substitute("%3$s, %d", {"a"}), ", %d");  // missing: nothing; others: as written
  const Message m =
      said("k", "%1$s: %2$s", {verbatim("x"), joined({verbatim("1"), verbatim("2")}, "-")});
  EXPECT_EQ(english(m), "x: 1-2");
  EXPECT_EQ(english(verbatim("50% off %s")), "50% off %s");  // shown as it is
}

}  // namespace
}  // namespace gradscope
