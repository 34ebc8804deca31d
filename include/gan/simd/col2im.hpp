// col2im, the adjoint (the transpose) of im2col (simd/im2col.hpp): it adds every column
// entry back to the pixel it was read from. It runs one (sample, channel) plane at a time:
// the entries of a plane come only from the k·k rows of its channel and the columns of its
// sample, so the planes are independent and the threads need neither atomics nor partial
// sums. Two ways through a plane, which add the same entries in the same order:
//
// - any stride: each pixel gathers its (at most ⌈k/s⌉²) entries, a register of pixels at a
//   time (detail::sum_sources);
// - stride 2 on float with AVX2 or AVX-512: a row of pixels at a time from contiguous
//   loads (detail::add_rows_stride2). Split by the parity of x + p, the pixels of a row
//   are two "phases"; tap kx adds one contiguous run of a patch row to the phase kx mod 2,
//   shifted by ⌊kx/2⌋, and the two phases are interleaved on the way out. On the W2
//   shapes (k4, s2, p1; AVX-512, one thread) a 14×14 plane takes 115–155 ns this way
//   against 240–260 ns by gathers, a 28×28 plane 270–335 ns against 930–1,375 ns.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/core/xsimd.hpp"  // immintrin.h, under the GCC 12 workaround
#include "gan/simd/gemm_unroll.hpp"
#include "gan/simd/im2col.hpp"
#include "gan/simd/stride2_lanes.hpp"

namespace gan::simd {

namespace detail {

/// Where col2im finds the entries of each pixel of one (sample, channel) plane. A pixel
/// (y, x) is covered by the taps ky ≡ y + p (mod s), kx ≡ x + p (mod s), at most ⌈k/s⌉ of
/// each: slot (iy, ix) holds tap (ky, kx) with iy = ⌊ky/s⌋, ix = ⌊kx/s⌋, so that the slots
/// in order visit the taps in increasing (ky, kx). For slot q and pixel o = y·W + x,
/// offset[q·stride + o] is the entry's place from the plane's first entry,
/// (ky·k + kx)·cols + oy·Wo + ox, or −1 where the slot has no tap inside the patches (a
/// masked-off lane, never read). The stride rounds H·W up to a whole register.
struct Col2imSources {
  Index slots = 0;
  Index stride = 0;
  std::vector<std::int32_t> offset;
};

/// The table of col2im for geometry g and `cols` columns, the calling thread's: built with
/// the work of one plane's scatter, it only grows, so a step allocates nothing after the
/// first.
inline const Col2imSources& col2im_sources(const PatchGeometry& g, Index cols) {
  thread_local Col2imSources t;
  const Index k = g.kernel, s = g.stride, p = g.padding, per = (k + s - 1) / s;
  const Index ho = g.out_height(), wo = g.out_width(), area = g.height * g.width;
  t.slots = per * per;
  t.stride = (area + 15) / 16 * 16;
  t.offset.assign(static_cast<std::size_t>(t.slots * t.stride), -1);
  for (Index ky = 0; ky < k; ++ky)
    for (Index kx = 0; kx < k; ++kx) {
      const Index slot = (ky / s) * per + kx / s;
      for (Index oy = 0; oy < ho; ++oy) {
        const Index y = oy * s + ky - p;
        if (y < 0 || y >= g.height) continue;
        for (Index ox = 0; ox < wo; ++ox) {
          const Index x = ox * s + kx - p;
          if (x < 0 || x >= g.width) continue;
          const auto at = static_cast<std::size_t>(slot * t.stride + y * g.width + x);
          t.offset[at] = static_cast<std::int32_t>((ky * k + kx) * cols + oy * wo + ox);
        }
      }
    }
  return t;
}

/// out[o] = (Σ over the slots q with an entry, in order, of base[offset[q][o]]) + bias for
/// o < area.
/// On float with AVX-512 or AVX2, one masked hardware gather per slot and register of
/// pixels.
template <class T>
void sum_sources(const Col2imSources& t, const T* base, Index area, T bias, T* out) {
  Index o = 0;
  if constexpr (std::is_same_v<T, float>) {
#if defined(__AVX512F__)
    for (; o < area; o += 16) {
      __m512 sum = _mm512_setzero_ps();
      for (Index q = 0; q < t.slots; ++q) {
        const __m512i at = _mm512_loadu_si512(t.offset.data() + q * t.stride + o);
        const __mmask16 valid = _mm512_cmpge_epi32_mask(at, _mm512_setzero_si512());
        sum = _mm512_add_ps(sum, _mm512_mask_i32gather_ps(_mm512_setzero_ps(), valid, at, base, 4));
      }
      sum = _mm512_add_ps(sum, _mm512_set1_ps(bias));
      const Index left = area - o;
      _mm512_mask_storeu_ps(out + o, left >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << left) - 1),
                            sum);
    }
    return;
#elif defined(__AVX2__)
    for (; o < area; o += 8) {
      __m256 sum = _mm256_setzero_ps();
      for (Index q = 0; q < t.slots; ++q) {
        const __m256i at = _mm256_loadu_si256(
            reinterpret_cast<const __m256i*>(t.offset.data() + q * t.stride + o));
        const __m256 valid = _mm256_castsi256_ps(_mm256_cmpgt_epi32(at, _mm256_set1_epi32(-1)));
        sum = _mm256_add_ps(sum, _mm256_mask_i32gather_ps(_mm256_setzero_ps(), base, at, valid, 4));
      }
      sum = _mm256_add_ps(sum, _mm256_set1_ps(bias));
      const Index left = area - o;
      if (left >= 8) {
        _mm256_storeu_ps(out + o, sum);
      } else {
        const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        _mm256_maskstore_ps(out + o, _mm256_cmpgt_epi32(_mm256_set1_epi32(int(left)), lanes), sum);
      }
    }
    return;
#endif
  }
  for (; o < area; ++o) {
    T sum = T(0);
    for (Index q = 0; q < t.slots; ++q) {
      const std::int32_t at = t.offset[static_cast<std::size_t>(q * t.stride + o)];
      if (at >= 0) sum += base[at];
    }
    out[o] = sum + bias;
  }
}

