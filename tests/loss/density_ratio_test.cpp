// log_density_ratio of Minimax, NonSaturating and LeastSquares: fed the optimal
// discriminator's output for known densities p_data and p_g, each must give back
// log p_data/p_g (the closed forms of the papers' propositions), and ±∞ outside the
// range an optimal D can reach.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "gan/loss/least_squares.hpp"
#include "gan/loss/minimax.hpp"
#include "gan/loss/non_saturating.hpp"

using namespace gan;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
// (p_data, p_g) pairs from balanced to 10⁶ : 1 either way.
constexpr double pairs[][2] = {{1, 1}, {0.3, 2.1}, {5, 0.01}, {1e-6, 1}, {1, 1e-6}, {0.7, 0.69}};

double logit(double q) {
  return std::log(q) - std::log1p(-q);
}
}  // namespace

TEST_CASE("Minimax: the optimal logit is log p_data/p_g") {
  loss::Minimax l;
  for (auto [p, g] : pairs) {
    const double d = p / (p + g);  // Goodfellow et al. 2014, Proposition 1
    CHECK(l.log_density_ratio(logit(d)) == doctest::Approx(std::log(p / g)).epsilon(1e-9));
  }
}

TEST_CASE("NonSaturating: the ratio comes back through the label smoothing") {
  for (double s : {0.0, 0.1, 0.25}) {
    loss::NonSaturating l({.smoothing = s});
    for (auto [p, g] : pairs) {
      const double d = (1 - s) * p / (p + g);  // the optimum with real targets 1 − s
      INFO("s = ", s, ", p_data = ", p, ", p_g = ", g);
      CHECK(l.log_density_ratio(logit(d)) == doctest::Approx(std::log(p / g)).epsilon(1e-7));
    }
    if (s > 0) {  // more confident than any optimum: an unbounded ratio
      CHECK(l.log_density_ratio(logit(1 - s)) == inf);
      CHECK(l.log_density_ratio(40.0) == inf);
    }
  }
  loss::NonSaturating plain({.smoothing = 0});
  CHECK(plain.log_density_ratio(-30.0) == doctest::Approx(-30.0));
  CHECK(plain.log_density_ratio(30.0) == doctest::Approx(30.0));
}

TEST_CASE("LeastSquares: Mao et al. Proposition 1 inverted, for any targets") {
  for (auto [a, b] : {std::pair{0.0, 1.0}, std::pair{-1.0, 1.0}, std::pair{1.0, -1.0}}) {
    loss::LeastSquares l({.a = a, .b = b, .c = 1});
    for (auto [p, g] : pairs) {
      const double d = (b * p + a * g) / (p + g);
      INFO("a = ", a, ", b = ", b, ", p_data = ", p, ", p_g = ", g);
      CHECK(l.log_density_ratio(d) == doctest::Approx(std::log(p / g)).epsilon(1e-6));
    }
    CHECK(l.log_density_ratio(a) == -inf);  // D sure it is fake
    CHECK(l.log_density_ratio(b) == inf);   // D sure it is real
    CHECK(l.log_density_ratio(b + (b - a)) == inf);
    CHECK(l.log_density_ratio(a - (b - a)) == -inf);
  }
  loss::LeastSquares same({.a = 0.5, .b = 0.5, .c = 1});
  CHECK_THROWS_WITH(same.log_density_ratio(0.5),
                    doctest::Contains("says nothing about the density ratio"));
}
