// simd::sum_of_squares (simd/reduce.hpp): the squared norm the model reports for each
// gradient, against a plain double loop, on lengths around the SIMD widths.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/simd/reduce.hpp"

TEST_CASE("sum_of_squares matches a double loop and ignores the thread count") {
  gan::Rng rng(4, gan::Stream::user);
  // Around the SIMD widths, one chunk (65,536), several chunks summed on the threads, and
  // past 256 chunks of the least size (16,777,216), where the chunks grow.
  for (gan::Index n : {0, 1, 7, 8, 15, 16, 17, 31, 33, 1000, 65'536, 65'537, 262'143, 550'000,
                       16'777'216 + 1000}) {
    CAPTURE(n);
    std::vector<float> x(static_cast<std::size_t>(n));
    for (auto& v : x) v = static_cast<float>(rng.uniform(-2, 2));
    long double sum = 0;  // x86's 80-bit extended: the reference's own rounding is negligible
    for (float v : x) sum += static_cast<long double>(v) * v;
    const double want = static_cast<double>(sum);
    const double got = gan::simd::sum_of_squares(x.data(), n);
    CHECK(got == doctest::Approx(want).epsilon(1e-12));
    {
      gan::core::ThreadScope one(1);
      CHECK(gan::simd::sum_of_squares(x.data(), n) == got);
    }
    gan::core::ThreadScope two(2);
    CHECK(gan::simd::sum_of_squares(x.data(), n) == got);
  }
  const double d[] = {3.0, 4.0};
  CHECK(gan::simd::sum_of_squares(d, 2) == 25.0);
}
