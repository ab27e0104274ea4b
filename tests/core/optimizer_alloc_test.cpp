// step() allocates nothing: every optimizer, with its stateful options on, runs steps on a
// network's parameters while malloc is counted. This executable replaces glibc's malloc family
// with counting wrappers (so Eigen's aligned allocations are seen too, not only operator new);
// under sanitizers, which replace malloc themselves, the test is skipped.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>

#include "core/mlp.h"
#include "core/optimizer/optimizer.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GRADSCOPE_COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define GRADSCOPE_COUNT_MALLOC 0
#endif
#endif
#if !defined(GRADSCOPE_COUNT_MALLOC)
#if defined(__GLIBC__)
#define GRADSCOPE_COUNT_MALLOC 1
#else
#define GRADSCOPE_COUNT_MALLOC 0
#endif
#endif

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace

#if GRADSCOPE_COUNT_MALLOC
namespace {
void noteAllocation() {
  if (g_counting.load(std::memory_order_relaxed))
    g_allocations.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);

void* malloc(std::size_t n) {
  noteAllocation();
  return __libc_malloc(n);
}
void* calloc(std::size_t count, std::size_t n) {
  noteAllocation();
  return __libc_calloc(count, n);
}
void* realloc(void* p, std::size_t n) {
  noteAllocation();
  return __libc_realloc(p, n);
}
void* memalign(std::size_t alignment, std::size_t n) {
  noteAllocation();
  return __libc_memalign(alignment, n);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) {
  noteAllocation();
  return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) {
  noteAllocation();
  void* p = __libc_memalign(alignment, n);
  if (!p) return 12;  // ENOMEM
  *out = p;
  return 0;
}
void free(void* p) { __libc_free(p); }
}
#endif

namespace gradscope {
namespace {

std::vector<OptimizerConfig> statefulConfigs() {
  using K = OptimizerKind;
  return {
      {K::SGD, {{"momentum", 0.9}, {"nesterov", 1}, {"weight_decay", 0.1}}},
      {K::Adadelta, {{"weight_decay", 0.1}}},
      {K::Adagrad, {{"lr_decay", 0.1}}},
      {K::Adam, {{"amsgrad", 1}}},
      {K::AdamW, {{"amsgrad", 1}}},
      {K::SparseAdam, {}},
      {K::Adamax, {}},
      {K::ASGD, {{"t0", 2}}},
      {K::LBFGS, {{"max_iter", 5}, {"history_size", 3}}},
      {K::LBFGS, {{"max_iter", 5}, {"history_size", 3}, {"line_search_fn", 1}, {"lr", 10}}},
      {K::NAdam, {}},
      {K::RAdam, {}},
      {K::RMSprop, {{"centered", 1}, {"momentum", 0.9}}},
      {K::Rprop, {}},
  };
}

TEST(OptimizerAllocations, StepAllocatesNothing) {
  if (!GRADSCOPE_COUNT_MALLOC) GTEST_SKIP() << "malloc is not ours to count here";
  MlpShape shape;
  shape.inputs = 2;
  shape.hidden = {{16, Activation::ReLU, 0.0}, {16, Activation::PReLU, 0.25}};
  shape.outputs = 1;
  for (const auto& config : statefulConfigs()) {
    Mlp net(shape);
    Rng rng(1);
    net.initialize(Init::HeNormal, 0.1f, rng);
    auto views = net.parameters();
    // A quadratic bowl around 0.3 over every parameter: the closure itself allocates nothing.
    const Closure closure = [&views] {
      float loss = 0;
      for (const auto& p : views)
        for (Eigen::Index i = 0; i < p.size; ++i) {
          const float e = p.value[i] - 0.3f;
          p.grad[i] = (i % 3 == 0) ? 0.0f : e;  // some exact zeros, as dead units give
          loss += 0.5f * e * e;
        }
      return loss;
    };
    auto opt = makeOptimizer(config, views);
    g_allocations = 0;
    g_counting = true;
    for (int s = 0; s < 10; ++s) opt->step(closure(), closure);
    g_counting = false;
    EXPECT_EQ(g_allocations.load(), 0) << optimizerInfo(config.kind).name;
    opt->reset();
  }
}

TEST(OptimizerAllocations, TheCounterSeesEigenAllocations) {
  if (!GRADSCOPE_COUNT_MALLOC) GTEST_SKIP() << "malloc is not ours to count here";
  g_allocations = 0;
  g_counting = true;
  Eigen::VectorXf v(1000);
  __asm__ __volatile__("" : : "r"(v.data()) : "memory");  // keep the allocation observable
  g_counting = false;
  EXPECT_GE(g_allocations.load(), 1);
}

}  // namespace
}  // namespace gradscope
