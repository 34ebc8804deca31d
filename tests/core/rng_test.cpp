#include "gan/core/rng.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

using gan::Rng;
using gan::Stream;

TEST_CASE("Rng streams are reproducible and independent") {
  Rng a(42, Stream::noise), b(42, Stream::noise), c(42, Stream::shuffle), d(43, Stream::noise);
  std::vector<std::uint32_t> va, vb, vc, vd;
  for (int i = 0; i < 100; ++i) {
    va.push_back(a.next_u32());
    vb.push_back(b.next_u32());
    vc.push_back(c.next_u32());
    vd.push_back(d.next_u32());
  }
  CHECK(va == vb);
  CHECK(va != vc);
  CHECK(va != vd);
}

TEST_CASE("Rng state restores mid-block") {
  Rng a(7, Stream::penalty);
  for (int i = 0; i < 5; ++i) a.next_u32();  // in the middle of the second block
  gan::core::RngState s = a.state();
  std::vector<double> rest;
  for (int i = 0; i < 10; ++i) rest.push_back(a.normal());
  Rng b(s);
  for (int i = 0; i < 10; ++i) CHECK(b.normal() == rest[i]);
}

TEST_CASE("Rng distributions have the right moments") {
  Rng r(1, Stream::user);
  const int n = 200000;
  double s = 0, s2 = 0, u = 0;
  for (int i = 0; i < n; ++i) {
    double z = r.normal(4.0, 0.5);
    s += z;
    s2 += z * z;
    u += r.uniform();
  }
  double mean = s / n, var = s2 / n - mean * mean;
  CHECK(mean == doctest::Approx(4.0).epsilon(0.003));
  CHECK(std::sqrt(var) == doctest::Approx(0.5).epsilon(0.01));
  CHECK(u / n == doctest::Approx(0.5).epsilon(0.01));
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) counts[r.below(7)]++;
  for (int c : counts) CHECK(std::abs(c - 10000) < 500);
}

TEST_CASE("Rng is Philox4x32-10: Random123's known answers, drawn one by one and in bulk") {
  // kat_vectors of Random123: counter (block, stream) and key (seed), low words first.
  struct Case {
    gan::core::RngState state;
    std::uint32_t expected[4];
  };
  const Case cases[] = {
      {{0, 0, 0, 4}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{~0ull, ~0ull, ~0ull, 4}, {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x299f31d0a4093822ull, 0x0370734413198a2eull, 0x85a308d3243f6a88ull, 4},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Case& c : cases) {
    Rng one(c.state), bulk(c.state);
    std::vector<std::uint32_t> bits(4);
    bulk.fill_u32(bits);
    for (int i = 0; i < 4; ++i) {
      CHECK(one.next_u32() == c.expected[i]);
      CHECK(bits[i] == c.expected[i]);
    }
  }
}

TEST_CASE("Rng fill_u32 and fill_normal continue the stream as the scalar draws do") {
  // Seeds and stream ids with both words set, and a block counter about to carry into its
  // high word; starts mid-block and lengths that end mid-block and leave partial lanes.
  for (std::uint64_t block : {std::uint64_t(0), (std::uint64_t(1) << 32) - 5}) {
    for (std::uint32_t start : {0u, 1u, 3u}) {
      for (std::size_t n : {1u, 3u, 4u, 63u, 64u, 65u, 257u, 1000u}) {
        const gan::core::RngState s{0x123456789ABCDEFull, 0xFEDCBA9876543210ull, block, 4};
        Rng vector(s), scalar(s);
        for (std::uint32_t i = 0; i < start; ++i) vector.next_u32(), scalar.next_u32();
        std::vector<std::uint32_t> bits(n);
        vector.fill_u32(bits);
        for (std::size_t i = 0; i < n; ++i) CHECK(bits[i] == scalar.next_u32());
        CHECK(vector.state() == scalar.state());

        Rng as_float = vector;
        std::vector<double> z(n);
        std::vector<float> zf(n);
        vector.fill_normal(std::span<double>(z), 0.5, 2.0);
        as_float.fill_normal(std::span<float>(zf), 0.5, 2.0);
        for (std::size_t i = 0; i < n; ++i) {
          const double expected = scalar.normal(0.5, 2.0);
          // xsimd's log and cos against libm's: a few ulp of the value's scale.
          CHECK(std::abs(z[i] - expected) <= 1e-15 * std::max(2.0, std::abs(expected)));
          const float f = static_cast<float>(expected);
          CHECK((zf[i] == f || zf[i] == std::nextafter(f, 2 * f) ||
                 zf[i] == std::nextafter(f, -2 * f)));
        }
        CHECK(vector.state() == scalar.state());
        CHECK(as_float.state() == scalar.state());
      }
    }
  }
}

TEST_CASE("Rng shuffle is a permutation") {
  Rng r(3, Stream::shuffle);
  std::vector<int> v(1000);
  for (int i = 0; i < 1000; ++i) v[i] = i;
  r.shuffle(std::span<int>(v));
  std::set<int> seen(v.begin(), v.end());
  CHECK(seen.size() == 1000);
  int fixed = 0;
  for (int i = 0; i < 1000; ++i) fixed += v[i] == i;
  CHECK(fixed < 10);
}

TEST_CASE("Rng discard continues as if the values had been drawn") {
  for (std::uint64_t start : {0u, 1u, 3u, 4u, 6u}) {
    for (std::uint64_t skip : {0u, 1u, 2u, 4u, 5u, 11u, 4000u}) {
      Rng drawn(9, Stream::noise), skipped(9, Stream::noise);
      for (std::uint64_t i = 0; i < start; ++i) {
        drawn.next_u32();
        skipped.next_u32();
      }
      for (std::uint64_t i = 0; i < skip; ++i) drawn.next_u32();
      skipped.discard(skip);
      CHECK(skipped.position() == start + skip);
      CHECK(drawn.position() == skipped.position());
      CHECK(skipped.state() == drawn.state());
      for (int i = 0; i < 9; ++i) CHECK(skipped.next_u32() == drawn.next_u32());
    }
  }
  Rng r(1, Stream::noise);
  r.normal();
  CHECK(r.position() == 4);  // a normal takes four 32-bit values (two uniforms)
  r.uniform();
  CHECK(r.position() == 6);
}
