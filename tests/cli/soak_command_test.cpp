// `gradscope soak` driven through runSoakCommand for a tiny step count: the report has every
// figure (memory at the baseline and the end, growth against the target, speed, the four runs)
// and bad flags exit 2 with one line. No timing or memory figure is asserted.
#include "cli/soak_command.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace gradscope::cli {
namespace {

TEST(SoakCommand, JsonReportHasMemorySpeedAndTheFourRuns) {
  std::ostringstream out, err;
  ASSERT_EQ(runSoakCommand({"--steps", "400", "--json"}, out, err), 0) << err.str();
  EXPECT_TRUE(err.str().empty()) << err.str();
  const auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j.at("steps"), 400);
  EXPECT_GT(j.at("seconds").get<double>(), 0.0);
  EXPECT_GT(j.at("steps_per_second").get<double>(), 0.0);
  for (const char* point : {"baseline", "end"}) {
    const auto& m = j.at(point);
    EXPECT_GT(m.at("peak_rss_kib").get<long long>(), 0) << point;
    EXPECT_GT(m.at("rss_kib").get<long long>(), 0) << point;
    EXPECT_LE(m.at("rss_kib").get<long long>(), m.at("peak_rss_kib").get<long long>()) << point;
  }
  EXPECT_EQ(j.at("baseline").at("step"), 40);  // a tenth of the steps below 10M
  EXPECT_EQ(j.at("end").at("step"), 400);
  EXPECT_EQ(j.at("samples").size(), 10u);
  EXPECT_TRUE(j.at("growth_percent").is_number());
  EXPECT_EQ(j.at("growth_target_percent"), 5.0);
  EXPECT_TRUE(j.at("pass").is_boolean());
  EXPECT_GE(j.at("evaluations").get<long>(), 4);
  EXPECT_GE(j.at("grids").get<long>(), 4);  // every run's first grid at least
  EXPECT_GE(j.at("snapshots").get<long>(), 1);
  ASSERT_EQ(j.at("runs").size(), 4u);
  long long steps = 0;
  for (const auto& run : j.at("runs")) steps += run.at("steps").get<long long>();
  EXPECT_EQ(steps, 400);
  EXPECT_EQ(j.at("runs")[0].at("steps"), 100);  // an equal share each
  EXPECT_EQ(j.at("runs")[0].at("label"), "Sigmoid");
  EXPECT_EQ(j.at("runs")[1].at("label"), "ReLU");
  EXPECT_EQ(j.at("runs")[3].at("label"), "Leaky ReLU");
}

TEST(SoakCommand, TableShowsSamplesGrowthAndPassOrMiss) {
  std::ostringstream out, err;
  ASSERT_EQ(runSoakCommand({"--steps", "200"}, out, err), 0) << err.str();
  const std::string text = out.str();
  for (const char* piece : {"peak RSS at 20 steps:", "peak RSS at 200 steps:", "growth: ",
                            "(target ≤ 5%)", "steps/s over", "Leaky ReLU"})
    EXPECT_NE(text.find(piece), std::string::npos) << piece << "\n" << text;
  EXPECT_TRUE(text.find("PASS") != std::string::npos || text.find("MISS") != std::string::npos)
      << text;
  EXPECT_NE(text.find(" MiB"), std::string::npos) << text;
}

TEST(SoakCommand, BadFlagsExitTwoWithOneLine) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--steps", "0"}, {"--steps", "lots"}, {"--steps", "10000000001"}, {"--fast"}}) {
    std::ostringstream out, err;
    EXPECT_EQ(runSoakCommand(args, out, err), 2);
    const std::string line = err.str();
    EXPECT_EQ(line.rfind("gradscope soak: ", 0), 0u) << line;
    EXPECT_NE(line.find(args[0]), std::string::npos) << line;
    EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << line;
    EXPECT_TRUE(out.str().empty());
  }
}

}  // namespace
}  // namespace gradscope::cli
