// A seeded random source whose draws are identical on every run and machine: std::mt19937_64
// is fully specified by the standard, and the conversions to uniform and normal are ours
// (std's distributions are implementation-defined).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace gradscope {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : m_engine(seed) {}

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Standard normal by Box–Muller (one value per call; 1 − u keeps the log finite).
  double normal() {
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  // Uniform integer in [0, n) (n > 0), by rejection so every value is equally likely.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x;
    do x = m_engine();
    while (x >= limit);
    return x % n;
  }

 private:
  std::mt19937_64 m_engine;
};

}  // namespace gradscope
