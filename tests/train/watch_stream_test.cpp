// The watch stream's reader (docs/STREAM.md): a good stream in any chunking, and one clear
// message for every way a stream can be wrong — malformed JSON, another version, a truncated
// last line, a line over the limit, too many tensors, a header that changes, a stream with
// nothing in it — with non-finite values marking divergence rather than an error.
#include "train/watch_stream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace gradscope {
namespace {

const std::string kHeader =
    R"({"gradscope_stream":1,"name":"Net","log_every":2,"torch":"1.13.1",)"
    R"("modules":[{"name":"fc1","type":"Linear"},{"name":"act","type":"ReLU","relu":true},)"
    R"({"name":"fc2","type":"Linear"}],)"
    R"("params":[{"name":"fc1.weight","shape":[4,2],"module":0},{"name":"fc1.bias","shape":[4],"module":0},)"
    R"({"name":"fc2.weight","shape":[1,4],"module":2}]})"
    "\n";

std::string record(long step, const std::string& grad = "[0.5,0.25,1]",
                   const std::string& extra = "") {
  return R"({"step":)" + std::to_string(step) + R"(,"grad":)" + grad +
         R"(,"ratio":[0.01,null,0.02],"dz":[0.001,null,0.1],"dead":[null,0.25,null])" + extra +
         "}\n";
}

// The reader's error after feeding `text` and ending the stream ("" when it is good).
std::string errorOf(const std::string& text) {
  StreamReader reader;
  reader.feed(text);
  reader.finish();
  return reader.error();
}

TEST(WatchStream, ReadsHeaderAndRecords) {
  StreamReader reader;
  ASSERT_TRUE(reader.feed(
      kHeader + record(1, "[0.5,0.25,1]", R"(,"scalars":{"loss":0.7,"accuracy":0.5,"lr":null})") +
      record(3)));
  ASSERT_TRUE(reader.finish()) << reader.error();
  const StreamHeader& h = reader.header();
  EXPECT_EQ(h.name, "Net");
  EXPECT_EQ(h.logEvery, 2);
  EXPECT_EQ(h.torch, "1.13.1");
  ASSERT_EQ(h.modules.size(), 3u);
  EXPECT_TRUE(h.modules[1].relu);
  EXPECT_FALSE(h.modules[0].relu);
  ASSERT_EQ(h.params.size(), 3u);
  EXPECT_EQ(h.params[0].name, "fc1.weight");
  EXPECT_EQ(h.params[0].shape, (std::vector<long long>{4, 2}));
  EXPECT_EQ(h.params[2].module, 2);
  const auto records = reader.takeRecords();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].step, 1);
  EXPECT_FLOAT_EQ(records[0].grad[1], 0.25f);
  EXPECT_TRUE(std::isnan(records[0].ratio[1]));  // null: no value
  EXPECT_FLOAT_EQ(records[0].dead[1], 0.25f);
  EXPECT_DOUBLE_EQ(records[0].scalar("loss"), 0.7);
  EXPECT_TRUE(std::isnan(records[0].scalar("lr")));
  EXPECT_TRUE(std::isnan(records[1].scalar("loss")));
  EXPECT_TRUE(records[0].nonFinite.empty());
  EXPECT_EQ(reader.lastStep(), 3);
}

TEST(WatchStream, AnyChunkingGivesTheSameRecords) {
  const std::string text = kHeader + record(1) + record(2) + record(5);
  StreamReader bytes;
  for (char c : text) ASSERT_TRUE(bytes.feed(std::string_view(&c, 1)));
  ASSERT_TRUE(bytes.finish());
  EXPECT_EQ(bytes.takeRecords().size(), 3u);
  // A partial last line is only pending while the stream goes on (a file still being written).
  StreamReader live;
  ASSERT_TRUE(live.feed(kHeader + record(1) + R"({"step":2,"gr)"));
  EXPECT_EQ(live.takeRecords().size(), 1u);
  EXPECT_GT(live.pendingBytes(), 0u);
  ASSERT_TRUE(live.feed(R"(ad":[1,1,1],"ratio":[1,1,1],"dz":[1,1,1],"dead":[null,0,null]})"
                        "\n"));
  EXPECT_EQ(live.takeRecords().size(), 1u);
}

