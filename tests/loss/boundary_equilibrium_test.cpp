#include "gan/loss/boundary_equilibrium.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "support/losscheck.hpp"

using namespace gan;

namespace {
Tensor<double> batch(std::initializer_list<double> v) {
  Tensor<double> t(core::features(2, static_cast<Index>(v.size()) / 2));
  Index i = 0;
  for (double x : v) t[i++] = x;
  return t;
}
}  // namespace

TEST_CASE("BoundaryEquilibrium: L(v) = mean |v − D(v)|, L_D = L(x) − k L(G(z))") {
  Tensor<double> x = batch({0, 1, 2, 3}), dx = batch({0.5, 1, 2, 2});  // L(x) = 1.5/4
  Tensor<double> g = batch({1, 1, 1, 1}), dg = batch({0, 0, 2, 3});    // L(G(z)) = 5/4
  loss::BoundaryEquilibrium be({.gamma = 0.5, .lambda_k = 0.1, .k0 = 0.2});
  Tensor<double> a(x.shape()), b(g.shape());
  auto l = be.discriminator(loss::Batch<double>{x.view(), dx.view()},
                            loss::Batch<double>{g.view(), dg.view()}, a.view(), b.view());
  CHECK(l.real == doctest::Approx(0.375));
  CHECK(l.fake == doctest::Approx(1.25));
  CHECK(l.value == doctest::Approx(0.375 - 0.2 * 1.25));
  be.after_discriminator_step(l);
  // k ← clip(0.2 + 0.1·(0.5·0.375 − 1.25), 0, 1) = 0.09375; M = 0.375 + |0.1875 − 1.25|
  CHECK(be.k() == doctest::Approx(0.09375));
  StepStats s;
  be.report(s);
  CHECK(*s.k == doctest::Approx(0.09375));
  CHECK(*s.m_global == doctest::Approx(0.375 + 1.0625));
  for (int i = 0; i < 100; ++i) be.after_discriminator_step(l);
  CHECK(be.k() == 0.0);  // clipped at 0
  double k = 1;
  be.for_each_state([&](std::string_view name, double& v) {
    if (name == "k") v = k;
  });
  CHECK(be.k() == 1.0);
}

TEST_CASE("BoundaryEquilibrium gradients, through D and through the direct path") {
  Tensor<double> x = batch({0.1, -0.4, 0.9, 0.3, 0.2, -0.8}),
                 dx = batch({0.5, 0.2, -0.1, 0.7, 0.0, -0.3});
  Tensor<double> g = batch({0.6, 0.1, -0.2, 0.35, 0.4, 0.8}),
                 dg = batch({0.0, -0.5, 0.3, 0.9, 0.1, 0.2});
  testing::check_loss_gradients(
      loss::BoundaryEquilibrium({.gamma = 0.75, .lambda_k = 0.001, .k0 = 0.3}), x, dx, g, dg);
}

TEST_CASE("BoundaryEquilibrium checks its options and its D") {
  CHECK_THROWS_WITH_AS(loss::BoundaryEquilibrium({.gamma = 0}),
                       "BoundaryEquilibrium: gamma must be in (0, 1], got 0", Error);
  loss::BoundaryEquilibrium be;
  CHECK(be.options().gamma == 0.75);
  CHECK(be.options().lambda_k == 0.001);
  CHECK(be.k() == 0.0);
  Tensor<double> x(core::features(2, 3)), y(core::features(2, 1)), a(y.shape());
  CHECK_THROWS_AS(
      be.generator(loss::Batch<double>{x.view(), y.view()}, a.view(), TensorView<double>()), Error);
}
