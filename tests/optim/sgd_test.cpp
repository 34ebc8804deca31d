#include "gan/optim/sgd.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "support/optim_check.hpp"

using gan::optim::Sgd;

TEST_CASE("Sgd without momentum moves by −lr·(g + weight_decay·θ)") {
  Sgd<double> opt({.lr = 0.1, .weight_decay = 0.01});
  std::vector<double> p = {1.0, -2.0, 0.0}, g = {0.5, 0.25, -4.0};
  opt.step(p, g);
  CHECK(p[0] == doctest::Approx(1.0 - 0.1 * (0.5 + 0.01)));
  CHECK(p[1] == doctest::Approx(-2.0 - 0.1 * (0.25 - 0.02)));
  CHECK(p[2] == doctest::Approx(0.4));
  int arrays = 0;
  opt.for_each_state([&](std::string_view, std::span<double>) { ++arrays; });
  CHECK(arrays == 0);
}

TEST_CASE("Sgd's momentum buffer starts at g, then b = μb + (1 − dampening)g") {
  const double lr = 0.1, mu = 0.9, damp = 0.25;
  const double g1 = 1.0, g2 = -0.5, g3 = 2.0;
  for (bool nesterov : {false, true}) {
    CAPTURE(nesterov);
    const double d = nesterov ? 0.0 : damp;
    Sgd<double> opt({.lr = lr, .momentum = mu, .dampening = d, .nesterov = nesterov});
    std::vector<double> p = {0.0}, g(1);
    double b = 0, expected = 0;
    int k = 0;
    for (double gk : {g1, g2, g3}) {
      g[0] = gk;
      opt.step(p, g);
      // The first step copies g, undamped (PyTorch); later steps damp it.
      b = k++ == 0 ? gk : mu * b + (1 - d) * gk;
      expected -= lr * (nesterov ? gk + mu * b : b);
      CHECK(p[0] == doctest::Approx(expected).epsilon(1e-14));
    }
  }
}

TEST_CASE("Sgd minimizes a quadratic") {
  Sgd<double> plain({.lr = 0.1});
  CHECK(gan::testing::minimize_quadratic(plain, 37, 500) < 1e-6);
  Sgd<double> heavy({.lr = 0.05, .momentum = 0.9});
  CHECK(gan::testing::minimize_quadratic(heavy, 37, 500) < 1e-6);
  Sgd<float> nesterov({.lr = 0.05, .momentum = 0.9, .nesterov = true});
  CHECK(gan::testing::minimize_quadratic(nesterov, 101, 500) < 1e-5);
}

TEST_CASE("Sgd's momentum buffer restores to a bit-identical continuation") {
  auto names = gan::testing::check_restore_is_exact(
      [] { return Sgd<float>({.lr = 0.01, .momentum = 0.9, .nesterov = true}); }, 1001, 3, 4);
  CHECK(names == std::vector<std::string>{"momentum_buffer"});
  // Restored after step 0 (a reset with no step taken): the buffer starts at g again.
  gan::testing::check_restore_is_exact(
      [] { return Sgd<double>({.lr = 0.01, .momentum = 0.5, .dampening = 0.5}); }, 7, 0, 3);
  gan::testing::check_restore_is_exact([] { return Sgd<double>({.lr = 0.01}); }, 7, 2, 2);
}

TEST_CASE("Sgd checks step sizes and its options") {
  gan::testing::check_size_errors(Sgd<float>(), "Sgd");
  gan::testing::check_size_errors(Sgd<float>({.momentum = 0.9}), "Sgd");
  CHECK_THROWS_WITH_AS(Sgd<float>({.lr = 0}), "Sgd: lr must be positive and finite, got 0",
                       gan::Error);
  CHECK_THROWS_WITH_AS(Sgd<float>({.momentum = -1}),
                       "Sgd: momentum must be non-negative and finite, got -1", gan::Error);
  CHECK_THROWS_WITH_AS(Sgd<float>({.dampening = 2}), "Sgd: dampening must be in [0, 1], got 2",
                       gan::Error);
  CHECK_THROWS_WITH_AS(Sgd<float>({.nesterov = true}),
                       "Sgd: nesterov needs momentum > 0 and dampening 0, got momentum 0 and "
                       "dampening 0",
                       gan::Error);
  CHECK_THROWS_WITH_AS(Sgd<float>({.momentum = 0.9, .dampening = 0.1, .nesterov = true}),
                       "Sgd: nesterov needs momentum > 0 and dampening 0, got momentum 0.9 and "
                       "dampening 0.1",
                       gan::Error);
  Sgd<float> s({.lr = 0.01, .momentum = 0.9, .nesterov = true});
  CHECK(s.name() == "Sgd(lr=0.01, momentum=0.9, nesterov)");
}
