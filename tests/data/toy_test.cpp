#include "gan/data/toy.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <vector>

using gan::Tensor;
using gan::data::Mixture;

TEST_CASE("ring8, grid25 and gauss1d are the protocols' mixtures") {
  Mixture ring = gan::data::ring8();
  CHECK(ring.name == "ring8");
  CHECK(ring.dim == 2);
  CHECK(ring.sigma == 0.01);
  REQUIRE(ring.modes() == 8);
  for (int i = 0; i < 8; ++i) {
    double a = 2 * std::numbers::pi * i / 8;
    CHECK(ring.centre(i)[0] == doctest::Approx(std::cos(a)));
    CHECK(ring.centre(i)[1] == doctest::Approx(std::sin(a)));
  }
  Mixture grid = gan::data::grid25();
  CHECK(grid.sigma == 0.05);
  REQUIRE(grid.modes() == 25);
  CHECK(grid.centre(0)[0] == -4);
  CHECK(grid.centre(0)[1] == -4);
  CHECK(grid.centre(7)[0] == -2);
  CHECK(grid.centre(7)[1] == 0);
  CHECK(grid.centre(24)[1] == 4);
  Mixture g = gan::data::gauss1d();
  CHECK(g.dim == 1);
  CHECK(g.modes() == 1);
  CHECK(g.centre(0)[0] == 4.0);
  CHECK(g.sigma == 0.5);
  CHECK(gan::data::toy_mixture("grid25").centres == grid.centres);
  CHECK_THROWS_WITH_AS(gan::data::toy_mixture("ring9"),
                       "unknown toy data set 'ring9': expected ring8, grid25 or gauss1d",
                       gan::Error);
}

TEST_CASE("gauss1d samples have mean 4 and standard deviation 0.5") {
  gan::Rng rng(7, gan::Stream::data);
  const gan::Index n = 40000;
  Tensor<double> x = gan::data::sample_mixture<double>(gan::data::gauss1d(), n, rng);
  double mean = 0, sq = 0;
  for (double v : x.span()) mean += v / n;
  for (double v : x.span()) sq += (v - mean) * (v - mean) / n;
  // Five standard errors: sd/sqrt(n) = 0.0025 for the mean, about sd²·sqrt(2/n) for the variance.
  CHECK(std::abs(mean - 4.0) < 5 * 0.5 / std::sqrt(double(n)));
  CHECK(std::abs(sq - 0.25) < 5 * 0.25 * std::sqrt(2.0 / n));
}

TEST_CASE("ring8 samples sit near their centres and cover the modes evenly") {
  Mixture ring = gan::data::ring8();
  gan::Rng rng(11, gan::Stream::data);
  const gan::Index n = 8000;
  Tensor<float> x = gan::data::sample_mixture<float>(ring, n, rng);
  std::vector<int> hits(8, 0);
  int near = 0;
  for (gan::Index i = 0; i < n; ++i) {
    int best = 0;
    double best_d = 1e9;
    for (int k = 0; k < 8; ++k) {
      double dx = x(i, 0) - ring.centre(k)[0], dy = x(i, 1) - ring.centre(k)[1];
      double d = std::sqrt(dx * dx + dy * dy);
      if (d < best_d) best_d = d, best = k;
    }
    ++hits[static_cast<std::size_t>(best)];
    near += best_d < 3 * ring.sigma ? 1 : 0;
  }
  // Within 3σ in 2D: 1 − exp(−4.5) = 98.9% (the protocol's "perfect sampler" figure).
  CHECK(near / double(n) == doctest::Approx(1 - std::exp(-4.5)).epsilon(0.005));
  // Each mode: binomial(8000, 1/8), mean 1000, sd 29.6; five sd.
  for (int h : hits) CHECK(std::abs(h - 1000) < 150);
}

TEST_CASE("toy data sets are a function of the seed") {
  auto a = gan::data::toy_dataset<float>(gan::data::grid25(), 100, 5);
  auto b = gan::data::toy_dataset<float>(gan::data::grid25(), 100, 5);
  auto c = gan::data::toy_dataset<float>(gan::data::grid25(), 100, 6);
  CHECK(a.name() == "grid25");
  CHECK(a.shape() == gan::core::features(100, 2));
  CHECK_FALSE(a.labeled());
  bool same_ab = true, same_ac = true;
  for (gan::Index k = 0; k < 200; ++k) {
    same_ab = same_ab && a.samples()[k] == b.samples()[k];
    same_ac = same_ac && a.samples()[k] == c.samples()[k];
  }
  CHECK(same_ab);
  CHECK_FALSE(same_ac);
  Tensor<float> wrong(gan::core::features(3, 3));
  gan::Rng rng(1, gan::Stream::data);
  CHECK_THROWS_WITH_AS(gan::data::sample_mixture(gan::data::ring8(), rng, wrong.view()),
                       "mixture ring8 has dimension 2: output of 3x3", gan::Error);
}
