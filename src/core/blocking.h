// Eigen cuts a matrix product into blocks sized from the CPU's cache sizes (cpuid), and the depth
// of a block decides where a dot product's sum is split: the same binary sums a 784-input layer
// (Fashion-MNIST's first) in another order on a CPU with a 48 KiB L1 than on one with 32 KiB. A
// network built by gradscope sets Eigen's cache sizes to these fixed values once, so a build
// gives the same bytes on every CPU it runs on (README, "What is bit-identical").
#pragma once

#include <cstddef>

namespace gradscope {

inline constexpr std::ptrdiff_t kBlockingL1 = 32 * 1024;
inline constexpr std::ptrdiff_t kBlockingL2 = 1024 * 1024;
inline constexpr std::ptrdiff_t kBlockingL3 = 32 * 1024 * 1024;

// Sets Eigen's cache sizes to the values above, once per process (thread-safe); every BasicMlp
// constructor calls it.
void useFixedBlocking();

}  // namespace gradscope
