// Thread-count control and the small helpers that split work between OpenMP threads.
// Without OpenMP everything runs on one thread and these still compile.
#pragma once

#include <algorithm>
#include <span>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace gan::core {

/// Threads the library's kernels use (OpenMP's maximum; 1 without OpenMP).
inline int num_threads() {
#if defined(_OPENMP)
  return omp_get_max_threads();
#else
  return 1;
#endif
}

/// Sets the threads the library's kernels use. Throws gan::Error for n < 1.
inline void set_num_threads(int n) {
  GAN_CHECK(n >= 1, "thread count must be at least 1, got ", n);
#if defined(_OPENMP)
  omp_set_num_threads(n);
#endif
}

/// This thread's number inside a parallel region (0 outside).
inline int thread_id() {
#if defined(_OPENMP)
  return omp_get_thread_num();
#else
  return 0;
#endif
}

/// Threads in the current parallel region (1 outside).
inline int team_size() {
#if defined(_OPENMP)
  return omp_get_num_threads();
#else
  return 1;
#endif
}

/// Half-open range of part `part` of `parts` equal shares of [0, total), in units of
/// `grain` (the last part takes the remainder). Deterministic: depends only on its inputs.
struct Range {
  Index begin;
  Index end;
};
inline Range split_range(Index total, int part, int parts, Index grain = 1) {
  Index units = (total + grain - 1) / grain;
  Index per = units / parts, extra = units % parts;
  Index first = part * per + std::min<Index>(part, extra);
  Index count = per + (part < extra ? 1 : 0);
  return {std::min(total, first * grain), std::min(total, (first + count) * grain)};
}

/// Runs f(begin, end) on the OpenMP threads, each on its share of [0, n) in whole units
/// of `grain` (split_range), when n ≥ min_parallel, more than one thread is set and no
/// parallel region is open; otherwise runs f(0, n) on the calling thread. For element-wise
/// passes, whose results do not depend on how [0, n) is cut.
template <class F>
void parallel_ranges(Index n, [[maybe_unused]] Index grain, [[maybe_unused]] Index min_parallel,
                     F&& f) {
#if defined(_OPENMP)
  if (n >= min_parallel && num_threads() > 1 && !omp_in_parallel()) {
#pragma omp parallel
    {
      const Range r = split_range(n, thread_id(), team_size(), grain);
      if (r.end > r.begin) f(r.begin, r.end);
    }
    return;
  }
#endif
  if (n > 0) f(Index(0), n);
}

/// Below this many values parallel_fill stays on one thread (starting a team costs a few
/// microseconds, a memset of 2^18 floats tens).
inline constexpr Index parallel_fill_min = Index(1) << 18;

/// Sets every element of `values` to `value`, split between the OpenMP threads for long
/// spans: a large memset is bound by one core's store bandwidth, and zeroing a DCGAN's 13
/// million gradients before each backward pass was a serial part of a two-thread step.
template <class T>
void parallel_fill(std::span<T> values, const T& value) {
  // Whole cache lines to each thread, so that no two threads write the same line.
  parallel_ranges(static_cast<Index>(values.size()), std::max<Index>(1, Index(64 / sizeof(T))),
                  parallel_fill_min, [&](Index begin, Index end) {
                    std::fill(values.begin() + begin, values.begin() + end, value);
                  });
}

/// Scoped thread-count change: restores the previous count on exit.
class ThreadScope {
 public:
  explicit ThreadScope(int n) : m_previous(num_threads()) { set_num_threads(n); }
  ~ThreadScope() { set_num_threads(m_previous); }
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  int m_previous;
};

}  // namespace gan::core

namespace gan {
using core::num_threads;
using core::set_num_threads;
}  // namespace gan
