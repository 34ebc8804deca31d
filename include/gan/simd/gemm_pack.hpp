// GEMM packing: copies a block of op(A) into MR-row micropanels and a block of op(B) into
// NR-column micropanels, in the order the microkernel reads them. Either storage order of
// an operand is read in place, so a transposed operand costs no extra copy.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "gan/core/aligned.hpp"
#include "gan/core/shape.hpp"
#include "gan/simd/column_groups.hpp"
#include "gan/simd/gemm_transpose.hpp"
#include "gan/simd/transpose.hpp"

namespace gan::simd::detail {

/// Packing storage of the calling thread, one buffer per Slot (the packed blocks, and
/// gemm_transposed's transposed C). It only grows, so after the first call with the
/// largest shapes (the first training step) a GEMM allocates nothing.
template <class T, int Slot = 0>
T* gemm_storage(std::size_t count) {
  thread_local core::AlignedBuffer<T> storage;
  thread_local std::size_t capacity = 0;
  if (count > capacity) {
    storage = core::allocate_aligned<T>(count);
    capacity = count;
  }
  return storage.get();
}

/// Packs a kc × len block into ⌈len/P⌉ micropanels of P lanes. Element (p, q) of the block
/// (p the step along K, q the lane along M or N) is src[p·sp + q·sq]. Panel j holds lanes
/// q = jP … jP+P−1, step after step, zero-padded past len:
///
///   dst: | panel 0                         | panel 1                  | …
///        | p=0: q0 … q(P−1) | p=1: q0 …    | p=0: qP … q(2P−1) | …    |
///        |<-------- kc·P values ---------->|
///
/// One of the strides is 1 (a_block, b_block): sq = 1 (the lanes are contiguous in memory)
/// copies rows of P values; sp = 1 transposes the block on the way, in register blocks.
template <Index P, class T>
void pack_panels(const T* src, Index sp, Index sq, Index kc, Index len, T* dst) {
  for (Index q0 = 0; q0 < len; q0 += P, dst += kc * P) {
    const Index w = std::min(P, len - q0);
    const T* s = src + q0 * sq;
    if (sq == 1 && w == P) {
      // A copy of a compile-time size: a few vector moves, not a call to memmove per row.
      for (Index p = 0; p < kc; ++p) std::memcpy(dst + p * P, s + p * sp, sizeof(T) * P);
    } else if (sq == 1) {
      for (Index p = 0; p < kc; ++p) {
        std::copy_n(s + p * sp, w, dst + p * P);
        std::fill(dst + p * P + w, dst + (p + 1) * P, T(0));
      }
    } else {
      transpose_panel(s, sq, kc, w, dst, P);
      for (Index p = 0; p < kc; ++p) std::fill(dst + p * P + w, dst + (p + 1) * P, T(0));
    }
  }
}

/// Asks for the source of a block that pack_panels will read next (same arguments) to be
/// brought into L2, a slice of its cache lines at a time (issue), so that the memory
/// traffic overlaps the tiles computed meanwhile instead of stalling the packing loop,
/// which has no arithmetic to hide it behind. Asked for all at once, at the start of the
/// current block, the requests queued up behind each other: the products of W2's Dense
/// layers (64×1024×6272 and 64×6272×1024, gan_bench_gemm, one thread) ran at 122–130
/// GFLOP/s with a transposed B and 115–126 without, against 134–141 and 126–138 spread.
template <class T>
class BlockPrefetch {
 public:
  static constexpr Index line = Index(64 / sizeof(T));
  BlockPrefetch() = default;
  BlockPrefetch(const T* src, Index sp, Index sq, Index kc, Index len)
      : m_src(src),
        m_stride(sq == 1 ? sp : sq),
        m_rows(sq == 1 ? kc : len),
        m_cols(sq == 1 ? len : kc) {}
  Index lines() const { return m_rows * ((m_cols + line - 1) / line); }
  void issue(Index count) {
    for (; count > 0 && m_row < m_rows; --count) {
      __builtin_prefetch(m_src + m_row * m_stride + m_col, 0, 2);
      m_col += line;
      if (m_col >= m_cols) {
        m_col = 0;
        ++m_row;
      }
    }
  }