/// The largest kernel add_rows_stride2 takes.
inline constexpr Index stride2_rows_max_kernel = 16;

#if defined(__AVX512F__) || defined(__AVX2__)
/// col2im of one (sample, channel) plane for stride 2 (see the file comment): out (H, W) =
/// the entries of the plane's k·k patch rows, which start at `taps` and lie `cols` apart,
/// summed per pixel in increasing (ky, kx) from 0, then + bias, as sum_sources does. Half
/// is ⌈k/2⌉, the most taps of one parity along an axis, fixed at compile time so that the
/// tap loops unroll and their masks stay in registers.
///
/// A pixel x of output row y sits in phase b = (x + p) mod 2 at v = ⌊(x + p)/2⌋; tap
/// kx = b + 2i gives it the entry at ox = v − i, and tap ky = (y + p) mod 2 + 2j the patch
/// row oy = ⌊(y + p)/2⌋ − j. Every row makes the same Half² loads a phase, those of missing
/// taps with no lane, so that no branch depends on the row. Lanes with no entry add 0,
/// which leaves every sum as it is (a sum that starts from +0 is never −0).
template <Index Half>
void add_rows_stride2(const PatchGeometry& g, const float* taps, Index cols, float bias,
                      float* out) {
  using L = Stride2Lanes;
  using Mask = typename L::Mask;
  const Index k = g.kernel, p = g.padding, ho = g.out_height(), wo = g.out_width();
  for (Index v0 = 0; 2 * v0 - p < g.width; v0 += L::lanes) {
    // Lane t of taps kx = 2i and 2i + 1 reads ox = v0 + t − i, present for 0 ≤ ox < wo.
    Mask even_taps[Half], odd_taps[Half];
    unroll<static_cast<int>(Half)>([&](auto i) {
      even_taps[i] = L::mask(i - v0, wo + i - v0);
      odd_taps[i] = L::only_if(even_taps[i], 2 * i + 1 < k);
    });
    const Index x0 = 2 * v0 - p;  // the pixel of lane 0 of the even phase
    const Mask low = L::mask(-x0, g.width - x0);
    const Mask high = L::mask(-x0 - L::lanes, g.width - x0 - L::lanes);
    for (Index y = 0; y < g.height; ++y) {
      const Index phase = (y + p) % 2, v = (y + p) / 2;
      typename L::Vec even = L::zero(), odd = L::zero();  // (x + p) mod 2 = 0 and 1
      unroll<static_cast<int>(Half)>([&](auto j) {
        const Index ky = phase + 2 * j, oy = v - j;
        const bool in = ky < k && oy >= 0 && oy < ho;
        const float* row = taps + (in ? ky * k * cols + oy * wo : 0) + v0;
        unroll<static_cast<int>(Half)>([&](auto i) {
          even = L::add(even, L::load(row + 2 * i * cols - i, L::only_if(even_taps[i], in)));
          odd = L::add(odd, L::load(row + (2 * i + 1) * cols - i, L::only_if(odd_taps[i], in)));
        });
      });
      L::store_interleaved(even, odd, bias, out + y * g.width + x0, low, high);
    }
  }
}

