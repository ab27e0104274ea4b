// `gradscope replay` driven through runReplayCommand: the metrics CSV's columns and rows from a
// stream file, the per-layer summary, a diverged run, and one line with exit 2 for a bad stream
// or flag (nothing written).
#include "cli/replay_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace gradscope::cli {
namespace {

namespace fs = std::filesystem;

const char* kHeader =
    R"({"gradscope_stream":1,"name":"Net","log_every":1,)"
    R"("modules":[{"name":"fc1","type":"Linear"},{"name":"act","type":"ReLU","relu":true},)"
    R"({"name":"fc2","type":"Linear"}],)"
    R"("params":[{"name":"fc1.weight","shape":[4,2],"module":0},{"name":"fc1.bias","shape":[4],"module":0},)"
    R"({"name":"fc2.weight","shape":[1,4],"module":2}]})";

class ReplayCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("gradscope-replay-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  int run(std::vector<std::string> args) {
    out.str(""), err.str("");
    return runReplayCommand(args, out, err);
  }

  fs::path dir;
  std::ostringstream out, err;
};

TEST_F(ReplayCommand, WritesTheMetricsCsvAndASummary) {
  const std::string stream =
      write("run.jsonl",
            std::string(kHeader) + "\n" +
                R"({"step":1,"grad":[0.5,0.25,1],"ratio":[0.01,null,0.02],"dz":[0.001,null,0.1],)"
                R"("dead":[null,0.25,null],"scalars":{"loss":0.75,"accuracy":0.5,"lr":0.1}})"
                "\n"
                R"({"step":3,"grad":[0.125,null,2],"ratio":[0.01,0.02,0.03],"dz":[0.002,null,0.2],)"
                R"("dead":[null,0.5,null]})"
                "\n");
  const std::string csv = (dir / "m.csv").string();
  ASSERT_EQ(run({stream, "--metrics", csv}), 0) << err.str();
  EXPECT_EQ(read(csv),
            "run,step,loss,accuracy,gradnorm_fc1.weight,gradnorm_fc1.bias,gradnorm_fc2.weight,"
            "update_ratio_fc1.weight,update_ratio_fc1.bias,update_ratio_fc2.weight,"
            "mean_abs_dz_fc1,mean_abs_dz_fc2,dead_act,lr\n"
            "1,1,0.75,0.5,0.5,0.25,1,0.01,,0.02,0.001,0.1,0.25,0.1\n"
            "1,3,,,0.125,,2,0.01,0.02,0.03,0.002,0.2,0.5,\n");
  const std::string summary = out.str();
  for (const char* text :
       {"metrics: ", "(2 rows)", "run 1: Net", "2 logged steps (1 to 3, every 1)",
        "3 parameter tensors", "fc1.weight", "4×2", "dead last", "act"})
    EXPECT_NE(summary.find(text), std::string::npos) << text << "\n" << summary;
  EXPECT_TRUE(err.str().empty());
}

TEST_F(ReplayCommand, BadStreamExits2WithOneLineAndWritesNothing) {
  const std::string csv = (dir / "m.csv").string();
  const std::string stream = write("bad.jsonl", std::string(kHeader) + "\n{\"step\":1,\n");
  EXPECT_EQ(run({stream, "--metrics", csv}), 2);
  EXPECT_EQ(err.str().substr(0, err.str().find(" at ")),
            "gradscope replay: " + stream + ": line 2: malformed JSON");
  const std::string message = err.str();
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1);
  EXPECT_FALSE(fs::exists(csv));
  EXPECT_TRUE(out.str().empty());

  EXPECT_EQ(run({(dir / "missing.jsonl").string()}), 2);
  EXPECT_NE(err.str().find("cannot read"), std::string::npos);
  EXPECT_EQ(run({write("empty.jsonl", "")}), 2);
  EXPECT_NE(err.str().find("the stream is empty"), std::string::npos);
  EXPECT_EQ(run({}), 2);
  EXPECT_EQ(run({stream, "--frobnicate"}), 2);
  EXPECT_NE(err.str().find("gradscope replay: "), std::string::npos);
}

TEST_F(ReplayCommand, DivergedRunExits3AndSaysWhere) {
  const std::string stream =
      write("nan.jsonl", std::string(kHeader) + "\n" +
                             R"({"step":1,"grad":[0.5,"nan",1],"ratio":[0,0,0],"dz":[0,null,0],)"
                             R"("dead":[null,0,null]})"
                             "\n");
  const std::string csv = (dir / "m.csv").string();
  EXPECT_EQ(run({stream, "--metrics", csv}), 3);
  EXPECT_NE(out.str().find("diverged at step 1: grad of fc1.bias is nan"), std::string::npos)
      << out.str();
  EXPECT_NE(read(csv).find("\n1,1,,,0.5,,1,"), std::string::npos) << read(csv);
}

}  // namespace
}  // namespace gradscope::cli
