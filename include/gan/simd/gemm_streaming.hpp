// The GEMM with A streamed in place: the loops around the microkernel for a product whose
// large operand A (m×k, untransposed: a Dense layer's weight) is read where it lies,
// row by row, instead of being packed, and whose other operand, the batch, is small and
// packed. gemm.hpp's gemm_transposed runs a small batch's NT product this way; gemm_serial
// in gemm.hpp is the general driver.
#pragma once

#include <algorithm>
#include <cstddef>

#include "gan/core/aligned.hpp"
#include "gan/core/shape.hpp"
#include "gan/simd/column_groups.hpp"
#include "gan/simd/gemm_blocking.hpp"
#include "gan/simd/gemm_microkernel.hpp"
#include "gan/simd/gemm_pack.hpp"
#include "gan/simd/transpose.hpp"

namespace gan::simd::detail {

/// Values of one packed K block of op(B) (kc × n, in whole micropanels, from a cache line).
template <class T, class Arch>
Index streaming_b_block(Index n, Index kc) {
  constexpr Index NR = GemmBlocking<T, Arch>::NR;
  return round_up(kc * round_up(n, NR), Index(core::alignment / sizeof(T)));
}

/// How many K blocks of op(B) gemm_streaming_a packs at once: as many as a quarter of the
/// machine's L2 holds, so that they stay there while A streams past them.
template <class T, class Arch>
Index streaming_group_blocks(Index n, Index kc) {
  const std::size_t bytes = sizeof(T) * std::size_t(streaming_b_block<T, Arch>(n, kc));
  return std::max<Index>(1, Index(machine_l2_bytes() / 4 / bytes));
}

/// C = alpha·A·op(B) + beta·C (beta 0 or 1) on the calling thread, for a large
/// untransposed A read in place and an op(B) of few columns (k×n, n ≤ 128: a batch), as
/// gemm_transposed computes a Dense layer's forward product: op(B) is packed whole for
/// each group of K blocks and stays in L2 while A streams past it. Loop order: K group (B packed),
/// M block of a few rows of tiles, K block of the group, row of tiles, tile. Each row of A is then
/// read along the group's K blocks one after the other, the M block's tiles of C stay in
/// L1 from one K block to the next, and the rows of the next row of tiles are asked for
/// while the current one is computed. K is cut into the same blocks as in gemm_serial, so
/// each element of C goes through the same operations.
template <class T, class Arch>
void gemm_streaming_a(Trans tb, Index m, Index n, Index k, T alpha, const T* a, Index lda,
                      const T* b, Index ldb, T beta, T* c, Index ldc) {
  using Blocking = GemmBlocking<T, Arch>;
  constexpr Index MR = Blocking::MR, NR = Blocking::NR;
  const Index k_blocks = (k + Blocking::KC - 1) / Blocking::KC;
  const Index kc_max = (k + k_blocks - 1) / k_blocks;
  const Index b_block = streaming_b_block<T, Arch>(n, kc_max);
  const Index group_blocks = streaming_group_blocks<T, Arch>(n, kc_max);
  const Index group_size = group_blocks * kc_max;
  // The M block's tiles of C take half of L1.
  const Index mc_block =
      round_down(Index(gemm_l1_bytes / 2 / (sizeof(T) * std::size_t(round_up(n, NR)))), MR);
  T* packed_b = gemm_storage<T>(std::size_t(group_blocks * b_block));
  for (Index kg = 0; kg < k; kg += group_size) {
    const Index kg_end = std::min(k, kg + group_size);
    for (Index pc = kg; pc < kg_end; pc += kc_max) {
      pack_b<NR>(tb, b, ldb, ColumnGroups{}, pc, std::min(kc_max, k - pc), 0, n,
                 packed_b + (pc - kg) / kc_max * b_block);
    }
    for (Index ic = 0; ic < m; ic += mc_block) {
      const Index ic_end = std::min(m, ic + mc_block);
      for (Index pc = kg; pc < kg_end; pc += kc_max) {
        const Index kc = std::min(kc_max, k - pc);
        const T beta_block = pc == 0 ? beta : T(1);
        const T* b_panels = packed_b + (pc - kg) / kc_max * b_block;
        for (Index ir = ic; ir < ic_end; ir += MR) {
          const Index rows = std::min(MR, ic_end - ir);
          // The rows of A the next row of tiles reads: the next MR rows of this M block,
          // else its first rows at the next K block, else the next M block's.
          Index i_next = ir + MR, p_next = pc;
          if (i_next >= ic_end) {
            i_next = pc + kc < kg_end ? ic : ic_end;
            p_next = pc + kc < kg_end ? pc + kc : kg;
          }
          BlockPrefetch<T> a_next;
          if (i_next < m) {
            a_next = BlockPrefetch<T>(a + i_next * lda + p_next, 1, lda,
                                      std::min(kc_max, k - p_next), std::min(MR, m - i_next));
          }
          const Index per_tile = (a_next.lines() * NR + n - 1) / n;
          for (Index jr = 0; jr < n; jr += NR) {
            a_next.issue(per_tile);
            tile<T, Arch, MR, NR, true>(kc, a + ir * lda + pc, lda, b_panels + jr * kc, NR, alpha,
                                        beta_block, c + ir * ldc + jr, ldc, rows,
                                        std::min(NR, n - jr), nullptr);
          }
        }
      }
    }
  }
}

}  // namespace gan::simd::detail