/// add_rows_stride2 for the kernel of g (at most stride2_rows_max_kernel).
inline void add_rows_stride2(const PatchGeometry& g, const float* taps, Index cols, float bias,
                             float* out) {
  [&]<Index... H>(std::integer_sequence<Index, H...>) {
    ((g.kernel <= 2 * (H + 1) ? (add_rows_stride2<H + 1>(g, taps, cols, bias, out), true)
                              : false) ||
     ...);
  }
  (std::make_integer_sequence<Index, stride2_rows_max_kernel / 2>{});
}
#endif

}  // namespace detail

/// image (N, C, H, W) = col2im(col): each entry of col (C·k·k, N·Ho·Wo) added to the pixel
/// im2col reads it from, then bias[c] added to channel c when `bias` is given. Overwrites
/// `image`; pixels that no patch covers get the bias (or 0).
///
/// A pixel's entries are summed in increasing (ky, kx), from 0, then the bias added: the
/// order in which a scatter over the taps adds them, so the sums are those of the
/// definition's loop, on both ways through a plane (see the file comment).
template <class T>
void col2im(const PatchGeometry& g, Index batch, const T* col, T* image, const T* bias = nullptr) {
  const Index k = g.kernel, l = g.positions(), cols = batch * l, area = g.height * g.width;
  const Index planes = batch * g.channels;
  constexpr bool has_rows = std::is_same_v<T, float> && detail::has_stride2_lanes;
  const bool by_rows = has_rows && g.stride == 2 && k <= detail::stride2_rows_max_kernel;
  // Only the gathers' table holds 32-bit offsets.
  GAN_CHECK(by_rows || k * k * cols <= Index(INT32_MAX), "col2im: ", k * k * cols,
            " entries per channel, more than 32-bit offsets reach");
  const detail::Col2imSources* sources = by_rows ? nullptr : &detail::col2im_sources(g, cols);
  [[maybe_unused]] const int threads = core::num_threads();
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) \
    num_threads(threads) if (g.rows() * cols > detail::parallel_threshold)
#endif
  for (Index plane = 0; plane < planes; ++plane) {
    const Index c = plane / batch, n = plane % batch;
    const T* taps = col + c * k * k * cols + n * l;
    const T b = bias != nullptr ? bias[c] : T(0);
    T* out = image + (n * g.channels + c) * area;
#if defined(__AVX512F__) || defined(__AVX2__)
    if constexpr (has_rows) {
      if (by_rows) {
        detail::add_rows_stride2(g, taps, cols, b, out);
        continue;
      }
    }
#endif
    detail::sum_sources(*sources, taps, area, b, out);
  }
}

}  // namespace gan::simd
