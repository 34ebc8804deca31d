#include "gan/simd/elementwise.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"

namespace {

using gan::Index;
namespace detail = gan::simd::detail;

/// Counts around the SIMD width and around both thresholds at which a pass is split
/// between the threads, with odd tails.
std::vector<Index> counts() {
  return {0,
          1,
          15,
          17,
          detail::parallel_transcendental_min - 1,
          detail::parallel_transcendental_min + 37,
          detail::parallel_cheap_min - 1,
          detail::parallel_cheap_min + 101};
}

/// Runs pass(out) on `threads` threads.
std::vector<float> run(int threads, Index n, const std::function<void(float*)>& pass) {
  gan::core::ThreadScope scope(threads);
  std::vector<float> out(std::size_t(n) + 1, -7.0f);  // one sentinel past n
  pass(out.data());
  return out;
}

/// Checks pass against expect(i) within ulps·eps·scale(i) (scale defaults to |expect(i)|),
/// that it leaves the value past n alone, and that 1 and 2 threads give the same bits.
void check_pass(Index n, const std::function<void(float*)>& pass,
                const std::function<double(Index)>& expect, double ulps,
                const std::function<double(Index)>& scale = {}) {
  CAPTURE(n);
  const std::vector<float> one = run(1, n, pass), two = run(2, n, pass);
  CHECK(std::memcmp(one.data(), two.data(), one.size() * sizeof(float)) == 0);
  CHECK(one[std::size_t(n)] == -7.0f);
  Index bad = 0;
  for (Index i = 0; i < n; ++i) {
    const double want = expect(i);
    const double tol =
        ulps * std::numeric_limits<float>::epsilon() * (scale ? scale(i) : std::abs(want)) +
        std::numeric_limits<float>::denorm_min();
    if (!(std::abs(double(one[std::size_t(i)]) - want) <= tol)) {
      if (bad++ == 0) CHECK(one[std::size_t(i)] == doctest::Approx(want));
    }
  }
  CHECK(bad == 0);
}

std::vector<float> uniform(Index n, std::uint64_t seed, float scale) {
  std::vector<float> v(std::size_t(n) + 1);
  gan::Rng rng(seed, gan::Stream::user);
  rng.fill_uniform(std::span<float>(v), -scale, scale);
  return v;
}

}  // namespace

TEST_CASE("leaky_relu and its backward match the scalar formula on any thread count") {
  for (Index n : counts()) {
    const std::vector<float> x = uniform(n, 1, 3), dy = uniform(n, 2, 1);
    check_pass(
        n, [&](float* y) { gan::simd::leaky_relu(x.data(), n, 0.2f, y); },
        [&](Index i) { return x[i] > 0 ? x[i] : 0.2f * x[i]; }, 0);
    check_pass(
        n, [&](float* dx) { gan::simd::leaky_relu_backward(x.data(), dy.data(), n, 0.2f, dx); },
        [&](Index i) { return x[i] > 0 ? dy[i] : 0.2f * dy[i]; }, 0);
  }
}

TEST_CASE("leaky_relu runs in place") {
  const Index n = detail::parallel_cheap_min + 5;
  std::vector<float> x = uniform(n, 3, 2);
  const std::vector<float> copy = x;
  {
    gan::core::ThreadScope scope(2);
    gan::simd::leaky_relu(x.data(), n, 0.1f, x.data());
  }
  for (Index i = 0; i < n; ++i) {
    CAPTURE(i);
    REQUIRE(x[i] == (copy[i] > 0 ? copy[i] : 0.1f * copy[i]));
  }
}

TEST_CASE("tanh and its backward match the double-precision formula on any thread count") {
  for (Index n : counts()) {
    const std::vector<float> x = uniform(n, 4, 5), v = uniform(n, 5, 1);
    std::vector<float> y(std::size_t(n) + 1);
    gan::simd::tanh_forward(x.data(), n, y.data());
    check_pass(
        n, [&](float* out) { gan::simd::tanh_forward(x.data(), n, out); },
        [&](Index i) { return std::tanh(double(x[i])); }, 4);
    // (1 − y²)·v in float, against the same formula in double on the same y: without a
    // fused multiply-add (SSE2) 1 − y² cancels, so the bound is on the terms, (1 + y²)·|v|.
    check_pass(
        n, [&](float* out) { gan::simd::tanh_backward(y.data(), v.data(), n, out); },
        [&](Index i) { return (1 - double(y[i]) * y[i]) * v[i]; }, 4,
        [&](Index i) { return (1 + double(y[i]) * y[i]) * std::abs(v[i]); });
  }
}
