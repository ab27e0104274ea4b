// The matrix products of one W4 training step alone (2 → 64×256 → 1, batch 32: 63 layers of
// 256 × 256, each with the forward W·a, the weight gradient dz·aᵀ and the backpropagated
// Wᵀ·dz), through Eigen as BasicMlp computes them, each layer with its own W and dW so memory
// behaves as in training. Prints milliseconds per step; scripts/bench-torch times the same
// products in PyTorch, so the two GEMM libraries can be compared apart from everything else.
//
//   torch_gemm_floor [seconds]
#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  const double budget = argc > 1 ? std::atof(argv[1]) : 3.0;
  constexpr int kLayers = 63, kWidth = 256, kBatch = 32;
  std::vector<Eigen::MatrixXf> W(kLayers, Eigen::MatrixXf::Random(kWidth, kWidth));
  std::vector<Eigen::MatrixXf> dW(kLayers, Eigen::MatrixXf(kWidth, kWidth));
  const Eigen::MatrixXf a = Eigen::MatrixXf::Random(kWidth, kBatch);
  const Eigen::MatrixXf dz = Eigen::MatrixXf::Random(kWidth, kBatch);
  Eigen::MatrixXf z(kWidth, kBatch), da(kWidth, kBatch);
  const auto step = [&] {
    for (int l = 0; l < kLayers; ++l) {
      z.noalias() = W[l] * a;
      dW[l].noalias() = dz * a.transpose();
      da.noalias() = W[l].transpose() * dz;
    }
  };
  for (int i = 0; i < 3; ++i) step();
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  int n = 0;
  double elapsed = 0;
  while (elapsed < budget) {
    step();
    ++n;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  std::printf("%.2f\n", 1e3 * elapsed / n);
}
