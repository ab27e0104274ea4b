// Fuzz target: the CSV loader (parseCsv). Every input either throws DataError or gives a data
// set a Run can train on: consistent sizes, finite features, at least two classes with every
// label in range, a train/test split that keeps a training sample.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/dataset.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gradscope::Dataset d;
  try {
    d = gradscope::parseCsv(text, "fuzz.csv");
  } catch (const gradscope::DataError&) {
    return 0;
  }
  FUZZ_CHECK(d.features() >= 1 && d.features() < gradscope::kMaxColumns);
  FUZZ_CHECK(d.samples() >= 2 && d.samples() <= gradscope::kMaxSamples);
  FUZZ_CHECK(d.y.size() == d.samples());
  FUZZ_CHECK(static_cast<int>(d.featureNames.size()) == d.features());
  FUZZ_CHECK(d.classes >= 2 && static_cast<int>(d.classNames.size()) == d.classes);
  FUZZ_CHECK(d.X.allFinite());
  FUZZ_CHECK(d.y.minCoeff() == 0 && d.y.maxCoeff() == d.classes - 1);

  const gradscope::Split split = gradscope::splitDataset(d, 0.2, 1);
  FUZZ_CHECK(split.train.samples() >= 1);
  FUZZ_CHECK(split.train.samples() + split.test.samples() == d.samples());
  return 0;
}
