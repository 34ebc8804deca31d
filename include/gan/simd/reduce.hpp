// Reductions in a fixed order: column sums (bias gradients) and lane sums, the building
// block of the normalization statistics (simd/channel_stats.hpp, layer/layer_norm.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>

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

namespace detail {
/// reduce_lanes doubles, lane by lane: a GNU vector, which the compiler keeps in one
/// AVX-512 register, two AVX2 or four SSE2 ones, and whose operations are those of the
/// scalars on each lane. Wrapped in a struct, which every build passes in memory: a bare
/// 64-byte vector is passed in a register only with AVX-512, an ABI difference that GCC
/// reports at each call (-Wpsabi).
struct DoubleLanes {
  typedef double Vector __attribute__((vector_size(reduce_lanes * sizeof(double))));
  Vector v;
  double operator[](Index l) const { return v[l]; }
  DoubleLanes& operator+=(DoubleLanes b) {
    v += b.v;
    return *this;
  }
  // What the terms use: a value less a shift, and products.
  friend DoubleLanes operator-(DoubleLanes a, double b) { return {a.v - b}; }
  friend DoubleLanes operator*(DoubleLanes a, DoubleLanes b) { return {a.v * b.v}; }
};
}  // namespace detail

/// Where a lane_sums term reads: at(p) is value k of the array p as a double.
struct ValueAt {
  Index k;
  template <class T>
  double operator()(const T* p) const {
    return static_cast<double>(p[k]);
  }
  ValueAt operator+(Index offset) const { return {k + offset}; }
};

/// Where a lane_sums term reads a whole block: at(p) is values k … k + reduce_lanes of p
/// as a vector of doubles, lane l holding p[k + l].
struct LanesAt {
  Index k;
  template <class T>
  detail::DoubleLanes operator()(const T* p) const {
    typedef T Values __attribute__((vector_size(reduce_lanes * sizeof(T))));
    Values v;
    std::memcpy(&v, p + k, sizeof v);
    return {__builtin_convertvector(v, detail::DoubleLanes::Vector)};
  }
  LanesAt operator+(Index offset) const { return {k + offset}; }
};

/// K sums at once: out[k] = Σ_{j < count} term(at_j)[k], where term(at) reads its inputs
/// through at(p) (value j of p, as a double) and returns a std::array of K values, written
/// once for both kinds of `at`: ValueAt, for which the values are doubles, and, for each
/// whole block of reduce_lanes values, LanesAt, for which they are vectors of doubles
/// (a term that is plain arithmetic on what at(p) gives works for both). Accumulated in
/// double (a float channel of 64×28×28 values keeps float precision) across reduce_lanes
/// partial sums, then the lanes are added in order. The vectors do lane by lane what the
/// scalar loop did, in the same order, so the sums are the same bit for bit (on SSE2,
/// AVX2 and AVX-512 alike). GCC 12 left the scalar loop of two sums unvectorized:
/// channel_moments of a 64×64×14×14 batch, one of W2's BatchNorms, took 400 µs on one
/// Zen 5 core, and takes 158 µs on the vectors.
template <std::size_t K, class Term>
std::array<double, K> lane_sums(Index count, Term&& term) {
  constexpr Index L = reduce_lanes;
  Index j = 0;
  std::array<detail::DoubleLanes, K> acc{};
  for (; j + L <= count; j += L) {
    const auto t = term(LanesAt{j});
    for (std::size_t k = 0; k < K; ++k) acc[k] += t[k];
  }
  for (Index l = 0; j + l < count; ++l) {
    const auto t = term(ValueAt{j + l});
    for (std::size_t k = 0; k < K; ++k) acc[k].v[l] += t[k];
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
  const auto s = lane_sums<2>(count, [&](auto at) {
    const auto d = at(x) - shift;
    return std::array{d, d * d};
  });
  return shifted_moments(s[0], s[1], shift, static_cast<double>(count));
}

}  // namespace gan::simd
