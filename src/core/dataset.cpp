// Built-in 2-D data sets and the train/test split.
#include "core/dataset.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <numeric>

#include "core/rng.h"

namespace gradscope {
namespace {

constexpr std::array<DatasetInfo, 7> kTable{{
    {DatasetKind::Xor, "xor", "XOR", "Quadrants: class 1 where the signs of x1 and x2 differ"},
    {DatasetKind::Circle, "circle", "Circle", "A disc (class 1) inside a ring (class 0)"},
    {DatasetKind::Gaussians, "gaussians", "Two gaussians", "Two blobs, linearly separable"},
    {DatasetKind::Spiral, "spiral", "Spiral", "Two interleaved spiral arms"},
    {DatasetKind::Moons, "moons", "Moons", "Two interleaving half circles"},
    {DatasetKind::Checkerboard, "checkerboard", "Checkerboard", "A 4×4 board of alternating cells"},
    {DatasetKind::FashionMnist, "fashion-mnist", "Fashion-MNIST",
     "28×28 grey images of clothing in 10 classes (the Debian package dataset-fashion-mnist)"},
}};

struct Point {
  double x, y;
};

Point samplePoint(DatasetKind kind, int label, Rng& rng) {
  constexpr double pi = std::numbers::pi;
  switch (kind) {
    case DatasetKind::Xor: {
      // Class 1: quadrants II and IV. A small margin off the axes keeps the classes apart.
      const double margin = 0.05;
      double x = rng.uniform(margin, 1.0), y = rng.uniform(margin, 1.0);
      const bool flip = rng.uniform() < 0.5;
      if (label == 1)
        (flip ? x : y) *= -1.0;
      else if (flip)
        x *= -1.0, y *= -1.0;
      return {x, y};
    }
    case DatasetKind::Circle: {
      const double r = label == 1 ? rng.uniform(0.0, 0.5) : rng.uniform(0.7, 1.0);
      const double t = rng.uniform(0.0, 2.0 * pi);
      return {r * std::cos(t), r * std::sin(t)};
    }
    case DatasetKind::Gaussians: {
      const double c = label == 1 ? 0.45 : -0.45;
      return {rng.normal(c, 0.2), rng.normal(c, 0.2)};
    }
    case DatasetKind::Spiral: {
      const double t = rng.uniform();
      const double r = 0.05 + 0.9 * t;
      const double angle = 1.75 * 2.0 * pi * t + (label == 1 ? pi : 0.0);
      return {r * std::sin(angle), r * std::cos(angle)};
    }
    case DatasetKind::Moons: {
      // sklearn's make_moons, centred and scaled by 1/1.5 into the square.
      const double t = rng.uniform(0.0, pi);
      const double x = label == 0 ? std::cos(t) : 1.0 - std::cos(t);
      const double y = label == 0 ? std::sin(t) : 0.5 - std::sin(t);
      return {(x - 0.5) / 1.5, (y - 0.25) / 1.5};
    }
    case DatasetKind::FashionMnist:
      break;
    case DatasetKind::Checkerboard: {
      // Pick a cell of the right colour, then a point inside it.
      for (;;) {
        const int cx = static_cast<int>(rng.below(4)), cy = static_cast<int>(rng.below(4));
        if ((cx + cy) % 2 != label) continue;
        return {-1.0 + 0.5 * (cx + rng.uniform()), -1.0 + 0.5 * (cy + rng.uniform())};
      }
    }
  }
  return {0, 0};
}

}  // namespace

std::span<const DatasetInfo> datasetTable() { return kTable; }
const DatasetInfo& datasetInfo(DatasetKind k) { return kTable[static_cast<size_t>(k)]; }

std::optional<DatasetKind> datasetFromKey(std::string_view key) {
  for (const auto& info : kTable)
    if (info.key == key) return info.id;
  return std::nullopt;
}

std::string_view datasetKeyList() {
  return "xor, circle, gaussians, spiral, moons, checkerboard, fashion-mnist";
}

Dataset makeDataset(DatasetKind kind, int samples, double noise, std::uint64_t seed) {
  if (samples < 2 || samples > kMaxSamples)
    throw std::invalid_argument("samples must be 2 to " + std::to_string(kMaxSamples));
  if (!(noise >= 0.0) || noise > 1.0) throw std::invalid_argument("noise must be 0 to 1");
  if (kind == DatasetKind::FashionMnist)
    throw std::invalid_argument("fashion-mnist is read from its files (loadFashionMnist)");
  Rng rng(seed);
  Dataset d;
  d.X.resize(2, samples);
  d.y.resize(samples);
  d.classes = 2;
  d.featureNames = {"x1", "x2"};
  d.classNames = {"0", "1"};
  const int ones = samples / 2;
  for (int i = 0; i < samples; ++i) {
    // Alternate the classes so any prefix of the set is balanced too.
    const int label = (i % 2 == 1 && i / 2 < ones) ? 1 : 0;
    Point p = samplePoint(kind, label, rng);
    if (noise > 0.0) p.x += rng.normal(0.0, noise), p.y += rng.normal(0.0, noise);
    d.X(0, i) = static_cast<float>(p.x);
    d.X(1, i) = static_cast<float>(p.y);
    d.y[i] = label;
  }
  return d;
}

Split splitDataset(const Dataset& data, double testFraction, std::uint64_t seed) {
  if (!(testFraction >= 0.0) || testFraction >= 1.0)
    throw std::invalid_argument("test fraction must be in [0, 1)");
  const int n = data.samples();
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  int testCount = static_cast<int>(std::lround(testFraction * n));
  testCount = std::clamp(testCount, 0, n - 1);
  if (testCount > 0) {
    Rng rng(seed ^ 0x9E3779B97F4A7C15ULL);
    for (int i = n - 1; i > 0; --i)  // Fisher–Yates
      std::swap(order[i], order[static_cast<int>(rng.below(static_cast<std::uint64_t>(i) + 1))]);
  }
  auto take = [&](int from, int count) {
    Dataset d;
    d.classes = data.classes;
    d.featureNames = data.featureNames;
    d.classNames = data.classNames;
    d.imageWidth = data.imageWidth;
    d.imageHeight = data.imageHeight;
    d.X.resize(data.features(), count);
    d.y.resize(count);
    for (int i = 0; i < count; ++i) {
      d.X.col(i) = data.X.col(order[from + i]);
      d.y[i] = data.y[order[from + i]];
    }
    return d;
  };
  Split s;
  s.train = take(0, n - testCount);
  s.test = take(n - testCount, testCount);
  return s;
}

}  // namespace gradscope
