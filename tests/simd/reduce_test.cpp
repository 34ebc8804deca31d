#include "gan/simd/reduce.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <vector>

#include "gan/core/rng.hpp"

using gan::Index;

TEST_CASE("add_column_sums adds each column into out") {
  // 3×2: columns sum to 1 + 3 + 5 and 2 + 4 + 6, added to what out holds
  double a[] = {1, 2, 3, 4, 5, 6};
  double out[] = {10, -1};
  gan::simd::add_column_sums(a, 3, 2, out);
  CHECK(out[0] == 19);
  CHECK(out[1] == 11);
}

TEST_CASE("lane_sums equals plain sums for counts around the lane count") {
  gan::Rng rng(3, gan::Stream::user);
  // 0, less than, equal to, more than one and several lane blocks, with tails
  for (Index count : {0, 1, 7, 8, 9, 16, 23, 100}) {
    std::vector<double> v(count);
    for (auto& x : v) x = rng.uniform(-1, 1);
    double s = 0, q = 0;
    for (double x : v) s += x, q += x * x;
    auto sums = gan::simd::lane_sums<2>(count, [&](auto at) {
      const auto x = at(v.data());
      return std::array{x, x * x};
    });
    CAPTURE(count);
    CHECK(sums[0] == doctest::Approx(s).epsilon(1e-14));
    CHECK(sums[1] == doctest::Approx(q).epsilon(1e-14));
  }
}

TEST_CASE("lane_sums adds in a fixed lane order") {
  // Value j goes to lane j mod 8: lane 0 gets 1e16 then 1 (and 1e16 + 1 rounds back to
  // 1e16), lane 1 gets −1e16, so the lanes add up to 0, where a left-to-right sum gives 1.
  std::vector<double> v = {1e16, -1e16, 0, 0, 0, 0, 0, 0, 1};
  double left_to_right = 0;
  for (double x : v) left_to_right += x;
  CHECK(left_to_right == 1);
  auto sums = gan::simd::lane_sums<1>(9, [&](auto at) { return std::array{at(v.data())}; });
  CHECK(sums[0] == 0);
}

TEST_CASE("moments: mean and biased variance without cancellation") {
  double a[] = {1, 2, 3, 4};
  auto m = gan::simd::moments(a, 4);
  CHECK(m.mean == doctest::Approx(2.5));
  CHECK(m.variance == doctest::Approx(1.25));  // (2.25 + 0.25 + 0.25 + 2.25) / 4
  auto one = gan::simd::moments(a, 1);
  CHECK(one.mean == 1);
  CHECK(one.variance == 0);

  // Float values 10000 + {0, 0.5, ..., 49.5}, variance 208.3125: the textbook
  // Σx²/n − (Σx/n)² in float is far off; the shifted double sums are exact.
  std::vector<float> f(100);
  for (Index j = 0; j < 100; ++j) f[j] = 10000.0f + 0.5f * static_cast<float>(j);
  float s = 0, q = 0;
  for (float x : f) s += x, q += x * x;
  CHECK(std::abs((q / 100 - (s / 100) * (s / 100)) - 208.3125f) > 1.0f);
  auto fm = gan::simd::moments(f.data(), 100);
  CHECK(fm.mean == doctest::Approx(10024.75).epsilon(1e-12));
  CHECK(fm.variance == doctest::Approx(0.25 * (100.0 * 100.0 - 1) / 12).epsilon(1e-12));
}
