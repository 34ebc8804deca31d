#include "gan/metric/mode_coverage.hpp"

#include <doctest/doctest.h>

#include "gan/core/rng.hpp"

#include <cmath>
#include <numbers>
#include <vector>

using gan::Index;
using gan::metric::ModeCoverage;

namespace {

// ring8: 8 centres on the unit circle at angles 2πi/8 (WORKLOADS.md Q1).
gan::Tensor<double> ring8() {
  gan::Tensor<double> c(gan::core::features(8, 2));
  for (Index i = 0; i < 8; ++i) {
    const double angle = 2 * std::numbers::pi * static_cast<double>(i) / 8;
    c(i, 0) = std::cos(angle);
    c(i, 1) = std::sin(angle);
  }
  return c;
}

// grid25: centres at {−4, −2, 0, 2, 4}².
gan::Tensor<double> grid25() {
  gan::Tensor<double> c(gan::core::features(25, 2));
  for (Index i = 0; i < 25; ++i) {
    c(i, 0) = -4.0 + 2.0 * static_cast<double>(i / 5);
    c(i, 1) = -4.0 + 2.0 * static_cast<double>(i % 5);
  }
  return c;
}

// n draws from the mixture, each from mode pick(i) with per-coordinate noise N(0, σ²).
template <class T, class Pick>
gan::Tensor<T> draw(const gan::Tensor<double>& centres, double sigma, Index n, Pick pick,
                    std::uint64_t seed) {
  gan::Rng rng(seed, gan::Stream::user);
  gan::Tensor<T> x(gan::core::features(n, centres.features()));
  for (Index i = 0; i < n; ++i) {
    const Index k = pick(i, rng);
    for (Index f = 0; f < centres.features(); ++f) {
      x(i, f) = static_cast<T>(centres(k, f) + sigma * rng.normal());
    }
  }
  return x;
}

auto uniform_mode(Index k) {
  return [k](Index, gan::Rng& rng) { return static_cast<Index>(rng.below(std::uint64_t(k))); };
}

}  // namespace

TEST_CASE("a perfect sampler of ring8 and grid25 captures every mode, 98.9% HQ, KL ≈ 0") {
  // 40,000 samples: the HQ fraction's standard error is 0.05%, the KL's bias (K−1)/(2n).
  const double hq_2d = 1 - std::exp(-4.5);  // mass of the 3σ disc of a 2D Gaussian
  for (int which = 0; which < 2; ++which) {
    const gan::Tensor<double> centres = which == 0 ? ring8() : grid25();
    const double sigma = which == 0 ? 0.01 : 0.05;
    const ModeCoverage metric(centres, sigma);
    const auto x = draw<float>(centres, sigma, 40000, uniform_mode(centres.n()), 7 + which);
    const auto s = metric.score(x);
    CHECK(s.modes == centres.n());
    CHECK(s.hq == doctest::Approx(hq_2d).epsilon(0.003));
    CHECK(s.reverse_kl >= 0);
    CHECK(s.reverse_kl < 2e-3);
    Index total = 0;
    for (Index c : s.hq_counts) total += c;
    CHECK(static_cast<double>(total) / 40000.0 == doctest::Approx(s.hq));
  }
}

TEST_CASE("a 1D mixture sampled perfectly is 99.73% HQ") {
  gan::Tensor<double> centres(gan::core::features(3, 1));
  centres[0] = -2;
  centres[1] = 0;
  centres[2] = 2;
  const auto x = draw<double>(centres, 0.1, 100000, uniform_mode(3), 11);
  const auto s = ModeCoverage(centres, 0.1).score(x);
  CHECK(s.modes == 3);
  CHECK(s.hq == doctest::Approx(std::erf(3 / std::numbers::sqrt2)).epsilon(0.001));
  CHECK(s.reverse_kl < 1e-3);
}

TEST_CASE("a sampler that hits 4 of the 8 ring modes evenly scores 4 modes and KL = ln 2") {
  const gan::Tensor<double> centres = ring8();
  const auto x = draw<double>(
      centres, 0.01, 2000, [](Index i, gan::Rng&) { return 2 * (i % 4); }, 3);
  const auto s = ModeCoverage(centres, 0.01).score(x);
  CHECK(s.modes == 4);
  // Every HQ sample sits on an even mode; the few non-HQ ones break the exact balance.
  for (Index k = 1; k < 8; k += 2) CHECK(s.hq_counts[std::size_t(k)] == 0);
  double kl = 0;
  Index hq = 0;
  for (Index c : s.hq_counts) hq += c;
  for (Index c : s.hq_counts) {
    if (c > 0) kl += double(c) / double(hq) * std::log(double(c) / double(hq) * 8);
  }
  CHECK(s.reverse_kl == doctest::Approx(kl).epsilon(1e-12));
  CHECK(s.reverse_kl == doctest::Approx(std::log(2.0)).epsilon(0.01));
}

TEST_CASE("reverse KL of an uneven histogram follows the definition exactly") {
  const gan::Tensor<double> centres = ring8();
  // Points exactly on centres: 3 on mode 1, 1 on mode 5.
  gan::Tensor<double> x(gan::core::features(4, 2));
  for (Index i = 0; i < 4; ++i) {
    const Index k = i < 3 ? 1 : 5;
    x(i, 0) = centres(k, 0);
    x(i, 1) = centres(k, 1);
  }
  const auto s = ModeCoverage(centres, 0.01).score(x);
  CHECK(s.modes == 2);
  CHECK(s.hq == 1.0);
  CHECK(s.reverse_kl == doctest::Approx(0.75 * std::log(6.0) + 0.25 * std::log(2.0)));
}

TEST_CASE("HQ is a closed ball of 3σ; far points are not HQ and leave KL undefined") {
  gan::Tensor<double> centres(gan::core::features(2, 2), 0.0);
  centres(1, 0) = 10;
  const ModeCoverage metric(centres, 0.5);
  CHECK(metric.hq_radius() == 1.5);
  gan::Tensor<double> x(gan::core::features(3, 2), 0.0);
  x(0, 1) = 1.5;         // on the boundary of mode 0: HQ
  x(1, 1) = 1.5 + 1e-9;  // just outside
  x(2, 0) = 10 - 1.5;    // on the boundary of mode 1
  x(2, 1) = 0;
  auto s = metric.score(x);
  CHECK(s.hq == doctest::Approx(2.0 / 3));
  CHECK(s.hq_counts == std::vector<Index>{1, 1});
  CHECK(s.modes == 2);
  CHECK(s.reverse_kl == doctest::Approx(0.0));

  gan::Tensor<float> far(gan::core::features(5, 2), 5.0f);
  s = metric.score(far);
  CHECK(s.modes == 0);
  CHECK(s.hq == 0);
  CHECK(std::isnan(s.reverse_kl));
}

TEST_CASE("ModeCoverage rejects bad centres, sigma and sample dimensions") {
  const gan::Tensor<double> centres = ring8();
  CHECK_THROWS_WITH_AS(ModeCoverage(centres, 0.0), "ModeCoverage: sigma must be positive, got 0",
                       gan::Error);
  CHECK_THROWS_AS(ModeCoverage(gan::Tensor<double>(gan::core::features(0, 2)), 1.0), gan::Error);
  const ModeCoverage metric(centres, 0.01);
  CHECK_THROWS_WITH_AS(metric.score(gan::Tensor<float>(gan::core::features(4, 3))),
                       "ModeCoverage: samples have 3 features, the centres 2", gan::Error);
  CHECK_THROWS_AS(metric.score(gan::Tensor<float>(gan::core::features(0, 2))), gan::Error);
}
