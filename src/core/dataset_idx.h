// IDX files (the MNIST family's format): a strict parser, the gzip layer (zlib), and
// Fashion-MNIST as a train/test split. Every refusal is a DataError naming the file and what
// is wrong with it.
//
// An IDX file is a 4-byte magic number (0, 0, type, dimensions), one big-endian uint32 per
// dimension, then the values in row-major order. Only unsigned bytes (type 0x08) are
// accepted: images are 0x00000803 (count, rows, columns), labels 0x00000801 (count).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/dataset.h"

namespace gradscope {

struct IdxArray {
  std::vector<std::uint32_t> dims;   // outermost first
  std::vector<std::uint8_t> values;  // product(dims) bytes, row-major
};

// The largest IDX payload accepted (and the most a .gz may inflate to): 64 MiB, above the
// 47 MB of Fashion-MNIST's training images.
inline constexpr std::size_t kMaxIdxBytes = std::size_t{64} << 20;
inline constexpr int kMaxIdxDims = 4;

// Parses uncompressed IDX bytes. The file must hold exactly the header and product(dims)
// values: a short file is "truncated", a longer one has "trailing bytes".
IdxArray parseIdx(std::span<const std::uint8_t> bytes, std::string_view source);

// Inflates gzip data (one or more members) through zlib; refuses corrupt or truncated data and
// output beyond `maxBytes`.
std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> bytes, std::string_view source,
                                 std::size_t maxBytes);

// Reads an IDX file from disk, inflating it first when it starts with gzip's magic bytes.
IdxArray loadIdx(const std::string& path);

// A data set from an image array (count, rows, columns) and a label array (count): pixels
// scaled to [0, 1], the first `limit` samples (all when limit ≤ 0), `classNames.size()`
// classes with every label below it.
Dataset idxImageDataset(const IdxArray& images, const IdxArray& labels, std::string_view source,
                        std::span<const std::string_view> classNames, int limit = 0);

// Fashion-MNIST from the Debian package dataset-fashion-mnist.
inline constexpr std::string_view kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
inline constexpr std::string_view kFashionMnistPackage = "dataset-fashion-mnist";
inline constexpr int kFashionMnistTrain = 60'000;
std::span<const std::string_view> fashionMnistClasses();

// The first `trainSamples` of the 60,000 training images and all 10,000 test images from the
// four IDX files in `dir`. A missing directory or file says which package to install.
Split loadFashionMnist(const std::string& dir, int trainSamples);

}  // namespace gradscope
