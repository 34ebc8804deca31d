// gemm: the entry point every layer calls for a matrix product. The driver of the BLIS
// split: it cuts the product into cache blocks (gemm_blocking.hpp), packs them
// (gemm_pack.hpp) and runs the register tile (gemm_microkernel.hpp) over them, on the
// OpenMP threads; a small batch's NT product runs transposed, its large operand streamed
// in place (gemm_streaming.hpp). gemm_reference.hpp is the naive oracle it is tested
// against.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <type_traits>
#include "gan/core/xsimd.hpp"

#include "gan/core/aligned.hpp"
#include "gan/core/error.hpp"
#include "gan/core/parallel.hpp"
#include "gan/core/shape.hpp"
#include "gan/simd/column_groups.hpp"
#include "gan/simd/epilogue.hpp"
#include "gan/simd/gemm_blocking.hpp"
#include "gan/simd/gemm_microkernel.hpp"
#include "gan/simd/gemm_pack.hpp"
#include "gan/simd/gemm_reference.hpp"
#include "gan/simd/gemm_streaming.hpp"
#include "gan/simd/transpose.hpp"

namespace gan::simd {

namespace detail {

/// Products below this many multiply-adds (about 10 µs on one AVX-512 core) run on one
/// thread: starting and joining a parallel region costs one to a few microseconds, and
/// each thread packs the shared operand again, so smaller products gain little or lose.
inline constexpr double gemm_parallel_min_fmas = 1 << 20;

/// Asks for the lines of a tile of C to be brought into L1 for writing, before the
/// microkernel spends its kc steps on the tile: a product whose C does not fit in cache
/// (a layer's weight gradient, 25 MB in W2) would otherwise wait on memory at each tile's
/// write-back.
template <class T>
void prefetch_tile(T* c, Index ldc, Index rows, Index cols) {
  constexpr Index line = Index(64 / sizeof(T));
  for (Index r = 0; r < rows; ++r) {
    for (Index j = 0; j < cols; j += line) __builtin_prefetch(c + r * ldc + j, 1, 3);
  }
}

/// Whether gemm_serial leaves B where it is instead of packing it: B not transposed (its
/// micropanel rows are NR contiguous values of a row of B, which the microkernel can load
/// with B's own stride), few row tiles to read each micropanel (m ≤ 128), and a B small
/// enough (≤ 1 MiB) that it is read from cache. Then packing costs more than it saves:
/// on the W1 shapes (m = 64) the NN products ran 5–17% faster in place (gan_bench_gemm,
/// one thread: 64×256×256 144 → 161 GFLOP/s, 64×256×64 115–121 → 134). A B streamed from
/// memory was slower in place (64×1024×6272: 115–118 → 85), and a larger m gained nothing.
template <class T>
bool reads_b_in_place(Trans tb, Index m, Index n, Index k) {
  return tb == Trans::N && m <= 128 && double(k) * double(n) * sizeof(T) <= double(1 << 20);
}

/// C = beta·C [+ bias on every row], without reading C when beta = 0 (the product is
/// empty or alpha = 0).
template <class T>
void gemm_scale(Index m, Index n, T beta, T* c, Index ldc, const T* bias) {
  for (Index i = 0; i < m; ++i) {
    T* row = c + i * ldc;
    if (beta == T(0)) {
      std::fill(row, row + n, T(0));
    } else if (beta != T(1)) {
      for (Index j = 0; j < n; ++j) row[j] *= beta;
    }
    if (bias != nullptr) {
      for (Index j = 0; j < n; ++j) row[j] += bias[j];
    }
  }
}

/// How many K blocks (of kc_max steps, with mc_max rows of A) gemm_serial takes as a
/// group, for a transposed B: as many as half of the machine's L2 holds packed (one for an
/// untransposed B). Within a group each N block runs through all the group's K blocks
/// before the next N block, so its tiles of C stay in cache from one K block to the next
/// instead of being read back from memory once per K block, and a transposed B (stored
/// n×k) is read along its rows, a page at a time. Groups as big as BLIS's packed A block
/// (MC·KC values, half of the model's L2) took the Dense layers of W2 from 111–118 to
/// 131–134 GFLOP/s (gan_bench_gemm, one thread, 64×1024×6272 and 64×6272×1024); sized by
/// the L2 the machine reports (2 MiB here) W4_dcgan gained 2–5% more (its 256×1024×6272
/// product now takes all of K at once), W2 1–1.4% (gan_bench_workloads, A/B pairs). An untransposed
/// B (stored k×n) ran 3–5% slower in groups, its successive K blocks lying on other pages. How K
/// blocks are grouped changes no result: each element adds up its K blocks in order.
template <class T, class Arch>
Index k_group_blocks(Trans tb, Index mc_max, Index kc_max) {
  if (tb == Trans::N) return 1;
  const std::size_t block_bytes = sizeof(T) * std::size_t(mc_max) * std::size_t(kc_max);
  return std::max<Index>(1, Index(machine_l2_bytes() / 2 / block_bytes));
}

/// The blocked product on the calling thread: the five loops of BLIS around the
/// microkernel, in the order K group, M block, N block, K block within the group, tiles
/// (k_group_blocks; the tiles column by column, or row by row for RowsFirst:
/// walks_rows_first). The nets' products have a small M (the batch): there is one M block,
/// each packed A block serves the whole of N, and each packed B block is used by all of A
/// right after packing, while it is still in L1 (a small B is not packed at all:
/// reads_b_in_place). The source of the next B block is prefetched meanwhile, a slice per
/// tile, so that its packing finds it in cache. K is cut into equal blocks of at most KC,
/// so that the rounding of every element depends on k alone, not on how M and N are split
/// between threads or K blocks grouped: each element adds up its K blocks in order. The
/// bias, if any, goes into each tile of C just before the first K block's product.
template <class T, class Arch, bool RowsFirst>
void gemm_serial(Trans ta, Trans tb, Index m, Index n, Index k, T alpha, const T* a, Index lda,
                 const T* b, Index ldb, const ColumnGroups& groups, T beta, T* c, Index ldc,
                 const T* bias, const Epilogue<T>& epilogue) {
  using Blocking = GemmBlocking<T, Arch>;
  constexpr Index MR = Blocking::MR, NR = Blocking::NR;
  const Index k_blocks = (k + Blocking::KC - 1) / Blocking::KC;
  const Index kc_max = (k + k_blocks - 1) / k_blocks;
  const Index mc_max = std::min(Blocking::MC, round_up(m, MR));
  // N blocks of one micropanel (in L1), or as many as half of L2 holds for RowsFirst.
  const Index nc_block =
      RowsFirst
          ? std::max(Blocking::NC, round_down(Index(gemm_l2_bytes / 2 / (kc_max * sizeof(T))), NR))
          : Blocking::NC;
  const Index nc_max = std::min(nc_block, round_up(n, NR));
  const Index group_blocks = k_group_blocks<T, Arch>(tb, mc_max, kc_max);
  const Index group_size = group_blocks * kc_max;
  // One allocation: the packed A blocks of a group (mc_max, kc_max) each, then the packed
  // B block (kc_max, nc_max), each starting on a cache line.
  const Index a_block = round_up(mc_max * kc_max, Index(core::alignment / sizeof(T)));
  T* packed_a = gemm_storage<T>(std::size_t(group_blocks * a_block + nc_max * kc_max));
  T* packed_b = packed_a + group_blocks * a_block;
  const bool direct_b = !groups.grouped() && reads_b_in_place<T>(tb, m, n, k);
  for (Index kg = 0; kg < k; kg += group_size) {
    const Index kg_end = std::min(k, kg + group_size);
    for (Index ic = 0; ic < m; ic += Blocking::MC) {
      const Index mc = std::min(Blocking::MC, m - ic);
      for (Index pc = kg; pc < kg_end; pc += kc_max) {
        pack_a<MR>(ta, a, lda, ic, mc, pc, std::min(kc_max, k - pc),
                   packed_a + (pc - kg) / kc_max * a_block);
      }
      for (Index jc = 0; jc < n; jc += nc_block) {
        const Index nc = std::min(nc_block, n - jc);
        for (Index pc = kg; pc < kg_end; pc += kc_max) {
          const Index kc = std::min(kc_max, k - pc);
          // Later K blocks add to what the first one wrote.
          const T beta_block = pc == 0 ? beta : T(1);
          const T* bias_block = pc == 0 ? bias : nullptr;
          // A block narrower than a micropanel is packed all the same: the microkernel
          // loads whole vectors, which would read past the end of B's rows.
          const bool direct = direct_b && nc == NR;
          if (!direct) pack_b<NR>(tb, b, ldb, groups, pc, kc, jc, nc, packed_b);
          const T* b_block = direct ? b + pc * ldb + jc : packed_b;
          const Index b_step = direct ? ldb : NR;
          // The B block packed after this one, asked for a slice per tile (a B read in
          // place is small enough to be in cache; grouped columns are read group by group,
          // in the order they lie): the K group's next block, else the next N block, else
          // the first block of the next M block or K group.
          BlockPrefetch<T> next;
          if (!direct_b && !groups.grouped()) {
            Index p_next = kg, j_next = jc + nc;
            if (pc + kc < kg_end) {
              p_next = pc + kc;
              j_next = jc;
            } else if (j_next >= n) {
              p_next = ic + mc < m ? kg : kg_end;
              j_next = 0;
            }
            if (p_next < k) {
              next = b_prefetch(tb, b, ldb, p_next, std::min(kc_max, k - p_next), j_next,
                                std::min(nc_block, n - j_next));
            }
          }
          const Index tiles = ((nc + NR - 1) / NR) * ((mc + MR - 1) / MR);
          const Index per_tile = (next.lines() + tiles - 1) / tiles;
          const T* a_packed = packed_a + (pc - kg) / kc_max * a_block;
          // Tile by tile down each micropanel's column of C, or along each row of tiles
          // (RowsFirst).
          constexpr Index outer_step = RowsFirst ? MR : NR, inner_step = RowsFirst ? NR : MR;
          const Index outer_end = RowsFirst ? mc : nc, inner_end = RowsFirst ? nc : mc;
          for (Index outer = 0; outer < outer_end; outer += outer_step) {
            for (Index inner = 0; inner < inner_end; inner += inner_step) {
              const Index ir = RowsFirst ? outer : inner, jr = RowsFirst ? inner : outer;
              T* c_tile = c + (ic + ir) * ldc + jc + jr;
              const Index rows = std::min(MR, mc - ir), cols = std::min(NR, nc - jr);
              // C comes from memory at the first block of a group; the group's later blocks
              // find it in cache.
              if (pc == kg) prefetch_tile(c_tile, ldc, rows, cols);
              next.issue(per_tile);
              tile<T, Arch, MR, NR, false>(kc, a_packed + ir * kc, 0,
                                           b_block + (direct ? jr : jr * kc), b_step, alpha,
                                           beta_block, c_tile, ldc, rows, cols,
                                           bias_block != nullptr ? bias_block + jc + jr : nullptr);
              if (epilogue && pc + kc == k) epilogue.apply(c_tile, rows, cols, ldc);
            }
          }
        }
      }
    }
  }
}

/// Whether gemm_serial walks the tiles of C row of tiles by row of tiles, over an N block of
/// up to half of L2, instead of column by column over one micropanel (RowsFirst): for a
/// product of one K block whose C (over 4 times L2) does not stay in cache, such as the
/// weight gradient of a large Dense layer or a transposed convolution's patch matrix. The
/// tiles that follow each other then lie side by side in C's rows, which the hardware
/// prefetchers follow, instead of a row of tiles apart on other pages. On W2's Dense
/// weight gradients (gan_bench_gemm, one thread: 1024×64×6272 and 6272×64×1024, A
/// transposed) that took 98–99 to 141–146 GFLOP/s; with the threshold lowered from 16 to 4
/// times L2, the transposed convolutions of W4_dcgan took it too (+3.4% in A/B pairs).
template <class T, class Arch>
bool walks_rows_first(Index m, Index n, Index k) {
  return k <= GemmBlocking<T, Arch>::KC &&
         double(m) * double(n) * sizeof(T) > 4.0 * double(gemm_l2_bytes);
}

/// gemm_serial with the tile order walks_rows_first picks.
template <class T, class Arch>
void gemm_on_thread(Trans ta, Trans tb, Index m, Index n, Index k, T alpha, const T* a, Index lda,
                    const T* b, Index ldb, const ColumnGroups& groups, T beta, T* c, Index ldc,
                    const T* bias, const Epilogue<T>& epilogue) {
  if (walks_rows_first<T, Arch>(m, n, k)) {
    gemm_serial<T, Arch, true>(ta, tb, m, n, k, alpha, a, lda, b, ldb, groups, beta, c, ldc, bias,
                               epilogue);
  } else {
    gemm_serial<T, Arch, false>(ta, tb, m, n, k, alpha, a, lda, b, ldb, groups, beta, c, ldc, bias,
                                epilogue);
  }
}

/// Runs part(begin, end) on the OpenMP threads, each on its share of [0, total) in whole
/// grains (split_range), for a product of at least gemm_parallel_min_fmas multiply-adds;
/// otherwise part(0, total) on the calling thread. Rethrows what a part threw.
template <class Part>
void gemm_parts(Index total, Index grain, double fmas, Part&& part) {
  int threads = 1;
#if defined(_OPENMP)
  if (!omp_in_parallel() && fmas >= gemm_parallel_min_fmas) {
    threads = int(std::min<Index>(core::num_threads(), (total + grain - 1) / grain));
  }
#endif
  if (threads <= 1) {
    part(Index(0), total);
    return;
  }
  std::exception_ptr error;
#if defined(_OPENMP)
#pragma omp parallel num_threads(threads)
#endif
  {
    const core::Range r = core::split_range(total, core::thread_id(), core::team_size(), grain);
    try {
      if (r.end > r.begin) part(r.begin, r.end);
    } catch (...) {
#if defined(_OPENMP)
#pragma omp critical(gan_gemm_error)
#endif
      error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

/// Splits the product between the OpenMP threads over N (or over M when M is the larger),
/// in whole tiles, never over K: each element of C is computed by one thread with the same
/// operations whatever the thread count, so the result is bit-identical for any count.
/// Each thread packs the shared operand for itself; splitting the larger of M and N keeps
/// that repeated packing on the smaller operand.
template <class T, class Arch>
void gemm_blocked(Trans ta, Trans tb, Index m, Index n, Index k, T alpha, const T* a, Index lda,
                  const T* b, Index ldb, const ColumnGroups& groups, T beta, T* c, Index ldc,
                  const T* bias, const Epilogue<T>& epilogue) {
  using Blocking = GemmBlocking<T, Arch>;
  const bool split_n = m <= n;
  gemm_parts(
      split_n ? n : m, split_n ? Blocking::NR : Blocking::MR, double(m) * double(n) * double(k),
      [&](Index begin, Index end) {
        if (split_n) {
          // Grouped columns keep B's start and count the part's first column in the
          // groups.
          const T* b_part = groups.grouped() ? b : tb == Trans::N ? b + begin : b + begin * ldb;
          gemm_on_thread<T, Arch>(ta, tb, m, end - begin, k, alpha, a, lda, b_part, ldb,
                                  groups.grouped() ? groups.from(begin) : groups, beta, c + begin,
                                  ldc, bias != nullptr ? bias + begin : nullptr, epilogue);
        } else {
          const T* a_part = ta == Trans::N ? a + begin * lda : a + begin;
          gemm_on_thread<T, Arch>(ta, tb, end - begin, n, k, alpha, a_part, lda, b, ldb, groups,
                                  beta, c + begin * ldc, ldc, bias, epilogue);
        }
      });
}

/// Whether gemm computes an NT product, C = A·Bᵀ with A m×k and B stored n×k, as its
/// transpose Cᵀ = B·Aᵀ (gemm_transposed): for a batch m of at most 128 rows and a B at
/// least twice as long and as wide, such as a Dense layer's forward pass x·Wᵀ with W
/// stored out×in. Computed as it is, the product packs all of B transposed, each value
/// for only m rows of C, and at m = 64 that packing took a seventh of its time. Computed
/// as its transpose, B is read in place, row by row (gemm_streaming_a), and only A (m×k)
/// and C (m×n) are transposed on the way, which pays when k and n are well above m. Timed
/// one product at a time (one thread, best of 7 runs): 64×784×256 and 64×256×784 went
/// from 133–135 to 146–151 GFLOP/s, W2's 64×6272×1024 and 64×1024×6272 from 134–136 to
/// 144–145; at k = m (64×64×256) it ran 6% slower, and at m = 256 it gained nothing.
inline bool computes_transposed(Trans ta, Trans tb, Index m, Index n, Index k) {
  return ta == Trans::N && tb == Trans::T && m <= 128 && n >= 2 * m && k >= 2 * m;
}

/// The NT product C = alpha·A·Bᵀ + beta·C + bias computed as Cᵀ (computes_transposed), in
/// a scratch n×m matrix, each thread on its share of Cᵀ's rows (C's columns): Cᵀ takes
/// beta·C + bias as a tile takes it, gemm_streaming_a adds alpha·B·Aᵀ to it with B read
/// in place, and Cᵀ is copied back into C transposed. Each element goes through the same
/// operations in the same order as in gemm_blocked, so the result is the same, bit for
/// bit.
template <class T, class Arch>
void gemm_transposed(Index m, Index n, Index k, T alpha, const T* a, Index lda, const T* b,
                     Index ldb, T beta, T* c, Index ldc, const T* bias,
                     const Epilogue<T>& epilogue) {
  using Blocking = GemmBlocking<T, Arch>;
  T* ct = gemm_storage<T, 1>(std::size_t(n * m));  // Cᵀ: n×m
  const T beta_t = beta == T(0) && bias == nullptr ? T(0) : T(1);
  gemm_parts(n, Blocking::MR, double(m) * double(n) * double(k), [&](Index j0, Index j1) {
    T* part = ct + j0 * m;
    if (beta != T(0)) transpose_panel(c + j0, ldc, j1 - j0, m, part, m);
    if (bias != nullptr || (beta != T(0) && beta != T(1))) {
      for (Index j = j0; j < j1; ++j) {
        T* row = ct + j * m;
        if (bias != nullptr) {
          for (Index i = 0; i < m; ++i) row[i] = (beta == T(0) ? T(0) : beta * row[i]) + bias[j];
        } else {
          for (Index i = 0; i < m; ++i) row[i] *= beta;
        }
      }
    }
    gemm_streaming_a<T, Arch>(Trans::T, j1 - j0, m, k, alpha, b + j0 * ldb, ldb, a, lda, beta_t,
                              part, m);
    if (epilogue) epilogue.apply(part, j1 - j0, m, m);
    transpose_panel(part, m, m, j1 - j0, c + j0, ldc);
  });
}

/// Whether the blocked SIMD path covers scalar T on the compiled instruction set.
template <class T>
inline constexpr bool gemm_simd_scalar = std::is_same_v<T, float> || std::is_same_v<T, double>;
template <class T>
inline constexpr bool gemm_has_fast_path =
    gemm_simd_scalar<T>&& xsimd::has_simd_register<T, xsimd::default_arch>::value;

}  // namespace detail

/// C = alpha · op(A) · op(B) + beta · C on row-major matrices, with op(A) m×k and op(B)
/// k×n: A is stored m×k (lda ≥ k) for Trans::N and k×m (lda ≥ m) for Trans::T, B likewise
/// k×n (ldb ≥ n) or n×k (ldb ≥ k); ldc ≥ n. beta = 0 never reads C (C may hold NaN).
/// bias (n values, or nullptr) is added to every row of C: alpha·op(A)·op(B) + beta·C +
/// bias, each tile taking it while in cache, not in a pass of its own. An untransposed B
/// may have its columns in groups (b_groups, see ColumnGroups; then ldb ≥ b_groups.size),
/// with the same result as on a copy of B with its columns side by side. An epilogue, if
/// any, is applied to every element of C last (Epilogue: a Dense layer's activation).
/// Sizes may be 0. Uses the OpenMP threads (gan::set_num_threads) for large products;
/// the result does not depend on the thread count. Throws gan::Error for negative sizes
/// or leading dimensions that are too small.
template <class T>
void gemm(Trans ta, Trans tb, Index m, Index n, Index k, T alpha, const T* a, Index lda, const T* b,
          Index ldb, T beta, T* c, Index ldc, const T* bias = nullptr,
          const ColumnGroups& b_groups = {}, const Epilogue<T>& epilogue = {}) {
  GAN_CHECK(m >= 0 && n >= 0 && k >= 0, "gemm: negative size ", m, "x", n, "x", k);
  GAN_CHECK(lda >= (ta == Trans::N ? k : m), "gemm: lda ", lda, " too small");
  GAN_CHECK(ldb >= (b_groups.grouped() ? b_groups.size
                    : tb == Trans::N   ? n
                                       : k),
            "gemm: ldb ", ldb, " too small");
  GAN_CHECK(ldc >= n, "gemm: ldc ", ldc, " too small");
  GAN_CHECK(b_groups.size >= 0 && b_groups.offset >= 0, "gemm: negative column groups");
  GAN_CHECK(!b_groups.grouped() || tb == Trans::N, "gemm: grouped columns need an untransposed B");
  if (m == 0 || n == 0) return;
  if (k == 0 || alpha == T(0)) {
    detail::gemm_scale(m, n, beta, c, ldc, bias);
    if (epilogue) epilogue.apply(c, m, n, ldc);
  } else if constexpr (detail::gemm_has_fast_path<T>) {
    if (detail::computes_transposed(ta, tb, m, n, k)) {
      detail::gemm_transposed<T, xsimd::default_arch>(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                                                      bias, epilogue);
    } else {
      detail::gemm_blocked<T, xsimd::default_arch>(ta, tb, m, n, k, alpha, a, lda, b, ldb, b_groups,
                                                   beta, c, ldc, bias, epilogue);
    }
  } else {
    gemm_reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, b_groups);
    if (epilogue) epilogue.apply(c, m, n, ldc);
  }
}

}  // namespace gan::simd
