// Square transposes through registers, for the GEMM packing of an operand whose K steps
// are contiguous in memory (A for Trans::N, B for Trans::T). Packed element by element,
// such an operand made the NT product of a 64-row batch about a third slower (measured on
// Zen 5); a Q×Q block through registers costs Q loads, Q stores and a few shuffles per Q²
// values. xsimd 8 has no transpose and no two-register lane permute, so the per-ISA
// blocks are written with intrinsics here; transpose_panel uses the widest block the build
// has and goes element by element where there is none (other types, other ISAs, edges).
#pragma once

#include <type_traits>
#include "gan/core/xsimd.hpp"

#include "gan/core/shape.hpp"
#include "gan/simd/gemm_unroll.hpp"

namespace gan::simd::detail {

#if XSIMD_WITH_SSE2
/// Q = 4 floats or 2 doubles, one 128-bit register per row (SSE2: every x86-64 core).
inline void transpose_block(const float* src, Index lds, float* dst, Index ldd,
                            std::integral_constant<Index, 4>) {
  using F = xsimd::batch<float, xsimd::sse2>;
  using D = xsimd::batch<double, xsimd::sse2>;
  // Rows a, b, c, d → (a0 b0 a1 b1), (a2 b2 a3 b3), (c0 d0 c1 d1), (c2 d2 c3 d3) → columns
  // by joining 64-bit halves: (a0 b0 c0 d0), (a1 b1 c1 d1), …
  const F a = F::load_unaligned(src), b = F::load_unaligned(src + lds);
  const F c = F::load_unaligned(src + 2 * lds), d = F::load_unaligned(src + 3 * lds);
  const D ab_lo = xsimd::bitwise_cast<D>(xsimd::zip_lo(a, b));
  const D ab_hi = xsimd::bitwise_cast<D>(xsimd::zip_hi(a, b));
  const D cd_lo = xsimd::bitwise_cast<D>(xsimd::zip_lo(c, d));
  const D cd_hi = xsimd::bitwise_cast<D>(xsimd::zip_hi(c, d));
  xsimd::bitwise_cast<F>(xsimd::zip_lo(ab_lo, cd_lo)).store_unaligned(dst);
  xsimd::bitwise_cast<F>(xsimd::zip_hi(ab_lo, cd_lo)).store_unaligned(dst + ldd);
  xsimd::bitwise_cast<F>(xsimd::zip_lo(ab_hi, cd_hi)).store_unaligned(dst + 2 * ldd);
  xsimd::bitwise_cast<F>(xsimd::zip_hi(ab_hi, cd_hi)).store_unaligned(dst + 3 * ldd);
}

inline void transpose_block(const double* src, Index lds, double* dst, Index ldd,
                            std::integral_constant<Index, 2>) {
  using D = xsimd::batch<double, xsimd::sse2>;
  const D a = D::load_unaligned(src), b = D::load_unaligned(src + lds);
  xsimd::zip_lo(a, b).store_unaligned(dst);
  xsimd::zip_hi(a, b).store_unaligned(dst + ldd);
}
#endif

#if XSIMD_WITH_AVX
/// Q = 8 floats or 4 doubles, one 256-bit register per row (AVX, and so AVX2 and AVX-512).
/// Pairs of rows are interleaved within each 128-bit lane, then the two lanes exchanged.
inline void transpose_block(const float* src, Index lds, float* dst, Index ldd,
                            std::integral_constant<Index, 8>) {
  // Written out, not looped over arrays: GCC at -O2 keeps looped arrays in memory.
  const __m256 a = _mm256_loadu_ps(src), b = _mm256_loadu_ps(src + lds);
  const __m256 c = _mm256_loadu_ps(src + 2 * lds), d = _mm256_loadu_ps(src + 3 * lds);
  const __m256 e = _mm256_loadu_ps(src + 4 * lds), f = _mm256_loadu_ps(src + 5 * lds);
  const __m256 g = _mm256_loadu_ps(src + 6 * lds), h = _mm256_loadu_ps(src + 7 * lds);
  const __m256 ab0 = _mm256_unpacklo_ps(a, b), ab1 = _mm256_unpackhi_ps(a, b);  // a0 b0 a1 b1 |
  const __m256 cd0 = _mm256_unpacklo_ps(c, d), cd1 = _mm256_unpackhi_ps(c, d);  // a4 b4 a5 b5
  const __m256 ef0 = _mm256_unpacklo_ps(e, f), ef1 = _mm256_unpackhi_ps(e, f);
  const __m256 gh0 = _mm256_unpacklo_ps(g, h), gh1 = _mm256_unpackhi_ps(g, h);
  const __m256 abcd0 = _mm256_shuffle_ps(ab0, cd0, 0x44);  // a0 b0 c0 d0 | a4 b4 c4 d4
  const __m256 abcd1 = _mm256_shuffle_ps(ab0, cd0, 0xEE);
  const __m256 abcd2 = _mm256_shuffle_ps(ab1, cd1, 0x44);
  const __m256 abcd3 = _mm256_shuffle_ps(ab1, cd1, 0xEE);
  const __m256 efgh0 = _mm256_shuffle_ps(ef0, gh0, 0x44);
  const __m256 efgh1 = _mm256_shuffle_ps(ef0, gh0, 0xEE);
  const __m256 efgh2 = _mm256_shuffle_ps(ef1, gh1, 0x44);
  const __m256 efgh3 = _mm256_shuffle_ps(ef1, gh1, 0xEE);
  _mm256_storeu_ps(dst, _mm256_permute2f128_ps(abcd0, efgh0, 0x20));
  _mm256_storeu_ps(dst + ldd, _mm256_permute2f128_ps(abcd1, efgh1, 0x20));
  _mm256_storeu_ps(dst + 2 * ldd, _mm256_permute2f128_ps(abcd2, efgh2, 0x20));
  _mm256_storeu_ps(dst + 3 * ldd, _mm256_permute2f128_ps(abcd3, efgh3, 0x20));
  _mm256_storeu_ps(dst + 4 * ldd, _mm256_permute2f128_ps(abcd0, efgh0, 0x31));
  _mm256_storeu_ps(dst + 5 * ldd, _mm256_permute2f128_ps(abcd1, efgh1, 0x31));
  _mm256_storeu_ps(dst + 6 * ldd, _mm256_permute2f128_ps(abcd2, efgh2, 0x31));
  _mm256_storeu_ps(dst + 7 * ldd, _mm256_permute2f128_ps(abcd3, efgh3, 0x31));
}

inline void transpose_block(const double* src, Index lds, double* dst, Index ldd,
                            std::integral_constant<Index, 4>) {
  const __m256d a = _mm256_loadu_pd(src), b = _mm256_loadu_pd(src + lds);
  const __m256d c = _mm256_loadu_pd(src + 2 * lds), d = _mm256_loadu_pd(src + 3 * lds);
  const __m256d ab0 = _mm256_unpacklo_pd(a, b), ab1 = _mm256_unpackhi_pd(a, b);  // a0 b0 | a2 b2
  const __m256d cd0 = _mm256_unpacklo_pd(c, d), cd1 = _mm256_unpackhi_pd(c, d);  // a1 b1 | a3 b3
  _mm256_storeu_pd(dst, _mm256_permute2f128_pd(ab0, cd0, 0x20));
  _mm256_storeu_pd(dst + ldd, _mm256_permute2f128_pd(ab1, cd1, 0x20));
  _mm256_storeu_pd(dst + 2 * ldd, _mm256_permute2f128_pd(ab0, cd0, 0x31));
  _mm256_storeu_pd(dst + 3 * ldd, _mm256_permute2f128_pd(ab1, cd1, 0x31));
}

#endif

#if XSIMD_WITH_AVX512F
/// Q = 16 floats, one 512-bit register per row (AVX-512): 64 shuffles for 256 values
/// where 8×8 blocks take 96. Pairs of rows are interleaved within 128-bit lanes, then
/// the lanes of four rows are gathered in two rounds of lane shuffles.
inline void transpose_block(const float* src, Index lds, float* dst, Index ldd,
                            std::integral_constant<Index, 16>) {
  // The zero-masked forms with every lane selected: the unmasked intrinsics of GCC 12
  // start from _mm512_undefined_ps(), which -Werror=uninitialized rejects.
  constexpr __mmask16 all = 0xFFFF;
  __m512 r[16], t[16];
  unroll<16>([&](auto i) { r[i] = _mm512_loadu_ps(src + i * lds); });
  unroll<8>([&](auto i) {
    t[2 * i] = _mm512_maskz_unpacklo_ps(all, r[2 * i], r[2 * i + 1]);      // per lane: a0 b0 a1 b1
    t[2 * i + 1] = _mm512_maskz_unpackhi_ps(all, r[2 * i], r[2 * i + 1]);  // per lane: a2 b2 a3 b3
  });
  // r[4g + j], lane L: column 4L + j of rows 4g … 4g+3.
  unroll<4>([&](auto g) {
    r[4 * g] = _mm512_maskz_shuffle_ps(all, t[4 * g], t[4 * g + 2], 0x44);
    r[4 * g + 1] = _mm512_maskz_shuffle_ps(all, t[4 * g], t[4 * g + 2], 0xEE);
    r[4 * g + 2] = _mm512_maskz_shuffle_ps(all, t[4 * g + 1], t[4 * g + 3], 0x44);
    r[4 * g + 3] = _mm512_maskz_shuffle_ps(all, t[4 * g + 1], t[4 * g + 3], 0xEE);
  });
  unroll<4>([&](auto j) {
    // Lanes (0, 2) and (1, 3) of row groups 0, 1 and 2, 3, then of those.
    const __m512 even01 = _mm512_maskz_shuffle_f32x4(all, r[j], r[4 + j], 0x88);
    const __m512 odd01 = _mm512_maskz_shuffle_f32x4(all, r[j], r[4 + j], 0xDD);
    const __m512 even23 = _mm512_maskz_shuffle_f32x4(all, r[8 + j], r[12 + j], 0x88);
    const __m512 odd23 = _mm512_maskz_shuffle_f32x4(all, r[8 + j], r[12 + j], 0xDD);
    _mm512_storeu_ps(dst + j * ldd, _mm512_maskz_shuffle_f32x4(all, even01, even23, 0x88));
    _mm512_storeu_ps(dst + (4 + j) * ldd, _mm512_maskz_shuffle_f32x4(all, odd01, odd23, 0x88));
    _mm512_storeu_ps(dst + (8 + j) * ldd, _mm512_maskz_shuffle_f32x4(all, even01, even23, 0xDD));
    _mm512_storeu_ps(dst + (12 + j) * ldd, _mm512_maskz_shuffle_f32x4(all, odd01, odd23, 0xDD));
  });
}
#endif

/// Transposes lanes [q, q + Q·⌊(w − q)/Q⌋) of a kc-step block in Q×Q register blocks:
/// dst[p·ldd + q'] = src[q'·lds + p]; the last kc mod Q steps one element at a time.
/// Returns the first lane left over; does nothing where the build has no Q×Q block for T.
template <Index Q, class T>
Index transpose_lanes(const T* src, Index lds, Index kc, Index q, Index w, T* dst, Index ldd) {
  if constexpr (requires {
                  transpose_block(src, lds, dst, ldd, std::integral_constant<Index, Q>{});
                }) {
    for (; q + Q <= w; q += Q) {
      Index p = 0;
      for (; p + Q <= kc; p += Q) {
        transpose_block(src + q * lds + p, lds, dst + p * ldd + q, ldd,
                        std::integral_constant<Index, Q>{});
      }
      for (; p < kc; ++p) {
        for (Index i = 0; i < Q; ++i) dst[p * ldd + q + i] = src[(q + i) * lds + p];
      }
    }
  }
  return q;
}

/// dst[p·ldd + q] = src[q·lds + p] for q < w, p < kc: the widest register blocks first,
/// then narrower ones, then element by element.
template <class T>
void transpose_panel(const T* src, Index lds, Index kc, Index w, T* dst, Index ldd) {
  Index q = transpose_lanes<16>(src, lds, kc, 0, w, dst, ldd);
  q = transpose_lanes<8>(src, lds, kc, q, w, dst, ldd);
  q = transpose_lanes<4>(src, lds, kc, q, w, dst, ldd);
  q = transpose_lanes<2>(src, lds, kc, q, w, dst, ldd);
  for (; q < w; ++q) {
    for (Index p = 0; p < kc; ++p) dst[p * ldd + q] = src[q * lds + p];
  }
}

}  // namespace gan::simd::detail
