// im2col: the data movement that turns a convolution into one GEMM (Chellapilla et al.,
// "High Performance Convolutional Neural Networks for Document Processing", 2006), and the
// swap of the batch and channel axes around that GEMM. Its adjoint, col2im, is in
// simd/col2im.hpp.
//
// The column matrix of a batch is batch-wide, so that one GEMM covers every sample:
//
//     col (C·k·k, N·Ho·Wo), row r = (c·k + ky)·k + kx, column j = n·Ho·Wo + oy·Wo + ox
//     col[r][j] = image[n][c][oy·s − p + ky][ox·s − p + kx]   (0 outside the image)
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/parallel.hpp"
#include "gan/core/shape.hpp"
#include "gan/core/xsimd.hpp"  // immintrin.h, under the GCC 12 workaround

namespace gan::simd {

/// How square k×k patches are cut from a C×H×W image with stride s and zero padding p.
struct PatchGeometry {
  Index channels = 1;
  Index height = 1;
  Index width = 1;
  Index kernel = 1;
  Index stride = 1;
  Index padding = 0;

  /// Patch positions down: ⌊(H + 2p − k) / s⌋ + 1 (0 when the kernel does not fit).
  constexpr Index out_height() const { return positions_along(height); }
  /// Patch positions across: ⌊(W + 2p − k) / s⌋ + 1 (0 when the kernel does not fit).
  constexpr Index out_width() const { return positions_along(width); }
  /// Rows of the column matrix: C·k·k.
  constexpr Index rows() const { return channels * kernel * kernel; }
  /// Patches of one image: Ho·Wo.
  constexpr Index positions() const { return out_height() * out_width(); }
  /// Values of one image: C·H·W.
  constexpr Index image_size() const { return channels * height * width; }

