// Counting replacements for glibc's malloc family (see malloc_counter.h).
#include "support/malloc_counter.h"

#include <atomic>
#include <cstddef>
#include <cstdlib>

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

namespace gradscope::test {
bool canCountMallocs() { return GRADSCOPE_COUNT_MALLOC != 0; }
void startCountingMallocs() {
  g_allocations = 0;
  g_counting = true;
}
long stopCountingMallocs() {
  g_counting = false;
  return g_allocations.load();
}
}  // namespace gradscope::test

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
