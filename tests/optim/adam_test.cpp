#include "gan/optim/adam.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "support/optim_check.hpp"

using gan::optim::Adam;

namespace {
// Gradients of every size class: ordinary, tiny (where eps matters), zero, large.
const std::vector<double> grads = {0.3, -2.0, 1e-6, -1e-9, 0.0, 40.0, -0.05, 7.0, -3e-4};
}  // namespace

TEST_CASE("Adam's first step moves each parameter by lr·g/(|g| + eps), about lr·sign(g)") {
  const double lr = 0.01, eps = 1e-8;
  Adam<double> opt({.lr = lr, .beta1 = 0.5, .beta2 = 0.999, .eps = eps});
  std::vector<double> p(grads.size(), 1.0);
  opt.step(p, grads);
  CHECK(opt.step_count() == 1);
  for (std::size_t i = 0; i < p.size(); ++i) {
    CAPTURE(grads[i]);
    // m̂ = g and v̂ = g² after the bias corrections, whatever the betas.
    const double expected = 1.0 - lr * grads[i] / (std::abs(grads[i]) + eps);
    CHECK(p[i] == doctest::Approx(expected).epsilon(1e-12));
    if (std::abs(grads[i]) > 1e-4)
      CHECK(p[i] == doctest::Approx(1.0 - lr * (grads[i] > 0 ? 1 : -1)));
  }
  CHECK(p[4] == 1.0);  // g = 0 moves nothing
}

TEST_CASE("Adam with a constant gradient moves by the same amount every step") {
  // With g constant, m_t = (1 − β₁ᵗ)g and v_t = (1 − β₂ᵗ)g²: the bias corrections cancel
  // exactly, so step t moves by lr·g/(|g| + eps) for every t.
  Adam<double> opt({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.99});
  std::vector<double> p(grads.size(), 0.0);
  for (int t = 0; t < 20; ++t) opt.step(p, grads);
  for (std::size_t i = 0; i < p.size(); ++i)
    CHECK(p[i] ==
          doctest::Approx(-20 * 1e-3 * grads[i] / (std::abs(grads[i]) + 1e-8)).epsilon(1e-9));
}

TEST_CASE("Adam's weight decay is added to the gradient") {
  Adam<double> plain({.lr = 0.1}), decayed({.lr = 0.1, .weight_decay = 0.5});
  std::vector<double> p = {1.0, -2.0, 0.5}, q = p, g = {0.1, 0.1, -1.0};
  std::vector<double> g_decayed = {0.1 + 0.5 * 1.0, 0.1 + 0.5 * -2.0, -1.0 + 0.5 * 0.5};
  plain.step(p, g_decayed);
  decayed.step(q, g);
  CHECK(q == p);
}

TEST_CASE("Adam minimizes a quadratic") {
  Adam<double> d({.lr = 0.05});
  CHECK(gan::testing::minimize_quadratic(d, 37, 3000, 0.998) < 1e-10);
  CHECK(d.learning_rate() < 0.05 * 0.01);
  Adam<float> f({.lr = 0.05, .beta1 = 0.5});
  CHECK(gan::testing::minimize_quadratic(f, 101, 3000, 0.998) < 1e-5);
}

TEST_CASE("Adam's state restores to a bit-identical continuation") {
  auto names = gan::testing::check_restore_is_exact(
      [] { return Adam<float>({.lr = 2e-4, .beta1 = 0.5, .weight_decay = 1e-3}); }, 1001, 7, 5);
  CHECK(names == std::vector<std::string>{"exp_avg", "exp_avg_sq"});
  gan::testing::check_restore_is_exact([] { return Adam<double>(); }, 19, 1, 3);
}

TEST_CASE("Adam checks step sizes and its options") {
  gan::testing::check_size_errors(Adam<float>(), "Adam");
  Adam<float> fresh;
  fresh.for_each_state([](std::string_view, std::span<float> v) { CHECK(v.empty()); });
  CHECK_THROWS_WITH_AS(Adam<float>({.lr = 0}), "Adam: lr must be positive and finite, got 0",
                       gan::Error);
  CHECK_THROWS_WITH_AS(Adam<float>({.beta1 = 1}), "Adam: beta1 must be in [0, 1), got 1",
                       gan::Error);
  CHECK_THROWS_WITH_AS(Adam<float>({.beta2 = -0.1}), "Adam: beta2 must be in [0, 1), got -0.1",
                       gan::Error);
  CHECK_THROWS_WITH_AS(Adam<float>({.eps = -1e-8}),
                       "Adam: eps must be non-negative and finite, got -1e-08", gan::Error);
  CHECK_THROWS_WITH_AS(Adam<float>({.weight_decay = NAN}),
                       "Adam: weight_decay must be non-negative and finite, got nan", gan::Error);
  Adam<float> a({.lr = 2e-4, .beta1 = 0.5});
  CHECK(a.name() == "Adam(lr=0.0002, betas=(0.5, 0.999))");
  CHECK_THROWS_WITH_AS(a.set_learning_rate(-1), "Adam: lr must be positive and finite, got -1",
                       gan::Error);
  a.set_learning_rate(1e-4);
  CHECK(a.learning_rate() == 1e-4);
  CHECK(a.options().lr == 1e-4);
  CHECK_THROWS_WITH_AS(a.set_step_count(-1), "Adam: step count must be non-negative, got -1",
                       gan::Error);
}
