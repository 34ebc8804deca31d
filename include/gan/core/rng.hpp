// Rng: counter-based random streams (Philox4x32-10, Salmon et al., "Parallel Random
// Numbers: As Easy as 1, 2, 3", SC 2011). A stream is (seed, stream id, position): its
// whole state is three integers, so it is saved in a checkpoint and restored bit for bit,
// and two streams with different ids never overlap.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <utility>

#include "gan/core/box_muller.hpp"
#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"

namespace gan::core {

/// Purposes that get their own independent stream, so that (for example) changing how
/// many noise vectors are drawn never changes the data order.
enum class Stream : std::uint64_t {
  init = 1,     ///< weight initialization
  noise = 2,    ///< generator input z
  shuffle = 3,  ///< data order
  penalty = 4,  ///< interpolation points of gradient penalties
  labels = 5,   ///< labels drawn when sampling conditional models
  data = 6,     ///< synthetic data sets (toy mixtures)
  user = 100,   ///< first id free for the caller
};

/// Everything needed to resume a stream exactly.
struct RngState {
  std::uint64_t seed = 0;
  std::uint64_t stream = 0;
  std::uint64_t block = 0;  ///< Philox blocks consumed
  std::uint32_t used = 4;   ///< values of the current block already returned (4 = none left)
  friend bool operator==(const RngState&, const RngState&) = default;
};

/// A seeded, counter-based random stream.
class Rng {
 public:
  Rng() : Rng(0, Stream::user) {}
  Rng(std::uint64_t seed, Stream stream) : Rng(seed, static_cast<std::uint64_t>(stream)) {}
  Rng(std::uint64_t seed, std::uint64_t stream) {
    m_state.seed = seed;
    m_state.stream = stream;
  }
  explicit Rng(const RngState& s) { restore(s); }

  /// The state to save; `restore` continues exactly where this left off.
  const RngState& state() const { return m_state; }
  void restore(const RngState& s) {
    m_state = s;
    if (m_state.used < 4) m_block = philox(m_state.block - 1);
  }

  /// 32-bit values drawn so far (a uniform takes 2, a normal 4).
  std::uint64_t position() const { return m_state.block * 4 + m_state.used - 4; }
  /// Skips `values` 32-bit values at the cost of one Philox block: the stream continues
  /// as if they had been drawn (data-parallel ranks draw disjoint parts of one stream).
  void discard(std::uint64_t values) {
    const std::uint64_t p = position() + values;
    const auto used = static_cast<std::uint32_t>(p % 4);
    if (used == 0)
      restore({m_state.seed, m_state.stream, p / 4, 4});
    else
      restore({m_state.seed, m_state.stream, p / 4 + 1, used});
  }

