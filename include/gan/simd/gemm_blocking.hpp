// GEMM block sizes: the register tile MR×NR per instruction set and the cache blocks
// KC, MC, NC derived from cache sizes, in the BLIS model (Van Zee & van de Geijn, "BLIS: A
// Framework for Rapidly Instantiating BLAS Functionality", ACM TOMS 2015; Low et al.,
// "Analytical Modeling Is Enough for High-Performance BLIS", ACM TOMS 2016).
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#if __has_include(<unistd.h>)
#include <unistd.h>
#endif
#include "gan/core/xsimd.hpp"

#include "gan/core/shape.hpp"

namespace gan::simd::detail {

/// Cache sizes the blocks are derived from. They are the smallest of the x86-64 cores the
/// library targets (Haswell through Zen 5: L1d 32–48 KiB, L2 0.5–2 MiB per core), so the
/// blocks fit everywhere; a bigger cache only leaves more headroom. Compile-time so that
/// the K split, and with it every rounding, is the same on every machine.
inline constexpr std::size_t gemm_l1_bytes = 32 * 1024;
inline constexpr std::size_t gemm_l2_bytes = 512 * 1024;

/// The L2 size per core of the machine running (glibc's sysconf), or gemm_l2_bytes where it
/// does not say. Only choices that change no result may depend on it (k_group_blocks).
inline std::size_t machine_l2_bytes() {
  static const std::size_t bytes = [] {
#if defined(_SC_LEVEL2_CACHE_SIZE)
    const long reported = sysconf(_SC_LEVEL2_CACHE_SIZE);
    if (reported > 0) return static_cast<std::size_t>(reported);
#endif
    return gemm_l2_bytes;
  }();
  return bytes;
}

/// Vector registers of an instruction set: 32 for AVX-512 (zmm0–31) and AArch64 NEON,
/// 16 for SSE and AVX (xmm/ymm0–15).
template <class Arch>
inline constexpr int vector_registers =
    std::is_base_of_v<xsimd::avx512f, Arch> || std::is_same_v<Arch, xsimd::neon64> ? 32 : 16;

/// Whether xsimd::fma is one fused instruction (otherwise it is a multiply and an add,
/// which keeps one more register busy per product in flight).
template <class Arch>
inline constexpr bool has_fma =
    std::is_base_of_v<xsimd::avx512f, Arch> || std::is_base_of_v<xsimd::fma3<xsimd::avx2>, Arch> ||
    std::is_base_of_v<xsimd::fma3<xsimd::avx>, Arch> ||
    std::is_base_of_v<xsimd::fma3<xsimd::sse4_2>, Arch> || std::is_base_of_v<xsimd::fma4, Arch> ||
    std::is_same_v<Arch, xsimd::neon64>;

/// Rounds x down to a multiple of m, but not below m.
constexpr Index round_down(Index x, Index m) {
  return x < m ? m : x / m * m;
}

/// Rounds x up to a multiple of m.
constexpr Index round_up(Index x, Index m) {
  return (x + m - 1) / m * m;
}

/// Block sizes of the GEMM for scalar T on instruction set Arch.
///
/// Register tile MR×NR (NR = NV vectors of W lanes). The microkernel keeps MR·NV
/// accumulators, NV vectors of B and one broadcast of A in registers:
/// - 32 registers (AVX-512): 8×2 vectors = 16 accumulators. 16 independent FMA chains
///   cover two FMA pipes × 4 cycles of latency twice over, every load of B feeds 8 FMAs,
///   and MR = 8 divides the batch sizes and layer widths of the nets (64, 256, 784), so
///   no row of the tile is wasted where a 12-row tile would leave 4 of 12 rows empty.
/// - 16 registers with FMA (AVX2): 6×2 vectors = 12 accumulators + 2 B + 1 broadcast.
/// - 16 registers without FMA (SSE2): 4×2 vectors = 8 accumulators, leaving room for the
///   products that a separate multiply and add keep in flight.
///
/// Cache blocks (BLIS's analytical model):
/// - KC: the B micropanel (KC×NR) stays in L1 while the MR-row A micropanels stream past
///   it, so it may take half of L1 (the other half holds the A micropanel and C tile).
/// - MC: the packed A block (MC×KC) stays in L2 while every B micropanel visits it: half
///   of L2.
/// - NC: the packed B block (KC×NC) is used right after packing, by every A micropanel;
///   it stays in L1 (the same half of L1 as the B micropanel, so NC = NR with the KC
///   above). Packing into L1 ran 1.5× faster here than into a 128 KiB block spilling to
///   L2, and with a batch of 64 rows packing B takes about a tenth of the time.
template <class T, class Arch>
struct GemmBlocking {
  using Batch = xsimd::batch<T, Arch>;
  static constexpr Index W = Index(Batch::size);
  static constexpr Index NV = 2;
  static constexpr Index MR = vector_registers<Arch> >= 32 ? 8 : has_fma<Arch> ? 6 : 4;
  static constexpr Index NR = NV * W;
  static constexpr Index KC =
      std::min<Index>(512, round_down(Index(gemm_l1_bytes / 2 / (NR * sizeof(T))), 8));
  static constexpr Index MC = round_down(Index(gemm_l2_bytes / 2 / (KC * sizeof(T))), MR);
  static constexpr Index NC = round_down(Index(gemm_l1_bytes / 2 / (KC * sizeof(T))), NR);
};

}  // namespace gan::simd::detail