 private:
  constexpr Index positions_along(Index size) const {
    return size + 2 * padding < kernel ? 0 : (size + 2 * padding - kernel) / stride + 1;
  }
};

namespace detail {

/// Below this many moved values a kernel runs on one thread: a parallel region costs
/// more than the copy.
inline constexpr Index parallel_threshold = 1 << 15;

/// Values of one zero-bordered plane: (H + 2p)·(W + 2p).
constexpr Index padded_plane(const PatchGeometry& g) {
  return (g.height + 2 * g.padding) * (g.width + 2 * g.padding);
}

/// Where, in a plane of row length `row` (the bordered plane, or the image without
/// padding), the top-left corner of each patch sits: offsets[oy·Wo + ox] = oy·s·row + ox·s.
/// Patch (ky, kx) of the positions is then plane[ky·row + kx + offsets[j]]. The table is
/// the calling thread's and only grows, so a training step allocates nothing after the
/// first.
inline const std::int32_t* patch_offsets(const PatchGeometry& g, Index row) {
  thread_local std::vector<std::int32_t> table;
  const Index ho = g.out_height(), wo = g.out_width();
  table.resize(static_cast<std::size_t>(ho * wo));
  for (Index oy = 0; oy < ho; ++oy)
    for (Index ox = 0; ox < wo; ++ox)
      table[static_cast<std::size_t>(oy * wo + ox)] =
          static_cast<std::int32_t>(oy * g.stride * row + ox * g.stride);
  return table.data();
}

/// out[j] = base[offsets[j]] for j < count. With stride 2 a patch row holds only 7 to 14
/// values (W2), so row-by-row copies spent their time in loop control; a hardware gather
/// per register is faster. (xsimd 8's gather emulates the instruction lane by lane.)
template <class T>
void gather(const T* base, const std::int32_t* offsets, Index count, T* out) {
  Index j = 0;
  if constexpr (std::is_same_v<T, float>) {
#if defined(__AVX512F__)
    for (; j + 16 <= count; j += 16) {
      const __m512i at = _mm512_loadu_si512(offsets + j);
      // The masked form with a zero source: the plain one starts from an undefined
      // register, which GCC 12 reports as maybe-uninitialized (bug 105593).
      _mm512_storeu_ps(out + j, _mm512_mask_i32gather_ps(_mm512_setzero_ps(), 0xFFFF, at, base, 4));
    }
#elif defined(__AVX2__)
    for (; j + 8 <= count; j += 8) {
      const __m256i at = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(offsets + j));
      const __m256 all = _mm256_castsi256_ps(_mm256_set1_epi32(-1));
      _mm256_storeu_ps(out + j, _mm256_mask_i32gather_ps(_mm256_setzero_ps(), base, at, all, 4));
    }
#endif
  }
  for (; j < count; ++j) out[j] = base[offsets[j]];
}

/// Whether im2col cuts the patches of g with patch_rows_by_permute: float on AVX-512,
/// strided, a patch row fits one register, and the values that the patches starting on
/// one plane row read lie in its first 32, (k − 1) + s·(Wo − 1) < 32 (W2: 16 and 30).
template <class T>
bool permute_covers([[maybe_unused]] const PatchGeometry& g) {
#if defined(__AVX512F__)
  const Index wo = g.out_width();
  return std::is_same_v<T, float> && g.stride > 1 && wo <= 16 &&
         (g.kernel - 1) + g.stride * (wo - 1) < 32;
#else
  return false;
#endif
}

#if defined(__AVX512F__)
/// The k·k rows of col of one plane (row length `row`; patch row (ky, kx) goes to
/// dst + (ky·k + kx)·cols), for float with AVX-512 where permute_covers<float>(g): each
/// plane row that patches read is loaded once into two registers, and each of its k patch rows,
/// row[kx + s·ox] for ox < Wo, is picked out by one two-register permute. On W2's
/// stride-2 shapes this moves a plane in a fraction of the time of the gathers, whose
/// latency the stores waited on (Zen 5: 79% of im2col's samples on the store after one).
inline void patch_rows_by_permute(const float* plane, Index row, const PatchGeometry& g, float* dst,
                                  Index cols) {
  const Index k = g.kernel, s = g.stride, ho = g.out_height(), wo = g.out_width();
  const Index used = (k - 1) + s * (wo - 1) + 1;  // values of a plane row that are read
  const auto lanes = [](Index count) {
    return static_cast<__mmask16>((1u << std::clamp<Index>(count, 0, 16)) - 1u);
  };
  const __mmask16 low = lanes(used), high = lanes(used - 16), out = lanes(wo);
  const __m512i first = _mm512_mullo_epi32(
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
      _mm512_set1_epi32(static_cast<int>(s)));  // s·ox; lanes past Wo are not stored
  for (Index ky = 0; ky < k; ++ky) {
    for (Index oy = 0; oy < ho; ++oy) {
      const float* r = plane + (oy * s + ky) * row;
      const __m512 lo = _mm512_maskz_loadu_ps(low, r);
      const __m512 hi = _mm512_maskz_loadu_ps(high, r + 16);  // no lane read when used ≤ 16
      for (Index kx = 0; kx < k; ++kx) {
        const __m512i at = _mm512_add_epi32(first, _mm512_set1_epi32(static_cast<int>(kx)));
        _mm512_mask_storeu_ps(dst + (ky * k + kx) * cols + oy * wo, out,
                              _mm512_permutex2var_ps(lo, at, hi));
      }
    }
  }
}
#endif

}  // namespace detail

/// Values of the workspace that im2col needs: one zero-bordered
/// (H + 2p)×(W + 2p) plane per thread (gan::num_threads() at the time of the call).
/// With the border in memory the patch loops need no bounds: on the W2 shapes, whose patch
/// rows hold only 7 to 28 values, clipping each row to the image cost more than the copy.
inline Index im2col_workspace(const PatchGeometry& g) {
  return g.padding == 0 ? 0 : core::num_threads() * detail::padded_plane(g);
}

