#include "gan/metric/distribution_1d.hpp"

#include <doctest/doctest.h>

#include "gan/core/rng.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

using gan::metric::HistogramOptions;
using gan::metric::kl_divergence;
using gan::metric::Normal;
using gan::metric::wasserstein1;

namespace {

std::vector<double> normal_sample(double mean, double stddev, std::size_t n, std::uint64_t seed) {
  gan::Rng rng(seed, gan::Stream::user);
  std::vector<double> x(n);
  for (double& v : x) v = rng.normal(mean, stddev);
  return x;
}

// KL(N(m1, s1²) ‖ N(m2, s2²)) in closed form.
double normal_kl(double m1, double s1, double m2, double s2) {
  return std::log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2 * s2 * s2) - 0.5;
}

double phi(double z) {
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

}  // namespace

TEST_CASE("W1 of equal-size samples is the mean gap of the sorted values") {
  const std::vector<double> a = {0, 3, 1}, b = {5, 1, 2};
  CHECK(wasserstein1(a, b) == doctest::Approx((1.0 + 1.0 + 2.0) / 3));
  CHECK(wasserstein1(b, a) == doctest::Approx(4.0 / 3));
  CHECK(wasserstein1(a, a) == 0);
  const std::vector<float> shifted = {0.5f, 3.5f, 1.5f};
  CHECK(wasserstein1(a, shifted) == doctest::Approx(0.5));
}

TEST_CASE("W1 of unequal sizes equals W1 of the samples repeated to a common size") {
  // Repeating each value of a (size n) m times and of b (size m) n times changes neither
  // distribution, and makes the sizes equal: the sorted-gap formula then applies.
  for (auto [n, m] : {std::pair<std::size_t, std::size_t>{7, 5}, {1, 4}, {6, 9}, {13, 13}}) {
    const std::vector<double> a = normal_sample(0, 1, n, n), b = normal_sample(0.5, 2, m, 100 + m);
    std::vector<double> ra, rb;
    for (double v : a) ra.insert(ra.end(), m, v);
    for (double v : b) rb.insert(rb.end(), n, v);
    std::sort(ra.begin(), ra.end());
    std::sort(rb.begin(), rb.end());
    double gap = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) gap += std::abs(ra[i] - rb[i]);
    CHECK(wasserstein1(a, b) == doctest::Approx(gap / double(ra.size())).epsilon(1e-12));
  }
}

TEST_CASE("W1 between samples of N(0,1) and N(1,1) is close to 1") {
  const auto a = normal_sample(0, 1, 20000, 1), b = normal_sample(1, 1, 30000, 2);
  CHECK(wasserstein1(a, b) == doctest::Approx(1.0).epsilon(0.03));
  CHECK(wasserstein1(a, Normal{1, 1}) == doctest::Approx(1.0).epsilon(0.03));
  CHECK(wasserstein1(a, Normal{0, 1}) < 0.03);
}

TEST_CASE("W1 against an analytic normal is exact") {
  // One point x0: W1 = E|X − x0| = σ (2φ(d) + d (2Φ(d) − 1)), d = (x0 − μ)/σ.
  const Normal n{4, 0.5};
  for (double x0 : {4.0, 3.1, 6.7, -20.0}) {
    const double d = (x0 - n.mean) / n.stddev;
    const double pdf = std::exp(-0.5 * d * d) / std::sqrt(2 * std::numbers::pi);
    const double expected = n.stddev * (2 * pdf + d * (2 * phi(d) - 1));
    CHECK(wasserstein1(std::vector<double>{x0}, n) == doctest::Approx(expected).epsilon(1e-12));
  }
  // A small sample: ∫ |F_n − Φ| by Simpson's rule between consecutive sample values, where
  // F_n is constant (the kink where Φ crosses it costs O(h²)).
  std::vector<double> x = normal_sample(3.5, 1.2, 9, 5);
  x.push_back(x[2]);  // a tie
  std::sort(x.begin(), x.end());
  std::vector<double> ends = {n.mean - 12 * n.stddev};
  ends.insert(ends.end(), x.begin(), x.end());
  ends.push_back(std::max(x.back(), n.mean) + 12 * n.stddev);
  double integral = 0;
  for (std::size_t piece = 0; piece + 1 < ends.size(); ++piece) {
    const double c = double(piece) / double(x.size()), a = ends[piece], b = ends[piece + 1];
    const int steps = 20000;
    const double h = (b - a) / steps;
    auto f = [&](double t) { return std::abs(c - phi((t - n.mean) / n.stddev)); };
    double sum = f(a) + f(b);
    for (int k = 1; k < steps; ++k) sum += (k % 2 ? 4 : 2) * f(a + k * h);
    integral += sum * h / 3;
  }
  CHECK(wasserstein1(x, n) == doctest::Approx(integral).epsilon(1e-7));
}

