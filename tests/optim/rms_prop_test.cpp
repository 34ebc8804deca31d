#include "gan/optim/rms_prop.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "support/optim_check.hpp"

using gan::optim::RmsProp;

namespace {
const std::vector<double> grads = {0.3, -2.0, 1e-6, -1e-9, 0.0, 40.0, -0.05};
}  // namespace

TEST_CASE("RmsProp's first step divides by √((1 − α)g²) + eps") {
  const double lr = 5e-5, eps = 1e-8;
  for (double alpha : {0.99, 0.9}) {
    RmsProp<double> opt({.lr = lr, .alpha = alpha});
    std::vector<double> p(grads.size(), 1.0);
    opt.step(p, grads);
    for (std::size_t i = 0; i < p.size(); ++i) {
      CAPTURE(grads[i]);
      // eps is added after the root (PyTorch), not inside it.
      const double expected =
          1.0 - lr * grads[i] / (std::sqrt(1 - alpha) * std::abs(grads[i]) + eps);
      CHECK(p[i] == doctest::Approx(expected).epsilon(1e-12));
    }
  }
}

TEST_CASE("RmsProp's centered and momentum variants on the first two steps") {
  const double lr = 0.01, alpha = 0.9, mu = 0.5, eps = 1e-8;
  const double g1 = 0.4, g2 = -0.1;
  // centered: s = (1 − α)g², a = (1 − α)g, so s − a² = α(1 − α)g².
  RmsProp<double> centered({.lr = lr, .alpha = alpha, .centered = true});
  std::vector<double> p = {0.0}, g = {g1};
  centered.step(p, g);
  CHECK(p[0] == doctest::Approx(-lr * g1 / (std::sqrt(alpha * (1 - alpha)) * g1 + eps)));
  // momentum: b₁ = g₁/d₁, b₂ = μb₁ + g₂/d₂, θ moves by −lr·b each step.
  RmsProp<double> momentum({.lr = lr, .alpha = alpha, .momentum = mu});
  std::vector<double> q = {0.0};
  g = {g1};
  momentum.step(q, g);
  g = {g2};
  momentum.step(q, g);
  const double s1 = (1 - alpha) * g1 * g1, s2 = alpha * s1 + (1 - alpha) * g2 * g2;
  const double b1 = g1 / (std::sqrt(s1) + eps), b2 = mu * b1 + g2 / (std::sqrt(s2) + eps);
  CHECK(q[0] == doctest::Approx(-lr * b1 - lr * b2).epsilon(1e-12));
}

TEST_CASE("RmsProp minimizes a quadratic") {
  RmsProp<double> plain({.lr = 0.01});
  CHECK(gan::testing::minimize_quadratic(plain, 37, 3000, 0.998) < 1e-4);
  RmsProp<double> both({.lr = 0.01, .momentum = 0.5, .centered = true});
  CHECK(gan::testing::minimize_quadratic(both, 37, 3000, 0.998) < 1e-4);
  RmsProp<float> f({.lr = 0.01, .momentum = 0.9});
  CHECK(gan::testing::minimize_quadratic(f, 101, 3000, 0.998) < 1e-4);
}

TEST_CASE("RmsProp keeps the arrays its options use and restores them exactly") {
  using V = std::vector<std::string>;
  auto make = [](double momentum, bool centered) {
    return [=] { return RmsProp<float>({.lr = 5e-5, .momentum = momentum, .centered = centered}); };
  };
  CHECK(gan::testing::check_restore_is_exact(make(0, false), 1001, 4, 5) == V{"square_avg"});
  CHECK(gan::testing::check_restore_is_exact(make(0.9, false), 33, 4, 5) ==
        V{"square_avg", "momentum_buffer"});
  CHECK(gan::testing::check_restore_is_exact(make(0, true), 33, 4, 5) ==
        V{"square_avg", "grad_avg"});
  CHECK(gan::testing::check_restore_is_exact(make(0.9, true), 33, 4, 5) ==
        V{"square_avg", "momentum_buffer", "grad_avg"});
}

TEST_CASE("RmsProp checks step sizes and its options") {
  gan::testing::check_size_errors(RmsProp<double>(), "RmsProp");
  CHECK_THROWS_WITH_AS(RmsProp<float>({.lr = -5e-5}),
                       "RmsProp: lr must be positive and finite, got -5e-05", gan::Error);
  CHECK_THROWS_WITH_AS(RmsProp<float>({.alpha = 1}), "RmsProp: alpha must be in [0, 1), got 1",
                       gan::Error);
  CHECK_THROWS_WITH_AS(RmsProp<float>({.eps = INFINITY}),
                       "RmsProp: eps must be non-negative and finite, got inf", gan::Error);
  CHECK_THROWS_WITH_AS(RmsProp<float>({.momentum = -0.9}),
                       "RmsProp: momentum must be non-negative and finite, got -0.9", gan::Error);
  CHECK_THROWS_WITH_AS(RmsProp<float>({.weight_decay = -1}),
                       "RmsProp: weight_decay must be non-negative and finite, got -1", gan::Error);
  RmsProp<float> r({.lr = 5e-5});
  CHECK(r.name() == "RmsProp(lr=5e-05, alpha=0.99)");
  r.set_learning_rate(1e-5);
  CHECK(r.learning_rate() == 1e-5);
}
