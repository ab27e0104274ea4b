// What the fuzz targets found, pinned down with the message a learner sees (the inputs
// themselves are in corpus/, replayed by fuzz_corpus.*).
#include <gtest/gtest.h>

#include <string>

#include "core/mlp.h"
#include "train/config_json.h"

namespace gradscope {
namespace {

// Found by fuzz_preset and fuzz_weights from their seeds: a number beyond the double range is
// nlohmann's out_of_range (406), not a parse_error, and escaped the readers as a foreign
// exception — the callers' "path: message" prefix was lost and the contract (JsonError only)
// broken.
TEST(FuzzRegression, NumberBeyondTheDoubleRangeIsAJsonError) {
  try {
    parsePreset(R"({"seed": 1e400})");
    ADD_FAILURE() << "accepted";
  } catch (const JsonError& e) {
    EXPECT_EQ(std::string(e.what()),
              "number overflow parsing '1e400' (beyond the range of a double)");
  }
  MlpShape shape;
  shape.hidden = {{1, Activation::ReLU, 0.0}};
  Mlp net(shape);
  EXPECT_THROW(parseWeights(R"({"layers": [{"weight": [[-1e999, 0]], "bias": [0]}, {}]})", net),
               JsonError);
}

}  // namespace
}  // namespace gradscope