  /// Next 32 random bits.
  std::uint32_t next_u32() {
    if (m_state.used >= 4) {
      m_block = philox(m_state.block++);
      m_state.used = 0;
    }
    return m_block[m_state.used++];
  }
  /// Next 64 random bits.
  std::uint64_t next_u64() {
    std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }
  /// Uniform double in [0, 1) with 53 random bits.
  double uniform() {
    const std::uint32_t hi = next_u32();
    return detail::uniform_of(hi, next_u32());
  }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Standard normal by Box–Muller (two uniforms a value, no cached second value, so
  /// the state stays three integers).
  double normal() {
    const double u1 = uniform();
    return detail::standard_normal(u1, uniform());
  }
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  /// Uniform integer in [0, n), unbiased (rejection on the top of the range).
  std::uint64_t below(std::uint64_t n) {
    GAN_CHECK(n > 0, "Rng::below(0)");
    std::uint64_t limit = ~std::uint64_t(0) - (~std::uint64_t(0) % n);
    std::uint64_t r;
    do r = next_u64();
    while (r >= limit);
    return r % n;
  }

  /// out[i] = normal(mean, stddev) for each i in turn (the same stream), computed on SIMD
  /// batches: the values match the scalar calls' to a few ulp of double precision.
  template <class T>
  void fill_normal(std::span<T> out, double mean = 0, double stddev = 1) {
    constexpr std::size_t chunk = detail::box_muller_chunk;
    std::uint32_t bits[4 * chunk];
    for (std::size_t at = 0; at < out.size(); at += chunk) {
      const std::size_t n = std::min(chunk, out.size() - at);
      fill_u32(std::span(bits, 4 * n));
      detail::box_muller(bits, n, mean, stddev, out.data() + at);
    }
  }
  /// out[i] = next_u32() for each i in turn, whole Philox blocks on SIMD lanes.
  void fill_u32(std::span<std::uint32_t> out) {
    std::size_t i = 0;
    for (; i < out.size() && m_state.used < 4; ++i) out[i] = m_block[m_state.used++];
    const std::size_t blocks = (out.size() - i) / 4;
    philox_blocks<64>(m_state.block, blocks, out.data() + i);
    m_state.block += blocks;
    for (i += 4 * blocks; i < out.size(); ++i) out[i] = next_u32();
  }
  template <class T>
  void fill_uniform(std::span<T> out, double lo = 0, double hi = 1) {
    for (auto& v : out) v = static_cast<T>(uniform(lo, hi));
  }
  /// Fisher–Yates shuffle.
  template <class T>
  void shuffle(std::span<T> v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  using Block = std::array<std::uint32_t, 4>;

  /// Philox4x32 with 10 rounds; counter = (block, stream), key = seed.
  Block philox(std::uint64_t block) const {
    Block c;
    philox_blocks<1>(block, 1, c.data());
    return c;
  }

  /// Philox of blocks [first, first + count) into out, 4 values each, run on `Lanes`
  /// blocks at once in plain loops that the compiler vectorizes (32×32-bit products in 64
  /// bits): fill_u32 takes 64 lanes, a single draw one.
  template <std::size_t Lanes>
  void philox_blocks(std::uint64_t first, std::size_t count, std::uint32_t* out) const {
    const auto s0 = static_cast<std::uint32_t>(m_state.stream);
    const auto s1 = static_cast<std::uint32_t>(m_state.stream >> 32);
    for (std::size_t at = 0; at < count; at += Lanes) {
      std::uint32_t c0[Lanes], c1[Lanes], c2[Lanes], c3[Lanes];
      for (std::size_t l = 0; l < Lanes; ++l) {
        const std::uint64_t block = first + at + l;
        c0[l] = static_cast<std::uint32_t>(block);
        c1[l] = static_cast<std::uint32_t>(block >> 32);
        c2[l] = s0;
        c3[l] = s1;
      }
      std::uint32_t k0 = static_cast<std::uint32_t>(m_state.seed);
      std::uint32_t k1 = static_cast<std::uint32_t>(m_state.seed >> 32);
      for (int round = 0; round < 10; ++round) {
        for (std::size_t l = 0; l < Lanes; ++l) {
          const std::uint64_t p0 = std::uint64_t(0xD2511F53u) * c0[l];
          const std::uint64_t p1 = std::uint64_t(0xCD9E8D57u) * c2[l];
          const auto n0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1[l] ^ k0;
          const auto n2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3[l] ^ k1;
          c1[l] = static_cast<std::uint32_t>(p1);
          c3[l] = static_cast<std::uint32_t>(p0);
          c0[l] = n0;
          c2[l] = n2;
        }
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
      }
      const std::size_t n = std::min(Lanes, count - at);
      for (std::size_t l = 0; l < n; ++l) {
        std::uint32_t* o = out + 4 * (at + l);
        o[0] = c0[l], o[1] = c1[l], o[2] = c2[l], o[3] = c3[l];
      }
    }
  }

  RngState m_state;
  Block m_block{};
};

}  // namespace gan::core

namespace gan {
using core::Rng;
using core::Stream;
}  // namespace gan
