// `gradscope bench` driven through runBenchCommand: a very short run reports every figure, and
// bad flags exit 2 with one line. No timing is asserted.
#include "cli/bench_command.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace gradscope::cli {
namespace {

TEST(BenchCommand, ShortRunReportsStepsPerSecondAndMeasurementShare) {
  std::ostringstream out, err;
  ASSERT_EQ(runBenchCommand({"--seconds", "0.02", "--workload", "w1", "--json"}, out, err), 0)
      << err.str();
  const std::string json = out.str();
  for (const char* key : {"\"name\": \"W1\"", "\"steps_per_second\":", "\"measure_share\":",
                          "\"eval_every\":", "\"steps_per_second_target\": 30000"})
    EXPECT_NE(json.find(key), std::string::npos) << key << "\n" << json;
  EXPECT_EQ(json.find("\"W2\""), std::string::npos);
  EXPECT_TRUE(err.str().empty());
}

TEST(BenchCommand, TableShowsTargetsWithPassOrMiss) {
  std::ostringstream out, err;
  ASSERT_EQ(runBenchCommand({"--seconds", "0.02", "--workload", "W3"}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("≥ 2,000"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("≤ 10%"), std::string::npos) << out.str();
  EXPECT_TRUE(out.str().find("PASS") != std::string::npos ||
              out.str().find("MISS") != std::string::npos);
}

TEST(BenchCommand, W5TrainsOnFashionMnistOrSaysWhatToInstall) {
  if (std::filesystem::exists("/usr/share/datasets/fashion-mnist")) {
    std::ostringstream out, err;
    ASSERT_EQ(runBenchCommand({"--seconds", "0.05", "--workload", "W5", "--json"}, out, err), 0)
        << err.str();
    EXPECT_NE(out.str().find("\"name\": \"W5\""), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("\"steps_per_second_target\": 280"), std::string::npos);
    EXPECT_EQ(out.str().find("\"steps\": 0,"), std::string::npos) << out.str();
  }
  ::setenv("GRADSCOPE_FASHION_MNIST_DIR", "/nonexistent/gradscope-fashion", 1);
  std::ostringstream out, err;
  const int code = runBenchCommand({"--seconds", "0.02", "--workload", "W5"}, out, err);
  ::unsetenv("GRADSCOPE_FASHION_MNIST_DIR");
  EXPECT_EQ(code, 0);
  EXPECT_NE(err.str().find("gradscope bench: W5 skipped: Fashion-MNIST is not installed"),
            std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("dataset-fashion-mnist"), std::string::npos);
}

TEST(BenchCommand, BatchNormIsReportedAsAShareOfW2) {
  std::ostringstream out, err;
  ASSERT_EQ(runBenchCommand({"--seconds", "0.05", "--workload", "w2b", "--json"}, out, err), 0)
      << err.str();
  const std::string json = out.str();
  for (const char* key : {"\"name\": \"W2B\"", "\"baseline\": \"W2\"",
                          "\"share_of_baseline\":", "\"share_target\": 0.6", "\"share_pass\":"})
    EXPECT_NE(json.find(key), std::string::npos) << key << "\n" << json;
  std::ostringstream table, err2;
  ASSERT_EQ(runBenchCommand({"--seconds", "0.05", "--workload", "W2B"}, table, err2), 0);
  EXPECT_NE(table.str().find("≥ 60%"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("of W2's timed beside it"), std::string::npos) << table.str();
}

TEST(BenchCommand, BadFlagsExitTwoWithOneLine) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--seconds", "0"}, {"--seconds", "soon"}, {"--workload", "W9"}, {"--fast"}}) {
    std::ostringstream out, err;
    EXPECT_EQ(runBenchCommand(args, out, err), 2);
    const std::string line = err.str();
    EXPECT_EQ(line.rfind("gradscope bench: ", 0), 0u) << line;
    EXPECT_NE(line.find(args[0]), std::string::npos) << line;
    EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << line;
    EXPECT_TRUE(out.str().empty());
  }
}

}  // namespace
}  // namespace gradscope::cli
