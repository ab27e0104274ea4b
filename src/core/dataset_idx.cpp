// IDX parsing, gzip inflation and Fashion-MNIST loading (see dataset_idx.h).
#include "core/dataset_idx.h"

#include <zlib.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace gradscope {
namespace {

std::string hex8(std::uint32_t v) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out.push_back(digits[(v >> shift) & 0xF]);
  return out;
}

std::uint32_t bigEndian(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

std::string_view typeName(std::uint8_t type) {
  switch (type) {
    case 0x08:
      return "unsigned byte";
    case 0x09:
      return "signed byte";
    case 0x0B:
      return "short";
    case 0x0C:
      return "int";
    case 0x0D:
      return "float";
    case 0x0E:
      return "double";
    default:
      return {};
  }
}

std::vector<std::uint8_t> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open the file");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad()) throw DataError(path + ": cannot read the file");
  return bytes;
}

constexpr std::array<std::string_view, 10> kFashionClasses{
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

}  // namespace

IdxArray parseIdx(std::span<const std::uint8_t> bytes, std::string_view source) {
  const std::string src(source);
  if (bytes.size() < 4)
    throw DataError(src + ": truncated IDX file (" + std::to_string(bytes.size()) +
                    " bytes; the magic number alone takes 4)");
  const std::uint32_t magic = bigEndian(bytes.data());
  if (bytes[0] != 0 || bytes[1] != 0)
    throw DataError(src + ": not an IDX file (magic number " + hex8(magic) +
                    "; IDX files start with two zero bytes)");
  const std::uint8_t type = bytes[2];
  if (type != 0x08) {
    const std::string_view name = typeName(type);
    throw DataError(src + ": IDX value type 0x" + hex8(type).substr(8) +
                    (name.empty() ? std::string(" is not a valid type")
                                  : " (" + std::string(name) + ") is not supported") +
                    "; only unsigned bytes (0x08) are");
  }
  const int rank = bytes[3];
  if (rank < 1 || rank > kMaxIdxDims)
    throw DataError(src + ": magic number " + hex8(magic) + " declares " + std::to_string(rank) +
                    " dimensions; 1 to " + std::to_string(kMaxIdxDims) + " are supported");
  const std::size_t header = 4 + 4 * static_cast<std::size_t>(rank);
  if (bytes.size() < header)
    throw DataError(src + ": truncated IDX header (" + std::to_string(bytes.size()) + " bytes; " +
                    std::to_string(rank) + " dimensions need " + std::to_string(header) + ")");
  IdxArray out;
  std::size_t count = 1;
  for (int d = 0; d < rank; ++d) {
    const std::uint32_t n = bigEndian(bytes.data() + 4 + 4 * d);
    if (n == 0)
      throw DataError(src + ": dimension " + std::to_string(d + 1) +
                      " is 0; the file holds nothing");
    if (n > kMaxIdxBytes || count * n > kMaxIdxBytes)
      throw DataError(src + ": dimensions too large (more than " + std::to_string(kMaxIdxBytes) +
                      " values)");
    count *= n;
    out.dims.push_back(n);
  }
  const std::size_t expected = header + count;
  if (bytes.size() < expected)
    throw DataError(src + ": truncated IDX file (" + std::to_string(bytes.size()) +
                    " bytes; its dimensions need " + std::to_string(expected) + ")");
  if (bytes.size() > expected)
    throw DataError(src + ": " + std::to_string(bytes.size() - expected) +
                    " trailing bytes after the " + std::to_string(count) +
                    " values its dimensions declare");
  out.values.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
  return out;
}

std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> bytes, std::string_view source,
                                 std::size_t maxBytes) {
  const std::string src(source);
  z_stream z{};
  // 16 + MAX_WBITS: a gzip wrapper, not zlib's.
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw DataError(src + ": zlib failed to start");
  std::vector<std::uint8_t> out;
  out.resize(std::min<std::size_t>(maxBytes + 1, std::max<std::size_t>(bytes.size() * 4, 4096)));
  std::size_t used = 0;
  std::size_t inAt = 0;
  auto fail = [&](const std::string& what) {
    inflateEnd(&z);
    return DataError(src + ": " + what);
  };
  for (;;) {
    // zlib counts in uInt: feed and drain at most 1 GiB at a time.
    constexpr std::size_t kStep = std::size_t{1} << 30;
    if (used == out.size()) {
      if (out.size() > maxBytes)
        throw fail("inflates to more than " + std::to_string(maxBytes) + " bytes");
      out.resize(std::min(maxBytes + 1, out.size() * 2));
    }
    const std::size_t inLeft = bytes.size() - inAt;
    z.next_in = const_cast<Bytef*>(bytes.data() + inAt);
    z.avail_in = static_cast<uInt>(std::min(inLeft, kStep));
    z.next_out = out.data() + used;
    z.avail_out = static_cast<uInt>(std::min(out.size() - used, kStep));
    const uInt inBefore = z.avail_in, outBefore = z.avail_out;
    const int rc = inflate(&z, Z_NO_FLUSH);
    inAt += inBefore - z.avail_in;
    used += outBefore - z.avail_out;
    if (used > maxBytes) throw fail("inflates to more than " + std::to_string(maxBytes) + " bytes");
    if (rc == Z_STREAM_END) {
      if (inAt == bytes.size()) break;
      // Another gzip member follows (as `cat a.gz b.gz` makes).
      if (inflateReset(&z) != Z_OK) throw fail("zlib failed to continue");
      continue;
    }
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT)
      throw fail(std::string("corrupt gzip data (") + (z.msg ? z.msg : "zlib data error") + ")");
    if (rc == Z_MEM_ERROR) throw fail("out of memory while inflating");
    if (rc != Z_OK && rc != Z_BUF_ERROR) throw fail("zlib error " + std::to_string(rc));
    // All input read, room left for output, and no end of stream: the data stops early.
    if (inAt == bytes.size() && z.avail_out > 0)
      throw fail("truncated gzip data (the stream ends early)");
  }
  inflateEnd(&z);
  out.resize(used);
  return out;
}

