// Flush-to-zero for the training loops (the worker thread and the headless commands). Once a
// network fits its data, losses and gradients shrink into the subnormal range (below ~1e-38), where
// x86 arithmetic runs many times slower: W2 of `gradscope bench` fell from ~5,200 to ~1,200 steps/s
// after a few thousand steps. Treating subnormals as zero (what torch.set_flush_denormal(True)
// does) keeps the speed and changes no value above 1e-38. Scoped: file parsing and writing keep
// full range.
#pragma once

#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

namespace gradscope {

class FlushDenormals {
 public:
#if defined(__SSE2__)
  // MXCSR bit 15: flush results to zero (FTZ); bit 6: read subnormal inputs as zero (DAZ).
  FlushDenormals() : m_saved(_mm_getcsr()) { _mm_setcsr(m_saved | 0x8040u); }
  ~FlushDenormals() { _mm_setcsr(m_saved); }
#else
  FlushDenormals() = default;
#endif
  FlushDenormals(const FlushDenormals&) = delete;
  FlushDenormals& operator=(const FlushDenormals&) = delete;

 private:
#if defined(__SSE2__)
  unsigned m_saved;
#endif
};

}  // namespace gradscope
