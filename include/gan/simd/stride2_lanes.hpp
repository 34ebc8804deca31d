// Stride2Lanes: the registers that col2im's stride-2 path (simd/col2im.hpp) is written
// on, for float with AVX-512 or AVX2: contiguous masked loads, and the interleaving of two
// registers on the way out, in place of hardware gathers (the 52 gathers of a 14×14 plane
// of W2 took 240–260 ns on the Intel host measured). xsimd 8 has neither masked loads nor
// two-register permutes, so these are intrinsics, as in simd/gemm_transpose.hpp.
//
// Masked lanes are neither read nor written, so a load or store may start before the
// values it needs or run past them.
#pragma once

#include <algorithm>

#include "gan/core/shape.hpp"
#include "gan/core/xsimd.hpp"  // immintrin.h, under the GCC 12 workaround

namespace gan::simd::detail {

#if defined(__AVX512F__)
/// AVX-512: 16 lanes.
struct Stride2Lanes {
  static constexpr Index lanes = 16;
  using Vec = __m512;
  using Mask = __mmask16;
  static Vec zero() { return _mm512_setzero_ps(); }
  /// Lanes t with first ≤ t < end.
  static Mask mask(Index first, Index end) {
    first = std::clamp<Index>(first, 0, 16);
    end = std::clamp<Index>(end, 0, 16);
    if (first >= end) return 0;
    return static_cast<Mask>(((1u << end) - 1) & ~((1u << first) - 1));
  }
  /// m where `keep`, no lane otherwise.
  static Mask only_if(Mask m, bool keep) { return keep ? m : Mask(0); }
  /// The lanes of m read from p[0 … 16), zero elsewhere; the other lanes are not read.
  static Vec load(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
  /// even[0] odd[0] even[1] odd[1] … + bias into the lanes of (low, high) of out[0 … 32).
  static void store_interleaved(Vec even, Vec odd, float bias, float* out, Mask low, Mask high) {
    const __m512i first = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i second =
        _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const __m512 b = _mm512_set1_ps(bias);
    _mm512_mask_storeu_ps(out, low, _mm512_add_ps(_mm512_permutex2var_ps(even, first, odd), b));
    _mm512_mask_storeu_ps(out + 16, high,
                          _mm512_add_ps(_mm512_permutex2var_ps(even, second, odd), b));
  }
};
#elif defined(__AVX2__)
/// AVX2: 8 lanes.
struct Stride2Lanes {
  static constexpr Index lanes = 8;
  using Vec = __m256;
  using Mask = __m256i;  // all bits of a lane set where it is in
  static Vec zero() { return _mm256_setzero_ps(); }
  static Mask mask(Index first, Index end) {
    const __m256i t = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const auto f = static_cast<int>(std::clamp<Index>(first, 0, 8));
    const auto e = static_cast<int>(std::clamp<Index>(end, 0, 8));
    return _mm256_and_si256(_mm256_cmpgt_epi32(t, _mm256_set1_epi32(f - 1)),
                            _mm256_cmpgt_epi32(_mm256_set1_epi32(e), t));
  }
  static Mask only_if(Mask m, bool keep) { return keep ? m : _mm256_setzero_si256(); }
  static Vec load(const float* p, Mask m) { return _mm256_maskload_ps(p, m); }
  static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
  static void store_interleaved(Vec even, Vec odd, float bias, float* out, Mask low, Mask high) {
    const __m256 b = _mm256_set1_ps(bias);
    const __m256 lo = _mm256_unpacklo_ps(even, odd);  // e0 o0 e1 o1 | e4 o4 e5 o5
    const __m256 hi = _mm256_unpackhi_ps(even, odd);  // e2 o2 e3 o3 | e6 o6 e7 o7
    _mm256_maskstore_ps(out, low, _mm256_add_ps(_mm256_permute2f128_ps(lo, hi, 0x20), b));
    _mm256_maskstore_ps(out + 8, high, _mm256_add_ps(_mm256_permute2f128_ps(lo, hi, 0x31), b));
  }
};
#endif

/// Whether the build has Stride2Lanes.
inline constexpr bool has_stride2_lanes =
#if defined(__AVX512F__) || defined(__AVX2__)
    true;
#else
    false;
#endif

}  // namespace gan::simd::detail