TEST(WatchStream, NonFiniteValuesMarkDivergenceNotAnError) {
  StreamReader reader;
  ASSERT_TRUE(reader.feed(kHeader + record(1, R"([0.5,"nan",1])") +
                          record(2, "[1,1,1]", R"(,"scalars":{"loss":"inf"})")));
  ASSERT_TRUE(reader.finish());
  const auto records = reader.takeRecords();
  EXPECT_EQ(records[0].nonFinite, "grad of fc1.bias is nan");
  EXPECT_TRUE(std::isnan(records[0].grad[1]));
  EXPECT_EQ(records[1].nonFinite, "loss is inf");
  // A finite number beyond float's range is infinite as a float: divergence too.
  StreamReader huge;
  ASSERT_TRUE(huge.feed(kHeader + record(1, "[1e300,1,1]")));
  EXPECT_EQ(huge.takeRecords()[0].nonFinite, "grad of fc1.weight is beyond the float range");
}

TEST(WatchStream, MalformedJson) {
  EXPECT_EQ(errorOf(kHeader + "{\"step\":1,\n").substr(0, 27), "line 2: malformed JSON at c");
  EXPECT_NE(errorOf(kHeader + record(1, "[NaN,1,1]")).find("NaN and Infinity are not JSON"),
            std::string::npos);
  EXPECT_EQ(errorOf(kHeader + "[1,2]\n"), "line 2: expected a JSON object, got [1,2]");
  EXPECT_EQ(errorOf(kHeader + "\n"), "line 2: empty line");
  EXPECT_EQ(errorOf("\xff\xfe{}\n").substr(0, 22), "line 1: malformed JSON");
}

TEST(WatchStream, WrongVersionOrNoHeader) {
  std::string v2 = kHeader;
  v2.replace(v2.find("\"gradscope_stream\":1"), 20, "\"gradscope_stream\":2");
  EXPECT_EQ(errorOf(v2),
            "line 1: stream format version 2; this gradscope reads version 1 (update gradscope "
            "or the Python package)");
  EXPECT_EQ(errorOf(record(1)),
            "line 1: not a gradscope watch stream (the first line has no \"gradscope_stream\" "
            "version)");
}

TEST(WatchStream, TruncatedLastLine) {
  const std::string text = kHeader + record(1);
  EXPECT_EQ(errorOf(text.substr(0, text.size() - 5)),
            "line 2 is truncated (the stream ended without its newline)");
}

TEST(WatchStream, LineOverTheLimit) {
  StreamReader reader;
  reader.feed(kHeader);
  const std::string chunk(1 << 20, ' ');
  for (int i = 0; i < 4 && !reader.failed(); ++i) reader.feed(chunk);
  EXPECT_FALSE(reader.failed());  // exactly 4 MiB is allowed so far
  EXPECT_FALSE(reader.feed(" "));
  EXPECT_EQ(reader.error(), "line 2 is longer than 4,194,304 bytes (the stream's limit)");
  EXPECT_EQ(reader.pendingBytes(), 0u);  // and the memory is given back
}

TEST(WatchStream, TooManyTensors) {
  std::string header = R"({"gradscope_stream":1,"name":"big","log_every":1,)"
                       R"("modules":[{"name":"m","type":"Linear"}],"params":[)";
  for (int i = 0; i <= kStreamMaxTensors; ++i)
    header += (i ? "," : "") + std::string(R"({"name":"p)") + std::to_string(i) +
              R"(","shape":[1],"module":0})";
  header += "]}\n";
  EXPECT_EQ(errorOf(header), "line 1: params: 10,001 entries; the stream allows at most 10,000");
}

