// Reductions in a fixed order: column sums (bias gradients) and lane sums, the building
// block of the normalization statistics (simd/channel_stats.hpp, layer/layer_norm.hpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <type_traits>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "gan/core/shape.hpp"
#include "gan/core/xsimd.hpp"

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
/// Whether the build has SIMD registers of doubles (SSE2, AVX, AVX-512, NEON64).
inline constexpr bool has_double_registers =
    xsimd::has_simd_register<double, xsimd::default_arch>::value;

/// One register of doubles (a scalar where the build has none), what a lane-sum term
/// computes on, and its lanes (2 with SSE2, 4 with AVX, 8 with AVX-512): reduce_lanes
/// lanes are register_parts of them.
using DoubleRegister =
    std::conditional_t<has_double_registers, xsimd::batch<double>, double>;
inline constexpr Index register_lanes = [] {
  if constexpr (has_double_registers)
    return std::min(reduce_lanes, Index(xsimd::batch<double>::size));
  else
    return Index(1);
}();
inline constexpr Index register_parts = reduce_lanes / register_lanes;
static_assert(register_parts * register_lanes == reduce_lanes);

/// values p[0 … register_lanes) of type T as a register of doubles.
template <class T>
DoubleRegister to_doubles(const T* p) {
  if constexpr (has_double_registers) {
    typedef T Values __attribute__((vector_size(register_lanes * sizeof(T))));
    typedef double Doubles __attribute__((vector_size(register_lanes * sizeof(double))));
    Values values;
    std::memcpy(&values, p, sizeof values);
    return DoubleRegister(__builtin_convertvector(values, Doubles));
  } else {
    return static_cast<double>(*p);
  }
}

/// The lanes of a register, stored at out.
template <class R>
void store_lanes(const R& r, double* out) {
  if constexpr (std::is_same_v<R, double>)
    *out = r;
  else
    r.store_unaligned(out);
}
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

/// Where a lane_sums term reads one register's worth: at(p) is values k … k + W of p (W
/// the doubles of one SIMD register) as xsimd doubles, lane l holding p[k + l].
struct LanesAt {
  Index k;
  template <class T>
  detail::DoubleRegister operator()(const T* p) const {
    return detail::to_doubles(p + k);
  }
  LanesAt operator+(Index offset) const { return {k + offset}; }
};

/// The partial sums of K lane sums: lane l of sum k is registers[k][l / W] lane l mod W
/// (whole blocks of values), plus tails[k][l] (the values past the last whole block).
/// The tails are kept apart so that the values past the last block are plain scalar
/// additions, and the register sums a plain array the compiler keeps in registers.
template <std::size_t K>
struct LaneSums {
  std::array<std::array<detail::DoubleRegister, detail::register_parts>, K> registers{};
  std::array<std::array<double, reduce_lanes>, K> tails{};

  /// Sum k: each lane's register part plus its tail, the lanes added in order.
  std::array<double, K> totals() const {
    std::array<double, K> out{};
    for (std::size_t k = 0; k < K; ++k) {
      alignas(64) double lanes[reduce_lanes];
      for (Index p = 0; p < detail::register_parts; ++p)
        detail::store_lanes(registers[k][p], lanes + p * detail::register_lanes);
      for (Index l = 0; l < reduce_lanes; ++l) out[k] += lanes[l] + tails[k][l];
    }
    return out;
  }
};

/// Adds to the K sums the terms of count values: lane l of sum k gets term(at_j)[k] for
/// every j ≡ l (mod reduce_lanes), in order, where term(at) reads its inputs through at(p)
/// and returns a std::array of K values, written once for both kinds of `at`: ValueAt, for
/// which the values are doubles, and, for each register's worth of a whole block of
/// reduce_lanes values, LanesAt, for which they are xsimd registers of doubles (a term
/// that is plain arithmetic on what at(p) gives works for both). The last count mod
/// reduce_lanes values go to the tails of lanes 0, 1, …. The registers do lane by lane
/// what a scalar loop would, in the same order, so the sums are the same on SSE2, AVX2
/// and AVX-512 alike (up to the build's contraction of a product and a sum into an FMA).
template <std::size_t K, class Term>
void add_lane_sums(LaneSums<K>& sums, Index count, Term&& term) {
  constexpr Index L = reduce_lanes, W = detail::register_lanes;
  // A local copy, which the compiler keeps in registers: through the reference, every
  // step stored the sums and loaded them back.
  auto acc = sums.registers;
  Index j = 0;
  for (; j + L <= count; j += L) {
    for (Index p = 0; p < detail::register_parts; ++p) {
      const auto t = term(LanesAt{j + p * W});
      for (std::size_t k = 0; k < K; ++k) acc[k][p] += t[k];
    }
  }
  sums.registers = acc;
  for (Index l = 0; j + l < count; ++l) {
    const auto t = term(ValueAt{j + l});
    for (std::size_t k = 0; k < K; ++k) sums.tails[k][l] += t[k];
  }
}

/// K sums at once: out[k] = Σ_{j < count} term(at_j)[k] (see add_lane_sums), accumulated
/// in double (a float channel of 64×28×28 values keeps float precision) across
/// reduce_lanes partial sums, then the lanes are added in order. GCC 12 left the scalar
/// loop of two sums unvectorized: channel_moments of a 64×64×14×14 batch, one of W2's
/// BatchNorms, took 400 µs on one Zen 5 core, and takes 158 µs on the vectors.
template <std::size_t K, class Term>
std::array<double, K> lane_sums(Index count, Term&& term) {
  LaneSums<K> sums;
  add_lane_sums<K>(sums, count, term);
  return sums.totals();
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
