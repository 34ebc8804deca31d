// Reductions in a fixed order: column sums (bias gradients) and lane sums, the building
// block of the normalization statistics (simd/channel_stats.hpp, layer/layer_norm.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "gan/core/shape.hpp"

namespace gan::simd {

/// out[j] += Σ_i a[i·cols + j] for a rows×cols row-major matrix. Summation runs down the
/// rows in order, so the result does not depend on the thread count.
template <class T>
void add_column_sums(const T* a, Index rows, Index cols, T* out) {
  for (Index i = 0; i < rows; ++i) {
    const T* row = a + i * cols;
    for (Index j = 0; j < cols; ++j) out[j] += row[j];
  }
}

/// Independent partial sums a lane sum keeps: one AVX-512 register of doubles, two AVX2
/// ones. Value j always lands in lane j mod reduce_lanes, so the order of additions is
/// fixed by the count alone (not by threads, nor by the instruction set).
inline constexpr Index reduce_lanes = 8;

/// K sums at once: out[k] = Σ_{j < count} term(j)[k], where term(j) returns a
/// std::array<double, K>. Accumulated in double (a float channel of 64×28×28 values keeps
/// float precision) across reduce_lanes partial sums that the compiler keeps in vector
/// registers, then the lanes are added in order.
template <std::size_t K, class Term>
std::array<double, K> lane_sums(Index count, Term&& term) {
  constexpr Index L = reduce_lanes;
  double acc[K][L] = {};
  Index j = 0;
  for (; j + L <= count; j += L) {
    for (Index l = 0; l < L; ++l) {
      const std::array<double, K> t = term(j + l);
      for (std::size_t k = 0; k < K; ++k) acc[k][l] += t[k];
    }
  }
  for (Index l = 0; j + l < count; ++l) {
    const std::array<double, K> t = term(j + l);
    for (std::size_t k = 0; k < K; ++k) acc[k][l] += t[k];
  }
  std::array<double, K> out{};
  for (std::size_t k = 0; k < K; ++k)
    for (Index l = 0; l < L; ++l) out[k] += acc[k][l];
  return out;
}

namespace detail {

/// Σ x[i]² in double on the calling thread. The additions may be reordered into SIMD
/// partial sums (an OpenMP simd reduction): the result depends on the build's instruction
/// set. A single chain of dependent additions ran at one value per four cycles and was a
/// seventh of an MLP GAN step (W1), where the model takes the norm of every gradient.
template <class T>
double sum_of_squares_serial(const T* x, Index n) {
  double s = 0;
#if defined(_OPENMP)
#pragma omp simd reduction(+ : s)
#endif
  for (Index i = 0; i < n; ++i) s += static_cast<double>(x[i]) * static_cast<double>(x[i]);
  return s;
}

/// sum_of_squares cuts its input into at most this many chunks of at least
/// sum_of_squares_min_chunk values, whose sums are added in order.
inline constexpr Index sum_of_squares_max_chunks = 256;
inline constexpr Index sum_of_squares_min_chunk = Index(1) << 16;

}  // namespace detail

/// Σ x[i]² in double. The input is cut into chunks that depend on n alone, each summed by
/// sum_of_squares_serial (on the OpenMP threads when there are several chunks), and the
/// chunk sums are added in order: the result depends on the build's instruction set,
/// never on the thread count. The norms of a DCGAN's gradients (13 million values) were
/// a serial pass of 2% of a step on one thread, and more of it on two.
template <class T>
double sum_of_squares(const T* x, Index n) {
  using namespace detail;
  if (n <= sum_of_squares_min_chunk) return sum_of_squares_serial(x, n);
  const Index per = (n + sum_of_squares_max_chunks - 1) / sum_of_squares_max_chunks;
  const Index chunk =
      per > sum_of_squares_min_chunk ? (per + 63) / 64 * 64 : sum_of_squares_min_chunk;
  const Index chunks = (n + chunk - 1) / chunk;
  double partial[sum_of_squares_max_chunks];
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (n >= 4 * sum_of_squares_min_chunk && \
                                              !omp_in_parallel())
#endif
  for (Index c = 0; c < chunks; ++c) {
    const Index begin = c * chunk;
    partial[c] = sum_of_squares_serial(x + begin, std::min(chunk, n - begin));
  }
  double s = 0;
  for (Index c = 0; c < chunks; ++c) s += partial[c];
  return s;
}

/// Mean and biased variance of a run of values.
struct Moments {
  double mean = 0;
  double variance = 0;
};

/// Mean and biased variance of `count` values from the sums Σd and Σd² of d = x − shift.
/// With a shift near the data (one of the values), Σd² − (Σd)²/n does not cancel
/// catastrophically when the mean is large against the spread, as Σx² − (Σx)²/n would.
inline Moments shifted_moments(double sum, double sum_sq, double shift, double count) {
  const double mean = sum / count;
  const double variance = sum_sq / count - mean * mean;
  return {shift + mean, variance > 0 ? variance : 0};
}

/// Mean and biased variance of x[0..count) in one pass, shifted by x[0].
template <class T>
Moments moments(const T* x, Index count) {
  if (count <= 0) return {};
  const double shift = static_cast<double>(x[0]);
  const auto s = lane_sums<2>(count, [&](Index j) {
    const double d = static_cast<double>(x[j]) - shift;
    return std::array<double, 2>{d, d * d};
  });
  return shifted_moments(s[0], s[1], shift, static_cast<double>(count));
}

}  // namespace gan::simd