TEST(WatchStream, HeaderThatChangesMidStream) {
  EXPECT_EQ(errorOf(kHeader + record(1) + kHeader + record(2)), "");  // the same one: ignored
  std::string other = kHeader;
  other.replace(other.find("\"Net\""), 5, "\"Other\"");
  EXPECT_EQ(errorOf(kHeader + record(1) + other),
            "line 3: the header changed mid-stream (another run's header in the same stream)");
}

TEST(WatchStream, NothingSent) {
  EXPECT_EQ(errorOf(""), "the stream is empty (no header line)");
  StreamReader reader;
  EXPECT_TRUE(reader.feed(""));
  EXPECT_FALSE(reader.hasHeader());
}

TEST(WatchStream, RecordsMustFitTheHeader) {
  EXPECT_EQ(errorOf(kHeader + record(1, "[1,1]")), "line 2: grad: 2 entries; the header has 3");
  EXPECT_EQ(errorOf(kHeader + record(1, "[1,-1,1]")),
            "line 2: grad[1]: expected a value >= 0, got -1");
  EXPECT_EQ(errorOf(kHeader + record(1, R"([1,"x",1])")),
            "line 2: grad[1]: expected a number, null, \"nan\", \"inf\" or \"-inf\", got \"x\"");
  EXPECT_EQ(errorOf(kHeader + record(2) + record(2)),
            "line 3: step 2 after step 2 (steps must increase)");
  EXPECT_EQ(errorOf(kHeader + record(1, "[1,1,1]", R"(,"extra":1)")),
            "line 2: unknown key \"extra\" in a record");
  std::string deadTooHigh = record(1);
  deadTooHigh.replace(deadTooHigh.find("0.25,null]"), 4, "1.5");
  EXPECT_EQ(errorOf(kHeader + deadTooHigh), "line 2: dead[1]: expected 0 to 1, got 1.5");
}

TEST(WatchStream, HeaderChecks) {
  EXPECT_EQ(errorOf(R"({"gradscope_stream":1,"name":"n","log_every":1,"modules":[],"params":[]})"
                    "\n"),
            "line 1: params: a run needs at least one parameter");
  EXPECT_EQ(
      errorOf(
          R"({"gradscope_stream":1,"name":"n","log_every":1,"modules":[{"name":"m","type":"L"}],)"
          R"("params":[{"name":"a","shape":[1],"module":1}]})"
          "\n"),
      "line 1: params[0].module: expected 0 to 0, got 1");
  EXPECT_EQ(
      errorOf(
          R"({"gradscope_stream":1,"name":"n","log_every":1,"modules":[{"name":"m","type":"L"}],)"
          R"("params":[{"name":"a","shape":[1],"module":0},{"name":"a","shape":[1],"module":0}]})"
          "\n"),
      "line 1: params[1].name: \"a\" twice");
  EXPECT_EQ(errorOf(R"({"gradscope_stream":1,"name":"","log_every":1,"modules":[],"params":[]})"
                    "\n"),
            "line 1: name: expected 1 to 256 bytes, got 0");
}

TEST(WatchStream, NestingIsBounded) {
  std::string deep = kHeader + R"({"step":1,"grad":)" + std::string(100000, '[');
  deep += "\n";
  EXPECT_EQ(errorOf(deep), "line 2: nested deeper than 4 levels (the format needs at most 4)");
}

TEST(WatchStream, LaterCallsAfterAnErrorDoNothing) {
  StreamReader reader;
  EXPECT_FALSE(reader.feed("nonsense\n"));
  const std::string first = reader.error();
  EXPECT_FALSE(reader.feed(kHeader + record(1)));
  EXPECT_FALSE(reader.finish());
  EXPECT_EQ(reader.error(), first);
  EXPECT_FALSE(reader.hasRecords());
}

}  // namespace
}  // namespace gradscope
