// Box–Muller on SIMD batches: the standard normals of Rng::fill_normal from the stream's
// 32-bit values, four per normal, as Rng::normal draws them. A libm log and cos per value
// were an eighth of an MLP GAN step (W1), which draws 8,192 normals for its two noise
// batches.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include "gan/core/xsimd.hpp"

namespace gan::core::detail {

/// The uniform double in [0, 1) of Rng::uniform from two 32-bit values, high word first.
inline double uniform_of(std::uint32_t hi, std::uint32_t lo) {
  const std::uint64_t bits = (std::uint64_t(hi) << 32) | lo;
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

/// sqrt(−2 log(1 − u1)) · cos(2π u2): the standard normal of two uniforms in [0, 1), on
/// doubles or on batches of them (1 − u1 is in (0, 1], so the log is finite).
template <class V>
V standard_normal(const V& u1, const V& u2) {
  using std::cos, std::log, std::sqrt, xsimd::cos, xsimd::log, xsimd::sqrt;
  return sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * std::numbers::pi * u2);
}

/// Normals box_muller computes at once (its stack arrays).
inline constexpr std::size_t box_muller_chunk = 64;

/// out[i] = mean + stddev · standard_normal(u1, u2) for i < n ≤ box_muller_chunk,
/// where u1 and u2 are the uniforms of bits[4i, 4i + 2) and bits[4i + 2, 4i + 4), computed
/// in double (xsimd's log and cos are within a few ulp of libm's) and rounded to T once.
/// Plain loops over the chunk around the batches, which the compiler's loop vectorizer
/// takes (the project may build without the SLP vectorizer: README, "Compilers").
template <class T>
void box_muller(const std::uint32_t* bits, std::size_t n, double mean, double stddev, T* out) {
  const auto normal = [&](const auto& u1, const auto& u2) {
    return mean + stddev * standard_normal(u1, u2);
  };
  if constexpr (xsimd::has_simd_register<double, xsimd::default_arch>::value) {
    using B = xsimd::batch<double>;
    constexpr std::size_t W = B::size;
    alignas(64) double u1[box_muller_chunk], u2[box_muller_chunk], r[box_muller_chunk];
    for (std::size_t i = 0; i < n; ++i) {
      u1[i] = uniform_of(bits[4 * i], bits[4 * i + 1]);
      u2[i] = uniform_of(bits[4 * i + 2], bits[4 * i + 3]);
    }
    const std::size_t padded = (n + W - 1) / W * W;
    for (std::size_t i = n; i < padded; ++i) u1[i] = u2[i] = 0.5;
    for (std::size_t i = 0; i < padded; i += W) {
      normal(B::load_aligned(u1 + i), B::load_aligned(u2 + i)).store_aligned(r + i);
    }
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<T>(r[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t* b = bits + 4 * i;
      out[i] = static_cast<T>(normal(uniform_of(b[0], b[1]), uniform_of(b[2], b[3])));
    }
  }
}

}  // namespace gan::core::detail
