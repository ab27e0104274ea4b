// IDX files: the parser's happy path and each refusal, the gzip layer, images as a data set,
// and Fashion-MNIST from the installed package (skipped when it is not installed).
#include "core/dataset_idx.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace gradscope {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put32(Bytes& b, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

// An IDX file of unsigned bytes with these dimensions and values 0, 1, 2, ...
Bytes idx(std::vector<std::uint32_t> dims, std::size_t values = SIZE_MAX) {
  Bytes b{0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
  std::size_t n = 1;
  for (auto d : dims) put32(b, d), n *= d;
  if (values == SIZE_MAX) values = n;
  for (std::size_t i = 0; i < values; ++i) b.push_back(static_cast<std::uint8_t>(i));
  return b;
}

Bytes gzip(const Bytes& in, int level = 6) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  Bytes out(deflateBound(&z, static_cast<uLong>(in.size())) + 32);
  z.next_in = const_cast<Bytef*>(in.data());
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string errorOf(const Bytes& b) {
  try {
    parseIdx(b, "f.idx");
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string gunzipError(const Bytes& b, std::size_t max = 1 << 20) {
  try {
    gunzip(b, "f.gz", max);
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Idx, ParsesDimensionsAndValues) {
  const IdxArray a = parseIdx(idx({3, 2, 4}), "f.idx");
  EXPECT_EQ(a.dims, (std::vector<std::uint32_t>{3, 2, 4}));
  ASSERT_EQ(a.values.size(), 24u);
  EXPECT_EQ(a.values[0], 0);
  EXPECT_EQ(a.values[23], 23);
  const IdxArray l = parseIdx(idx({5}), "f.idx");
  EXPECT_EQ(l.dims, (std::vector<std::uint32_t>{5}));
  EXPECT_EQ(l.values.size(), 5u);
}

TEST(Idx, RefusesEachKindOfBadHeader) {
  EXPECT_EQ(errorOf({}), "f.idx: truncated IDX file (0 bytes; the magic number alone takes 4)");
  EXPECT_EQ(errorOf({0, 0, 8}),
            "f.idx: truncated IDX file (3 bytes; the magic number alone takes 4)");
  EXPECT_EQ(
      errorOf({0x1F, 0x8B, 8, 0}),
      "f.idx: not an IDX file (magic number 0x1F8B0800; IDX files start with two zero bytes)");
  EXPECT_EQ(errorOf({0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}),
            "f.idx: IDX value type 0x0D (float) is not supported; only unsigned bytes (0x08) are");
  EXPECT_EQ(errorOf({0, 0, 0x42, 1, 0, 0, 0, 1, 0}),
            "f.idx: IDX value type 0x42 is not a valid type; only unsigned bytes (0x08) are");
  EXPECT_EQ(errorOf({0, 0, 8, 0}),
            "f.idx: magic number 0x00000800 declares 0 dimensions; 1 to 4 are supported");
  EXPECT_EQ(errorOf({0, 0, 8, 5}),
            "f.idx: magic number 0x00000805 declares 5 dimensions; 1 to 4 are supported");
  EXPECT_EQ(errorOf({0, 0, 8, 3, 0, 0, 0, 1, 0, 0}),
            "f.idx: truncated IDX header (10 bytes; 3 dimensions need 16)");
  EXPECT_EQ(errorOf(idx({2, 0, 3})), "f.idx: dimension 2 is 0; the file holds nothing");
  EXPECT_EQ(errorOf(idx({65536, 65536}, 0)),
            "f.idx: dimensions too large (more than 67108864 values)");
  EXPECT_EQ(errorOf(idx({0xFFFFFFFFu}, 0)),
            "f.idx: dimensions too large (more than 67108864 values)");
}

TEST(Idx, RefusesTruncatedAndOversizedFiles) {
  EXPECT_EQ(errorOf(idx({2, 3, 3}, 17)),
            "f.idx: truncated IDX file (33 bytes; its dimensions need 34)");
  EXPECT_EQ(errorOf(idx({2, 3, 3}, 20)),
            "f.idx: 2 trailing bytes after the 18 values its dimensions declare");
}

TEST(Gzip, InflatesOneOrMoreMembers) {
  const Bytes a = idx({4, 3, 3}), b = idx({7});
  EXPECT_EQ(gunzip(gzip(a), "f.gz", 1 << 20), a);
  Bytes both = gzip(a);
  const Bytes second = gzip(b);
  both.insert(both.end(), second.begin(), second.end());
  Bytes joined = a;
  joined.insert(joined.end(), b.begin(), b.end());
  EXPECT_EQ(gunzip(both, "f.gz", 1 << 20), joined);
  // Larger than the first guess of the output size: the buffer grows.
  const Bytes big(300'000, 7);
  EXPECT_EQ(gunzip(gzip(big, 9), "f.gz", 1 << 20), big);
}

TEST(Gzip, RefusesCorruptTruncatedAndOversizedData) {
  const Bytes a = idx({40, 5, 5});
  Bytes packed = gzip(a);
  EXPECT_EQ(gunzipError(Bytes(packed.begin(), packed.begin() + packed.size() / 2)),
            "f.gz: truncated gzip data (the stream ends early)");
  EXPECT_EQ(gunzipError(Bytes(packed.begin(), packed.end() - 4)),
            "f.gz: truncated gzip data (the stream ends early)");
  EXPECT_EQ(gunzipError({}), "f.gz: truncated gzip data (the stream ends early)");
  Bytes corrupt = packed;
  corrupt[corrupt.size() - 6] ^= 0xFF;  // the CRC-32 of the content
  EXPECT_EQ(gunzipError(corrupt), "f.gz: corrupt gzip data (incorrect data check)");
  EXPECT_EQ(gunzipError({0x1F, 0x8B, 0x09, 0, 0, 0, 0, 0, 0, 0}),
            "f.gz: corrupt gzip data (unknown compression method)");
  // A small file that inflates beyond the limit (a "zip bomb") stops at the limit.
  const Bytes zeros(5'000'000, 0);
  EXPECT_EQ(gunzipError(gzip(zeros, 9), 1'000'000), "f.gz: inflates to more than 1000000 bytes");
  EXPECT_EQ(gunzip(gzip(zeros, 9), "f.gz", 5'000'000).size(), 5'000'000u);
}

class IdxFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("gradscope-idx-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
           "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string write(const std::string& name, const Bytes& b) {
    const std::string path = (dir / name).string();
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    return path;
  }
  std::filesystem::path dir;
};

TEST_F(IdxFiles, LoadsPlainAndGzippedFiles) {
  const Bytes a = idx({2, 2, 2});
  EXPECT_EQ(loadIdx(write("a.idx", a)).values, parseIdx(a, "x").values);
  EXPECT_EQ(loadIdx(write("a.idx.gz", gzip(a))).dims, (std::vector<std::uint32_t>{2, 2, 2}));
  const std::string bad = write("bad.gz", Bytes{0x1F, 0x8B, 8});
  try {
    loadIdx(bad);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()), bad + ": truncated gzip data (the stream ends early)");
  }
  EXPECT_THROW(loadIdx((dir / "none.gz").string()), DataError);
}

constexpr std::string_view kThree[] = {"a", "b", "c"};

std::string datasetError(const IdxArray& images, const IdxArray& labels) {
  try {
    idxImageDataset(images, labels, "f", kThree);
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(IdxDataset, ScalesPixelsAndKeepsTheImageShape) {
  IdxArray images{{4, 2, 3}, {}}, labels{{4}, {2, 0, 1, 2}};
  for (int i = 0; i < 24; ++i) images.values.push_back(static_cast<std::uint8_t>(i * 11));
  images.values[5] = 255;
  const Dataset d = idxImageDataset(images, labels, "f", kThree);
  EXPECT_EQ(d.features(), 6);
  EXPECT_EQ(d.samples(), 4);
  EXPECT_EQ(d.classes, 3);
  EXPECT_EQ(d.imageWidth, 3);
  EXPECT_EQ(d.imageHeight, 2);
  EXPECT_EQ(d.classNames, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(d.featureNames[4], "p1_1");
  EXPECT_FLOAT_EQ(d.X(0, 0), 0.0f);
  EXPECT_FLOAT_EQ(d.X(5, 0), 1.0f);
  EXPECT_FLOAT_EQ(d.X(1, 1), 77.0f / 255.0f);  // sample 1, pixel 1: value 7 · 11
  EXPECT_EQ(d.y, (Eigen::VectorXi(4) << 2, 0, 1, 2).finished());
  const Dataset first = idxImageDataset(images, labels, "f", kThree, 2);
  EXPECT_EQ(first.samples(), 2);
  EXPECT_EQ(first.X, d.X.leftCols(2));
}

TEST(IdxDataset, RefusesMismatchedFiles) {
  const IdxArray images{{2, 2, 2}, Bytes(8, 0)}, labels{{2}, {0, 1}};
  EXPECT_EQ(datasetError(labels, labels),
            "f: images need magic number 0x00000803 (count, rows, columns); this file has 1 "
            "dimensions");
  EXPECT_EQ(datasetError(images, images),
            "f: labels need magic number 0x00000801 (count); this file has 3 dimensions");
  EXPECT_EQ(datasetError(images, IdxArray{{3}, {0, 1, 2}}), "f: 2 images but 3 labels");
  EXPECT_EQ(datasetError(images, IdxArray{{2}, {0, 3}}),
            "f: label 3 of sample 2 is not a class (0 to 2)");
  EXPECT_EQ(datasetError(IdxArray{{1, 65, 64}, Bytes(65 * 64, 0)}, IdxArray{{1}, {0}}),
            "f: 65×64 images have more than 4096 pixels");
}

TEST(FashionMnist, MissingPackageSaysWhatToInstall) {
  try {
    loadFashionMnist("/nonexistent/gradscope/fashion-mnist", 100);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()),
              "Fashion-MNIST is not installed (/nonexistent/gradscope/fashion-mnist is missing): "
              "install the Debian package dataset-fashion-mnist (sudo apt-get install "
              "dataset-fashion-mnist)");
  }
}

TEST(FashionMnist, LoadsTheInstalledFiles) {
  const std::string dir(kFashionMnistDir);
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto start = std::chrono::steady_clock::now();
  const Split s = loadFashionMnist(dir, 10'000);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("Fashion-MNIST loaded in %.3f s\n", seconds);
  EXPECT_EQ(s.train.samples(), 10'000);
  EXPECT_EQ(s.test.samples(), 10'000);
  EXPECT_EQ(s.train.features(), 784);
  EXPECT_EQ(s.train.imageWidth, 28);
  EXPECT_EQ(s.test.imageHeight, 28);
  EXPECT_EQ(s.train.classes, 10);
  EXPECT_EQ(s.test.classNames[9], "Ankle boot");
  EXPECT_GE(s.train.X.minCoeff(), 0.0f);
  EXPECT_LE(s.train.X.maxCoeff(), 1.0f);
  EXPECT_FLOAT_EQ(s.train.X.maxCoeff(), 1.0f);
  // The official test set has exactly 1,000 images of each class.
  std::vector<int> perClass(10, 0);
  for (int i = 0; i < s.test.samples(); ++i) ++perClass[static_cast<size_t>(s.test.y[i])];
  for (int c = 0; c < 10; ++c) EXPECT_EQ(perClass[static_cast<size_t>(c)], 1000);
  // The first training image is an ankle boot (label 9), as in Zalando's README.
  EXPECT_EQ(s.train.y[0], 9);
  EXPECT_EQ(loadFashionMnist(dir, 60'000).train.samples(), 60'000);
}

}  // namespace
}  // namespace gradscope