/// col (C·k·k, N·Ho·Wo) = the patches of the N images `image` (N, C, H, W); see the file
/// comment for the layout. Every entry of col is written. `workspace` holds
/// im2col_workspace(g) values. Consecutive samples of `image` lie `sample_stride` values
/// apart (0: C·H·W, a dense batch); a larger stride takes channels [c, c + C) of images
/// with more channels, `image` pointing at channel c of the first one.
///
/// The planes run channel by channel, samples inside: consecutive planes continue the same
/// k·k rows of col, so the writes stream instead of jumping between rows N·Ho·Wo apart.
template <class T>
void im2col(const PatchGeometry& g, Index batch, const T* image, T* col, T* workspace,
            Index sample_stride = 0) {
  const Index k = g.kernel, s = g.stride, p = g.padding;
  const Index ho = g.out_height(), wo = g.out_width(), l = ho * wo, cols = batch * l;
  const Index planes = batch * g.channels, wp = g.width + 2 * p, size = detail::padded_plane(g);
  const Index stride = sample_stride > 0 ? sample_stride : g.image_size();
  [[maybe_unused]] const int threads = core::num_threads();
  const bool by_permute = detail::permute_covers<T>(g);
#if defined(_OPENMP)
#pragma omp parallel num_threads(threads) if (g.rows() * cols > detail::parallel_threshold)
#endif
  {
    T* padded = p > 0 ? workspace + core::thread_id() * size : nullptr;  // (H + 2p, W + 2p)
    if (p > 0) std::fill(padded, padded + size, T(0));                   // the border stays 0
    const std::int32_t* offsets =  // (Ho·Wo), for the gathers
        s == 1 || by_permute ? nullptr : detail::patch_offsets(g, wp);
#if defined(_OPENMP)
#pragma omp for schedule(static)
#endif
    for (Index plane = 0; plane < planes; ++plane) {
      const Index c = plane / batch, n = plane % batch;
      const T* src = image + n * stride + c * g.height * g.width;  // (H, W)
      if (p > 0) {
        for (Index y = 0; y < g.height; ++y)
          std::copy(src + y * g.width, src + (y + 1) * g.width, padded + (y + p) * wp + p);
        src = padded;
      }
#if defined(__AVX512F__)
      if constexpr (std::is_same_v<T, float>) {
        if (by_permute) {
          detail::patch_rows_by_permute(src, wp, g, col + c * k * k * cols + n * l, cols);
          continue;
        }
      }
#endif
      for (Index ky = 0; ky < k; ++ky) {
        for (Index kx = 0; kx < k; ++kx) {
          T* dst = col + ((c * k + ky) * k + kx) * cols + n * l;  // (Ho, Wo)
          if (s == 1) {
            for (Index oy = 0; oy < ho; ++oy) {
              const T* in = src + (oy + ky) * wp + kx;
              std::copy(in, in + wo, dst + oy * wo);
            }
          } else {
            detail::gather(src + ky * wp + kx, offsets, l, dst);
          }
        }
      }
    }
  }
}

/// dst (C, N·L) = src (N, C, L): the channel-major layout that a batch-wide GEMM reads.
template <class T>
void batch_to_channels(const T* src, Index batch, Index channels, Index l, T* dst) {
  const Index planes = batch * channels;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (planes * l > detail::parallel_threshold)
#endif
  for (Index plane = 0; plane < planes; ++plane) {
    const Index n = plane / channels, c = plane % channels;
    std::copy(src + plane * l, src + (plane + 1) * l, dst + (c * batch + n) * l);
  }
}

/// dst (N, C, L) = src (C, N·L) [+ bias[c]]: a batch-wide GEMM's result back in batch-first
/// order, with the bias added on the way when `bias` is given.
template <class T>
void channels_to_batch(const T* src, Index batch, Index channels, Index l, T* dst,
                       const T* bias = nullptr) {
  const Index planes = batch * channels;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (planes * l > detail::parallel_threshold)
#endif
  for (Index plane = 0; plane < planes; ++plane) {
    const Index n = plane / channels, c = plane % channels;
    const T* in = src + (c * batch + n) * l;
    T* out = dst + plane * l;
    if (bias != nullptr) {
      const T b = bias[c];
      for (Index j = 0; j < l; ++j) out[j] = in[j] + b;
    } else {
      std::copy(in, in + l, out);
    }
  }
}

}  // namespace gan::simd
