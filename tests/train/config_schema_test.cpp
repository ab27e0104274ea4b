// The field declarations are the one source of ranges and defaults: each default is valid, each
// slider stays inside the valid range, and the JSON reader, validateSession and the structs'
// defaults agree with them.
#include "train/config_schema.h"

#include <gtest/gtest.h>

#include <cmath>

#include "train/config_json.h"
#include "train/run_config.h"

namespace gradscope {
namespace {

const FieldSpec* const kFields[] = {&field::Samples,        &field::Noise,     &field::TestFraction,
                                    &field::StepsPerSecond, &field::EvalEvery, &field::BiasInit,
                                    &field::InitConstant,   &field::Batch};

TEST(ConfigSchema, DefaultsAndSlidersLieInTheValidRange) {
  for (const FieldSpec* f : kFields) {
    EXPECT_TRUE(f->valid(f->defaultValue)) << f->path;
    EXPECT_LE(f->min, f->sliderMin) << f->path;
    EXPECT_GE(f->max, f->sliderMax) << f->path;
    EXPECT_FALSE(f->valid(std::nan(""))) << f->path;
    if (f->scale == SliderScale::Log) {
      EXPECT_GT(f->sliderMin, 0) << f->path;
    }
  }
}

TEST(ConfigSchema, StructDefaultsAreTheDeclaredOnes) {
  const SessionConfig s;
  EXPECT_EQ(s.data.samples, field::Samples.defaultValue);
  EXPECT_EQ(s.data.noise, field::Noise.defaultValue);
  EXPECT_EQ(s.data.testFraction, field::TestFraction.defaultValue);
  EXPECT_EQ(s.stepsPerSecond, field::StepsPerSecond.defaultValue);
  EXPECT_EQ(s.evalEvery, field::EvalEvery.defaultValue);
  EXPECT_EQ(s.runs[0].biasInit, field::BiasInit.defaultValue);
  EXPECT_EQ(s.runs[0].batchSize, field::Batch.defaultValue);
}

TEST(ConfigSchema, ValidateAndJsonReaderUseTheSameRange) {
  // Just past the top of the range is refused by both, naming the field; the top itself passes.
  SessionConfig s;
  s.data.noise = field::Noise.max;
  EXPECT_EQ(validateSession(s), "");
  s.data.noise = std::nextafter(field::Noise.max, 2.0);
  EXPECT_EQ(validateSession(s).rfind("data.noise: must be 0 to 1 (got", 0), 0u)
      << validateSession(s);
  s = SessionConfig{};
  s.runs[0].biasInit = 101;
  EXPECT_EQ(validateSession(s), "runs[0].bias_init: must be -100 to 100 (got 101)");

  const auto preset = [](const std::string& data) {
    return R"({"version": 1, "data": )" + data + R"(, "runs": [{"hidden": [4]}]})";
  };
  EXPECT_NO_THROW(parsePreset(preset(R"({"noise": 1})")));
  try {
    parsePreset(preset(R"({"noise": 1.5})"));
    FAIL() << "noise 1.5 accepted";
  } catch (const JsonError& e) {
    EXPECT_NE(std::string(e.what()).find("data.noise"), std::string::npos) << e.what();
  }
}

TEST(ConfigSchema, FreshActivationTakesTheActivationsDefaultParameter) {
  for (const auto& info : activationTable()) {
    const ActivationChoice c = freshActivation(info.id);
    EXPECT_EQ(c.activation, info.id);
    EXPECT_EQ(c.param, info.paramDefault) << info.name;
  }
}

TEST(ConfigSchema, FlagHelpStatesRangeAndDefault) {
  EXPECT_EQ(field::Noise.flagHelp(), "Gaussian jitter of a built-in set, 0 to 1 (default 0.05)");
  EXPECT_EQ(field::Samples.range(), "2 to 1000000");
}

}  // namespace
}  // namespace gradscope
