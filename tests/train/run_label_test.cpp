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
  EXPECT_EQ(labels(c), (std::vector<std::string>{"SGD", "Adam"}));  // no lookup of Adam's keys in SGD
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

}  // namespace
}  // namespace gradscope