 private:
  const T* m_src = nullptr;
  Index m_stride = 0, m_rows = 0, m_cols = 0, m_row = 0, m_col = 0;
};

/// Where element (p, q) of a block of an operand sits: src[p·sp + q·sq].
template <class T>
struct BlockSource {
  const T* src;
  Index sp, sq;
};

/// The block of op(A) at (row i0, column p0): lanes are rows of op(A), steps its columns.
/// op(A) = A (m×k, lda) for Trans::N, Aᵀ with A stored k×m for Trans::T.
template <class T>
BlockSource<T> a_block(Trans ta, const T* a, Index lda, Index i0, Index p0) {
  return ta == Trans::N ? BlockSource<T>{a + i0 * lda + p0, 1, lda}
                        : BlockSource<T>{a + p0 * lda + i0, lda, 1};
}

/// The block of op(B) at (row p0, column j0): lanes are columns of op(B), steps its rows.
/// op(B) = B (k×n, ldb) for Trans::N, Bᵀ with B stored n×k for Trans::T.
template <class T>
BlockSource<T> b_block(Trans tb, const T* b, Index ldb, Index p0, Index j0) {
  return tb == Trans::N ? BlockSource<T>{b + p0 * ldb + j0, ldb, 1}
                        : BlockSource<T>{b + j0 * ldb + p0, 1, ldb};
}

/// Packs the mc×kc block of op(A) at (i0, p0) into MR-row micropanels.
template <Index MR, class T>
void pack_a(Trans ta, const T* a, Index lda, Index i0, Index mc, Index p0, Index kc, T* dst) {
  const BlockSource<T> s = a_block(ta, a, lda, i0, p0);
  pack_panels<MR>(s.src, s.sp, s.sq, kc, mc, dst);
}

/// Copies count < P values with one fixed-size copy per set bit of count (a few vector
/// moves each), not a call to memmove.
template <Index P, class T>
void copy_short(const T* src, Index count, T* dst) {
  if constexpr (P > 1) {
    constexpr Index half = P / 2;
    if (count & half) {
      std::memcpy(dst, src, sizeof(T) * half);
      src += half;
      dst += half;
    }
    copy_short<half>(src, count, dst);
  }
}

/// pack_panels for the kc×len block at (p0, j0) of an untransposed B whose columns lie in
/// groups: each micropanel's P lanes are copied run by run, a run being the columns of one
/// group that it holds (ColumnGroups::run).
template <Index P, class T>
void pack_grouped_panels(const T* b, Index ldb, const ColumnGroups& groups, Index p0, Index kc,
                         Index j0, Index len, T* dst) {
  static_assert((P & (P - 1)) == 0, "copy_short needs a power of two");
  const T* rows = b + p0 * ldb;
  for (Index q0 = 0; q0 < len; q0 += P, dst += kc * P) {
    const Index w = std::min(P, len - q0);
    for (Index q = 0; q < w;) {
      const Index j = j0 + q0 + q;
      const Index count = std::min(w - q, groups.run(j));
      const T* s = rows + groups.at(j);
      if (count == P) {
        for (Index p = 0; p < kc; ++p) std::memcpy(dst + p * P, s + p * ldb, sizeof(T) * P);
      } else {
        for (Index p = 0; p < kc; ++p) copy_short<P>(s + p * ldb, count, dst + p * P + q);
      }
      q += count;
    }
    if (w < P) {
      for (Index p = 0; p < kc; ++p) std::fill(dst + p * P + w, dst + (p + 1) * P, T(0));
    }
  }
}

/// Packs the kc×nc block of op(B) at (p0, j0) into NR-column micropanels. Grouped columns
/// (ColumnGroups) come with an untransposed B only.
template <Index NR, class T>
void pack_b(Trans tb, const T* b, Index ldb, const ColumnGroups& groups, Index p0, Index kc,
            Index j0, Index nc, T* dst) {
  if (groups.grouped()) {
    pack_grouped_panels<NR>(b, ldb, groups, p0, kc, j0, nc, dst);
    return;
  }
  const BlockSource<T> s = b_block(tb, b, ldb, p0, j0);
  pack_panels<NR>(s.src, s.sp, s.sq, kc, nc, dst);
}

/// The prefetch of the pack_b call with the same arguments.
template <class T>
BlockPrefetch<T> b_prefetch(Trans tb, const T* b, Index ldb, Index p0, Index kc, Index j0,
                            Index nc) {
  const BlockSource<T> s = b_block(tb, b, ldb, p0, j0);
  return BlockPrefetch<T>(s.src, s.sp, s.sq, kc, nc);
}

}  // namespace gan::simd::detail
