// Fuzz target: the IDX parser and its gzip layer (parseIdx, gunzip, idxImageDataset). Every
// input either throws DataError or gives an array whose values fill its dimensions exactly;
// an image array becomes a data set of pixels in [0, 1] with the image's shape.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/dataset_idx.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> bytes(data, size);
  std::vector<std::uint8_t> inflated;
  gradscope::IdxArray a;
  try {
    if (size >= 2 && data[0] == 0x1F && data[1] == 0x8B) {
      inflated = gradscope::gunzip(bytes, "fuzz.gz", std::size_t{1} << 20);
      FUZZ_CHECK(inflated.size() <= (std::size_t{1} << 20));
      bytes = inflated;
    }
    a = gradscope::parseIdx(bytes, "fuzz.idx");
  } catch (const gradscope::DataError&) {
    return 0;
  }
  FUZZ_CHECK(!a.dims.empty() && a.dims.size() <= gradscope::kMaxIdxDims);
  std::size_t count = 1;
  for (auto d : a.dims) {
    FUZZ_CHECK(d > 0);
    count *= d;
  }
  FUZZ_CHECK(count == a.values.size());
  FUZZ_CHECK(bytes.size() == 4 + 4 * a.dims.size() + count);

  // The same array as images, with every label 0 (or as labels of one-pixel images).
  constexpr std::string_view kClasses[] = {"a", "b"};
  gradscope::IdxArray labels{{a.dims[0]}, std::vector<std::uint8_t>(a.dims[0], 0)};
  try {
    const gradscope::Dataset d = gradscope::idxImageDataset(a, labels, "fuzz", kClasses);
    FUZZ_CHECK(a.dims.size() == 3);
    FUZZ_CHECK(d.samples() == static_cast<int>(a.dims[0]));
    FUZZ_CHECK(d.imageWidth * d.imageHeight == d.features());
    FUZZ_CHECK(d.features() >= 1 && d.features() <= gradscope::kMaxFeatures);
    FUZZ_CHECK(d.X.minCoeff() >= 0.0f && d.X.maxCoeff() <= 1.0f);
  } catch (const gradscope::DataError&) {
  }
  try {
    gradscope::IdxArray images{{a.dims[0], 1, 1}, std::vector<std::uint8_t>(a.dims[0], 9)};
    const gradscope::Dataset d = gradscope::idxImageDataset(images, a, "fuzz", kClasses);
    FUZZ_CHECK(a.dims.size() == 1);
    FUZZ_CHECK(d.y.minCoeff() >= 0 && d.y.maxCoeff() < 2);
  } catch (const gradscope::DataError&) {
  }
  return 0;
}
