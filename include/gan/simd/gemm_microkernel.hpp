// The GEMM microkernel: one MR×NR register tile of C from an A micropanel (packed, or MR
// rows of an untransposed A read in place: gemm_streaming.hpp) and a B micropanel (packed,
// or read in place from a small untransposed B: reads_b_in_place in gemm.hpp), written once
// on xsimd::batch<T, Arch>. Packing, loops and block sizes live in gemm_pack.hpp, gemm.hpp,
// gemm_streaming.hpp and gemm_blocking.hpp (the BLIS split).
#pragma once

#include <algorithm>
#include "gan/core/xsimd.hpp"

#include "gan/core/shape.hpp"
#include "gan/simd/gemm_unroll.hpp"

namespace gan::simd::detail {

/// The register tile (R ≤ MR rows, V vectors of W lanes ≤ NR columns):
///
///   C[0:R, 0:V·W] = alpha · Σ_p a[p] ⊗ b[p] + beta · C      (beta = 0: C is not read)
///
/// on the micropanels (p = 0 … kc−1, each step one column of A, one row of B; the rows of
/// B lie ldb apart: NR in a packed micropanel, B's own stride in place):
///
///        a (MR values per step)          b (NR values per step)
///   p=0: a0 a1 … a(MR−1)            p=0: b0 b1 b2 … b(NR−1)   ← V vector loads
///   p=1: a0 a1 … a(MR−1)            p=1: b0 b1 b2 … b(NR−1)
///   …    ↑ R broadcasts per step    …
///
/// Each step is R·V FMAs acc[r][v] += broadcast(a[r]) · b[v]. A tile with fewer than MR
/// rows (the bottom edge) reads only R of the MR values, skipping the zero padding;
/// R and V are template parameters so that acc[R][V] is fully in registers. With
/// AInPlace, A is not a packed micropanel but R rows of an untransposed A, lda apart,
/// each read along its K steps (reads_a_in_place in gemm.hpp): the same broadcasts from
/// R addresses instead of one.
template <class T, class Arch, Index MR, Index NR, int R, int V, bool AInPlace>
void microkernel(Index kc, const T* a, Index lda, const T* b, Index ldb, T alpha, T beta, T* c,
                 Index ldc) {
  using Batch = xsimd::batch<T, Arch>;
  constexpr Index W = Index(Batch::size);
  static_assert(R <= MR && V * W <= NR);
  Batch acc[R][V];
  // A's values of step p: a[p·MR + r] packed, a_rows[r][p] in place.
  const T* a_rows[R];
  unroll<R>([&](auto r) { a_rows[r] = AInPlace ? a + r * lda : a + r; });
  constexpr Index a_step = AInPlace ? 1 : MR;
  unroll<R>([&](auto r) { unroll<V>([&](auto v) { acc[r][v] = Batch(T(0)); }); });
  for (Index p = 0; p < kc; ++p, b += ldb) {
    Batch bv[V];
    unroll<V>([&](auto v) { bv[v] = Batch::load_unaligned(b + v * W); });
    unroll<R>([&](auto r) {
      const Batch av(a_rows[r][p * a_step]);
      unroll<V>([&](auto v) { acc[r][v] = xsimd::fma(av, bv[v], acc[r][v]); });
    });
  }
  // Write-back: alpha and beta are applied here, once per tile, not per step.
  const Batch va(alpha);
  if (beta == T(0)) {
    unroll<R>([&](auto r) {
      unroll<V>([&](auto v) { (va * acc[r][v]).store_unaligned(c + r * ldc + v * W); });
    });
  } else if (beta == T(1)) {
    unroll<R>([&](auto r) {
      unroll<V>([&](auto v) {
        T* cp = c + r * ldc + v * W;
        xsimd::fma(va, acc[r][v], Batch::load_unaligned(cp)).store_unaligned(cp);
      });
    });
  } else {
    const Batch vb(beta);
    unroll<R>([&](auto r) {
      unroll<V>([&](auto v) {
        T* cp = c + r * ldc + v * W;
        xsimd::fma(va, acc[r][v], vb * Batch::load_unaligned(cp)).store_unaligned(cp);
      });
    });
  }
}

/// One tile of `rows` ≤ MR rows and `cols` ≤ NR columns of C. A right-edge tile whose width
/// is not a whole number of vectors goes through a tile-sized buffer, so that C is read
/// and written only inside its bounds, with the same arithmetic as a full tile.
template <class T, class Arch, Index MR, Index NR, int R, bool AInPlace>
void tile_rows(Index kc, const T* a, Index lda, const T* b, Index ldb, T alpha, T beta, T* c,
               Index ldc, Index cols) {
  constexpr Index W = Index(xsimd::batch<T, Arch>::size);
  constexpr int NV = int(NR / W);
  if (cols == NR) {
    microkernel<T, Arch, MR, NR, R, NV, AInPlace>(kc, a, lda, b, ldb, alpha, beta, c, ldc);
    return;
  }
  unroll<NV>([&](auto v) {
    constexpr int V = v + 1;
    if (cols > (V - 1) * W && cols <= V * W) {
      if (cols == V * W) {
        microkernel<T, Arch, MR, NR, R, V, AInPlace>(kc, a, lda, b, ldb, alpha, beta, c, ldc);
        return;
      }
      alignas(64) T buffer[R * V * W] = {};  // (R, V·W)
      if (beta != T(0)) {
        for (Index r = 0; r < R; ++r) std::copy_n(c + r * ldc, cols, buffer + r * V * W);
      }
      microkernel<T, Arch, MR, NR, R, V, AInPlace>(kc, a, lda, b, ldb, alpha, beta, buffer, V * W);
      for (Index r = 0; r < R; ++r) std::copy_n(buffer + r * V * W, cols, c + r * ldc);
    }
  });
}

/// One tile of C (rows ≤ MR, cols ≤ NR) from micropanels a (kc×MR packed, or rows lda
/// apart for AInPlace) and b (kc×NR), plus bias (cols values, or nullptr) on every row:
/// dispatches to the microkernel
/// instance for that many rows. The bias goes into the tile first (beta·C + bias, while
/// the tile is in L1), and the microkernel then adds alpha·A·B to it: a layer's bias costs
/// no pass over C of its own, and the microkernel keeps one write-back per beta (a bias
/// in its write-back made GCC spill accumulators of the 16-register AVX2 tile). Inlined
/// into gemm_serial's tile loop: left to itself GCC made it a call, and W1, W3 and W4_mlp
/// ran 3–5% slower (gan_bench_workloads, one thread, alternating pairs).
template <class T, class Arch, Index MR, Index NR, bool AInPlace>
[[gnu::always_inline]] inline void tile(Index kc, const T* a, Index lda, const T* b, Index ldb,
                                        T alpha, T beta, T* c, Index ldc, Index rows, Index cols,
                                        const T* bias) {
  if (bias != nullptr) {
    for (Index r = 0; r < rows; ++r) {
      T* row = c + r * ldc;
      for (Index j = 0; j < cols; ++j) row[j] = (beta == T(0) ? T(0) : beta * row[j]) + bias[j];
    }
    beta = T(1);
  }
  if (rows == MR) {
    tile_rows<T, Arch, MR, NR, int(MR), AInPlace>(kc, a, lda, b, ldb, alpha, beta, c, ldc, cols);
    return;
  }
  unroll<int(MR) - 1>([&](auto r) {
    if (rows == r + 1) {
      tile_rows<T, Arch, MR, NR, r + 1, AInPlace>(kc, a, lda, b, ldb, alpha, beta, c, ldc, cols);
    }
  });
}

}  // namespace gan::simd::detail
