// The metrics CSV: named columns, one row per kept step, empty cells where a series kept no point.
#include "train/export.h"

#include <gtest/gtest.h>

#include <sstream>

#include "train/run.h"
#include "train/trainer.h"

namespace gradscope {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  for (std::string line; std::getline(s, line);) out.push_back(line);
  return out;
}

TEST(MetricsCsv, OneRowPerStepWithNamedColumns) {
  SessionConfig c;
  c.data.samples = 100;
  c.runs[0].hidden = {4, 4};
  c.runs[0].label = "a, \"quoted\" run";
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  run.evaluate();  // step 0: accuracy and dead units, no loss yet
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(run.step());
  run.evaluate();
  Snapshot snap;
  snap.runs.resize(1);
  run.fillSnapshot(snap.runs[0]);
  snap.runs[0].label = verbatim(c.runs[0].label);
  const auto rows = lines(metricsCsv(snap));
  ASSERT_EQ(rows.size(), 1u + 6u);  // header, steps 0..5
  EXPECT_EQ(
      rows[0],
      "run,label,step,loss,test_loss,train_accuracy,test_accuracy,gradnorm_1,gradnorm_2,gradnorm_3,"
      "mean_"
      "abs_dz_1,"
      "mean_abs_dz_2,mean_abs_dz_3,update_ratio_1,update_ratio_2,update_ratio_3,dead_1,dead_2");
  EXPECT_EQ(rows[1].rfind("1,\"a, \"\"quoted\"\" run\",0,,", 0), 0u)
      << rows[1];  // no loss at step 0
  // Step 1: the loss and gradient norms of that step, read back exactly.
  std::stringstream r(rows[2].substr(rows[2].find(",1,") + 3));
  std::string loss;
  std::getline(r, loss, ',');
  EXPECT_EQ(std::stof(loss), snap.runs[0].lossSeries.y(0));
  // Step 5 has both per-step and whole-set values: no empty cell.
  EXPECT_EQ(rows[6].find(",,"), std::string::npos) << rows[6];
}

TEST(MetricsCsv, RunsWithANormGetTheNormsParameterGradients) {
  SessionConfig c;
  c.data.samples = 100;
  c.runs[0].hidden = {4, 4};
  c.runs[0].norm = Norm::Layer;
  auto data = makeSessionData(c);
  gradscope::Run run(0, c.runs[0], data, c.seed);
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(run.step());
  Snapshot snap;
  snap.runs.resize(1);
  run.fillSnapshot(snap.runs[0]);
  const auto rows = lines(metricsCsv(snap));
  ASSERT_EQ(rows.size(), 3u);  // header, steps 1 and 2
  EXPECT_NE(rows[0].find(",dead_2,norm_grad_norm_1,norm_grad_norm_2"), std::string::npos)
      << rows[0];
  // Step 2's last cell is the second hidden layer's value, read back exactly.
  EXPECT_EQ(std::stof(rows[2].substr(rows[2].rfind(',') + 1)),
            snap.runs[0].normGradNormSeries[1].y(1));
}

}  // namespace
}  // namespace gradscope