IdxArray loadIdx(const std::string& path) {
  const std::vector<std::uint8_t> bytes = readFile(path);
  if (bytes.size() >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
    return parseIdx(gunzip(bytes, path, kMaxIdxBytes + 4 + 4 * kMaxIdxDims), path);
  return parseIdx(bytes, path);
}

Dataset idxImageDataset(const IdxArray& images, const IdxArray& labels, std::string_view source,
                        std::span<const std::string_view> classNames, int limit) {
  const std::string src(source);
  if (images.dims.size() != 3)
    throw DataError(src +
                    ": images need magic number 0x00000803 (count, rows, columns); this "
                    "file has " +
                    std::to_string(images.dims.size()) + " dimensions");
  if (labels.dims.size() != 1)
    throw DataError(src + ": labels need magic number 0x00000801 (count); this file has " +
                    std::to_string(labels.dims.size()) + " dimensions");
  const std::uint32_t count = images.dims[0], rows = images.dims[1], cols = images.dims[2];
  if (labels.dims[0] != count)
    throw DataError(src + ": " + std::to_string(count) + " images but " +
                    std::to_string(labels.dims[0]) + " labels");
  if (static_cast<std::uint64_t>(rows) * cols > static_cast<std::uint64_t>(kMaxFeatures))
    throw DataError(src + ": " + std::to_string(rows) + "×" + std::to_string(cols) +
                    " images have more than " + std::to_string(kMaxFeatures) + " pixels");
  if (count > static_cast<std::uint32_t>(kMaxSamples))
    throw DataError(src + ": " + std::to_string(count) + " images; at most " +
                    std::to_string(kMaxSamples) + " are supported");
  const int classes = static_cast<int>(classNames.size());
  const int n = limit > 0 ? std::min(limit, static_cast<int>(count)) : static_cast<int>(count);
  const int pixels = static_cast<int>(rows * cols);
  Dataset d;
  d.classes = classes;
  for (auto name : classNames) d.classNames.emplace_back(name);
  d.imageWidth = static_cast<int>(cols);
  d.imageHeight = static_cast<int>(rows);
  d.featureNames.reserve(static_cast<std::size_t>(pixels));
  for (std::uint32_t r = 0; r < rows; ++r)
    for (std::uint32_t c = 0; c < cols; ++c)
      d.featureNames.push_back("p" + std::to_string(r) + "_" + std::to_string(c));
  d.X.resize(pixels, n);
  d.y.resize(n);
  const std::uint8_t* px = images.values.data();
  for (int i = 0; i < n; ++i) {
    const int label = labels.values[static_cast<std::size_t>(i)];
    if (label >= classes)
      throw DataError(src + ": label " + std::to_string(label) + " of sample " +
                      std::to_string(i + 1) + " is not a class (0 to " +
                      std::to_string(classes - 1) + ")");
    d.y[i] = label;
    float* col = d.X.col(i).data();
    const std::uint8_t* from = px + static_cast<std::size_t>(i) * static_cast<std::size_t>(pixels);
    for (int p = 0; p < pixels; ++p) col[p] = static_cast<float>(from[p]) * (1.0f / 255.0f);
  }
  return d;
}

std::span<const std::string_view> fashionMnistClasses() { return kFashionClasses; }

Split loadFashionMnist(const std::string& dir, int trainSamples) {
  namespace fs = std::filesystem;
  const std::string install = "install the Debian package " + std::string(kFashionMnistPackage) +
                              " (sudo apt-get install " + std::string(kFashionMnistPackage) + ")";
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw DataError("Fashion-MNIST is not installed (" + dir + " is missing): " + install);
  auto file = [&](const char* name) {
    const std::string path = (fs::path(dir) / name).string();
    if (!fs::exists(path, ec))
      throw DataError("Fashion-MNIST is incomplete (" + path + " is missing): " + install);
    return path;
  };
  const std::string trainImages = file("train-images-idx3-ubyte.gz"),
                    trainLabels = file("train-labels-idx1-ubyte.gz"),
                    testImages = file("t10k-images-idx3-ubyte.gz"),
                    testLabels = file("t10k-labels-idx1-ubyte.gz");
  Split s;
  s.train = idxImageDataset(loadIdx(trainImages), loadIdx(trainLabels), trainImages,
                            kFashionClasses, trainSamples);
  s.test = idxImageDataset(loadIdx(testImages), loadIdx(testLabels), testImages, kFashionClasses);
  return s;
}

}  // namespace gradscope
