// Labelled data sets: the built-in 2-D generators (seeded, with sample count and noise), a
// seeded train/test split, and CSV import whose errors name the line and the column.
// Samples are columns: X is (features, samples), y holds one class index per sample.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gradscope {

enum class DatasetKind : std::uint8_t {
  Xor,
  Circle,
  Gaussians,
  Spiral,
  Moons,
  Checkerboard,
  FashionMnist,  // read from the installed IDX files, not generated (see dataset_idx.h)
};

struct DatasetInfo {
  DatasetKind id;
  std::string_view key;
  std::string_view name;
  std::string_view description;
};

std::span<const DatasetInfo> datasetTable();
const DatasetInfo& datasetInfo(DatasetKind k);
std::optional<DatasetKind> datasetFromKey(std::string_view key);
std::string_view datasetKeyList();

struct Dataset {
  Eigen::MatrixXf X;  // (features, samples)
  Eigen::VectorXi y;  // (samples) class index 0..classes−1
  int classes = 2;
  std::vector<std::string> featureNames;  // one per row of X
  std::vector<std::string> classNames;    // label text of each class index
  int imageWidth = 0, imageHeight = 0;    // > 0: each sample is an image, row-major

  int features() const { return static_cast<int>(X.rows()); }
  int samples() const { return static_cast<int>(X.cols()); }
};

inline constexpr int kMinSamples = 1;
inline constexpr int kMaxSamples = 1'000'000;
inline constexpr int kMaxFeatures = 4096;
inline constexpr int kMaxColumns = kMaxFeatures + 1;  // a CSV's: the features and the label

// The generated sets (every kind but FashionMnist) fill the square [−1, 1]² (noise may push points
// past it). Classes are balanced exactly: class c gets samples/2 points (class 0 takes an odd one
// out). `noise` is the standard deviation of Gaussian jitter added to each coordinate, in input
// units.
Dataset makeDataset(DatasetKind kind, int samples, double noise, std::uint64_t seed);

struct Split {
  Dataset train;
  Dataset test;
};

// Shuffles with `seed` and holds out round(testFraction · samples) samples (at most all but
// one); testFraction 0 keeps every sample for training in the original order.
Split splitDataset(const Dataset& data, double testFraction, std::uint64_t seed);

// Thrown by the CSV loader with a message such as "data.csv:12: column 3 ('x2'): 'abc' is not a
// number".
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// CSV with a header row, numeric feature columns and an integer class label in the last
// column. Comma-separated; blank lines are skipped; CRLF is accepted. Classes are the distinct
// labels in increasing order. `sourceName` prefixes the messages.
Dataset parseCsv(std::string_view text, std::string_view sourceName = "csv");
Dataset loadCsv(const std::string& path);

}  // namespace gradscope
