#include "gan/layer/layer_norm.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "support/gradcheck.hpp"

using gan::Shape;
using gan::Tensor;
using gan::layer::LayerNorm;
using gan::testing::Bound;
namespace core = gan::core;

TEST_CASE("LayerNorm forward normalizes each sample over all its values") {
  Bound<LayerNorm<double>> b(LayerNorm<double>(4));
  // γ = 1, β = 0 (checked value by value: GCC 12.2 with AVX-512 builds the constant
  // vector {1, 1, 1, 1, 0, 0, 0, 0} as eight ones)
  for (gan::Index k = 0; k < 4; ++k) {
    CHECK(b.values[k] == 1);
    CHECK(b.values[4 + k] == 0);
  }
  // γ = (1, 2, −1, 0.5), β = (0, 1, 0.5, −2)
  std::vector<double> theta = {1, 2, -1, 0.5, 0, 1, 0.5, -2};
  std::copy(theta.begin(), theta.end(), b.values.begin());
  // sample 0: 1, 2, 3, 6 (mean 3, biased variance (4 + 1 + 0 + 9)/4 = 3.5)
  // sample 1: −1, −1, 1, 1 (mean 0, variance 1); one sample of 1×2×2 values each
  Tensor<double> x(core::images(2, 1, 2, 2));
  double xs[] = {1, 2, 3, 6, -1, -1, 1, 1};
  std::copy(std::begin(xs), std::end(xs), x.data());
  Tensor<double> y(x.shape());
  b.layer.forward(x.view(), y.view());
  const double r0 = 1 / std::sqrt(3.5 + 1e-5), r1 = 1 / std::sqrt(1 + 1e-5);
  CHECK(y[0] == doctest::Approx((1 - 3) * r0));
  CHECK(y[1] == doctest::Approx(2 * (2 - 3) * r0 + 1));
  CHECK(y[2] == doctest::Approx(0.5));
  CHECK(y[3] == doctest::Approx(0.5 * (6 - 3) * r0 - 2));
  CHECK(y[4] == doctest::Approx(-r1));
  CHECK(y[5] == doctest::Approx(-2 * r1 + 1));
  CHECK(y[6] == doctest::Approx(-r1 + 0.5));
  CHECK(y[7] == doctest::Approx(0.5 * r1 - 2));
}

TEST_CASE("LayerNorm gradients and penalty pass match central differences") {
  gan::Rng rng(3, gan::Stream::user);
  for (Shape s : {core::features(1, 5), core::features(3, 7), core::features(2, 19),
                  core::images(2, 3, 5, 3), core::images(1, 2, 3, 3)}) {
    Bound<LayerNorm<double>> b(LayerNorm<double>(s.features()));
    b.perturb(rng);
    gan::testing::check_gradients(b, s);
    gan::testing::check_backward_backward(b, s);
  }
}

TEST_CASE("LayerNorm penalty pass with a larger eps and far-from-one γ") {
  // eps enters r and ∂r/∂x: a large one checks that the derivation keeps it
  Bound<LayerNorm<double>> b(LayerNorm<double>(6, 0.3));
  gan::Rng rng(4, gan::Stream::user);
  b.perturb(rng, 0.9);
  gan::testing::check_gradients(b, core::images(3, 6, 1, 1));
  gan::testing::check_backward_backward(b, core::images(3, 6, 1, 1));
}

TEST_CASE("LayerNorm rejects inputs with another feature count") {
  LayerNorm<float> ln(3 * 4 * 4);
  CHECK(ln.name() == "LayerNorm(48)");
  CHECK(ln.output_shape(core::images(5, 3, 4, 4)) == core::images(5, 3, 4, 4));
  CHECK(ln.output_shape(core::features(5, 48)) == core::features(5, 48));
  CHECK_THROWS_WITH_AS(ln.output_shape(core::images(5, 3, 5, 4)),
                       "LayerNorm(48) expects 48 features per sample, got 60 (shape 5x3x5x4)",
                       gan::Error);
  CHECK_THROWS_WITH_AS(LayerNorm<float>(0), "LayerNorm(0): feature count must be positive",
                       gan::Error);
  CHECK_THROWS_WITH_AS(LayerNorm<float>(3, -1), "LayerNorm(3): eps must be positive, got -1",
                       gan::Error);
}
