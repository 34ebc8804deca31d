// Rng: counter-based random streams (Philox4x32-10, Salmon et al., "Parallel Random
// Numbers: As Easy as 1, 2, 3", SC 2011). A stream is (seed, stream id, position): its
// whole state is three integers, so it is saved in a checkpoint and restored bit for bit,
// and two streams with different ids never overlap.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <utility>

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
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Standard normal by Box–Muller (two uniforms a value, no cached second value, so
  /// the state stays three integers).
  double normal() {
    double u1 = 1.0 - uniform();  // (0, 1]: log is finite
    double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
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

  template <class T>
  void fill_normal(std::span<T> out, double mean = 0, double stddev = 1) {
    for (auto& v : out) v = static_cast<T>(normal(mean, stddev));
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

  static void mulhilo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi, std::uint32_t& lo) {
    std::uint64_t p = std::uint64_t(a) * b;
    hi = static_cast<std::uint32_t>(p >> 32);
    lo = static_cast<std::uint32_t>(p);
  }

  /// Philox4x32 with 10 rounds; counter = (block, stream), key = seed.
  Block philox(std::uint64_t block) const {
    Block c = {static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
               static_cast<std::uint32_t>(m_state.stream),
               static_cast<std::uint32_t>(m_state.stream >> 32)};
    std::uint32_t k0 = static_cast<std::uint32_t>(m_state.seed);
    std::uint32_t k1 = static_cast<std::uint32_t>(m_state.seed >> 32);
    for (int round = 0; round < 10; ++round) {
      std::uint32_t hi0, lo0, hi1, lo1;
      mulhilo(0xD2511F53u, c[0], hi0, lo0);
      mulhilo(0xCD9E8D57u, c[2], hi1, lo1);
      c = {hi1 ^ c[1] ^ k0, lo1, hi0 ^ c[3] ^ k1, lo0};
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    return c;
  }

  RngState m_state;
  Block m_block{};
};

}  // namespace gan::core

namespace gan {
using core::Rng;
using core::Stream;
}  // namespace gan
