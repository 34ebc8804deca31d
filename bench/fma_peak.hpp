// The machine's FMA peak: a loop of independent fused multiply-adds on registers only, no
// memory traffic. A GEMM's FLOP rate divided by this is the fraction of peak it reaches.
#pragma once

#include <cstdint>
#include <utility>
#include "gan/core/xsimd.hpp"

#include "gan/core/parallel.hpp"
#include "gan/simd/gemm_blocking.hpp"

namespace gan::bench {

/// Where fma_peak_run leaves its sums, so that the loop is not optimised away.
inline double fma_peak_sink = 0;

namespace detail {

/// Hides a register's value from the optimiser, so that the chains are neither folded nor
/// merged; costs no instruction.
template <class Batch>
[[gnu::always_inline]] inline void opaque(Batch& x) {
  asm volatile("" : "+v"(x.data));
}

/// `iterations` rounds of one FMA on each of the sizeof...(I) chains. The chains are named
/// only by compile-time indices, so that the compiler keeps them all in registers.
template <class Batch, int... I>
double fma_chains(std::int64_t iterations, std::integer_sequence<int, I...>) {
  // x·0.999 + 0.001 tends to 1: the values stay finite and normal for any round count.
  Batch acc[sizeof...(I)] = {Batch(1.0f + 0.01f * float(I))...};
  const Batch scale(0.999f), shift(0.001f);
  for (std::int64_t i = 0; i < iterations; ++i) {
    ((acc[I] = xsimd::fma(acc[I], scale, shift)), ...);
    (opaque(acc[I]), ...);
  }
  return (double(xsimd::hadd(acc[I])) + ...);
}

}  // namespace detail

/// Runs `iterations` rounds of C independent FMA chains on xsimd::batch<float, Arch> on
/// each of `threads` threads (fewer if OpenMP gives fewer) and returns the floating-point
/// operations done (2 per lane per FMA). C = 16 chains on 32 registers and 12 on 16 exceed
/// FMA units × latency on every x86 core, so the loop is bound by FMA throughput alone.
template <class Arch = xsimd::default_arch>
double fma_peak_run(std::int64_t iterations, int threads) {
  using Batch = xsimd::batch<float, Arch>;
  constexpr int C = simd::detail::vector_registers<Arch> >= 32 ? 16 : 12;
  double sink = 0;
  int team = 1;
#if defined(_OPENMP)
#pragma omp parallel num_threads(threads) reduction(+ : sink)
#else
  (void)threads;
#endif
  {
    if (core::thread_id() == 0) team = core::team_size();
    sink += detail::fma_chains<Batch>(iterations, std::make_integer_sequence<int, C>{});
  }
  fma_peak_sink = sink;
  return 2.0 * double(Batch::size) * C * double(iterations) * team;
}

}  // namespace gan::bench