TEST_CASE("KL of a sample against itself is 0, against another normal near the closed form") {
  const auto data = normal_sample(4, 0.5, 200000, 21);
  CHECK(kl_divergence(data, data) == 0);
  const auto wide = normal_sample(4, 1, 200000, 22);
  const double exact = normal_kl(4, 0.5, 4, 1);  // ln 2 + 1/8 − 1/2 = 0.318
  CHECK(kl_divergence(data, wide) == doctest::Approx(exact).epsilon(0.03));
  CHECK(kl_divergence(Normal{4, 0.5}, wide) == doctest::Approx(exact).epsilon(0.03));
  const auto shifted = normal_sample(4.5, 0.5, 200000, 23);
  CHECK(kl_divergence(data, shifted) == doctest::Approx(normal_kl(4, 0.5, 4.5, 0.5)).epsilon(0.03));
  // A sample of the data distribution itself: small (binning noise only).
  const auto same = normal_sample(4, 0.5, 200000, 24);
  CHECK(kl_divergence(data, same) < 2e-3);
  CHECK(kl_divergence(Normal{4, 0.5}, same) < 2e-3);
}

TEST_CASE("KL histograms: the pseudocount keeps disjoint samples finite, the range clamps") {
  const std::vector<double> a = {0, 0.01, 0.02, 0.03}, b = {10, 10.1};
  HistogramOptions raw;
  raw.pseudocount = 0;
  CHECK(std::isinf(kl_divergence(a, b, raw)));
  const double smoothed = kl_divergence(a, b);
  CHECK(std::isfinite(smoothed));
  // 100 bins over [0, 10.1]: a fills bin 0 (4 counts), b bins 99 (2 counts); α = 0.5.
  const double p0 = 4.5 / (4 + 50.0), pe = 0.5 / (4 + 50.0), q = 0.5 / (2 + 50.0);
  CHECK(smoothed == doctest::Approx(p0 * std::log(p0 / q) + 98 * pe * std::log(pe / q) +
                                    pe * std::log(pe / (2.5 / 52.0))));
  // A range that clamps every value into the end bins; two bins.
  HistogramOptions two;
  two.bins = 2;
  two.pseudocount = 0;
  two.range = {{4, 6}};
  const std::vector<double> c = {-100, 4.9, 5.1, 200}, d = {5.5, 5.5, 5.5, 0};
  CHECK(kl_divergence(c, d, two) ==
        doctest::Approx(0.5 * std::log(0.5 / 0.25) + 0.5 * std::log(0.5 / 0.75)));
}

TEST_CASE("distribution_1d rejects bad input") {
  const std::vector<double> a = {1, 2};
  CHECK_THROWS_WITH_AS(wasserstein1(std::vector<double>{}, a),
                       "wasserstein1(a): the sample is empty", gan::Error);
  CHECK_THROWS_AS(kl_divergence(gan::Tensor<float>(gan::core::features(3, 2)), a), gan::Error);
  CHECK_THROWS_AS(wasserstein1(Normal{0, 0}, a), gan::Error);
  HistogramOptions o;
  o.bins = 0;
  CHECK_THROWS_AS(kl_divergence(a, a, o), gan::Error);
  o.bins = 10;
  o.range = {{1, 1}};
  CHECK_THROWS_AS(kl_divergence(a, a, o), gan::Error);
  const std::vector<double> nan = {1, std::numeric_limits<double>::quiet_NaN()};
  CHECK_THROWS_AS(wasserstein1(a, nan), gan::Error);
}
