#include "gan/layer/leaky_relu.hpp"

#include <doctest/doctest.h>

#include "support/gradcheck.hpp"

using gan::layer::LeakyReLU;
using gan::testing::Bound;

TEST_CASE("LeakyReLU forward") {
  Bound<LeakyReLU<double>> b(LeakyReLU<double>(0.2));
  gan::Tensor<double> x(gan::core::features(1, 3)), y(gan::core::features(1, 3));
  x[0] = -2;
  x[1] = 0;
  x[2] = 3;
  b.layer.forward(x.view(), y.view());
  CHECK(y[0] == doctest::Approx(-0.4));
  CHECK(y[1] == 0);
  CHECK(y[2] == 3);
}

TEST_CASE("LeakyReLU gradients match central differences") {
  for (double slope : {0.0, 0.2, 0.01}) {
    Bound<LeakyReLU<double>> b(LeakyReLU<double>{slope});
    gan::testing::check_gradients(b, gan::core::images(3, 2, 5, 3));
    gan::testing::check_backward_backward(b, gan::core::features(1, 7));
  }
  CHECK_THROWS_AS(LeakyReLU<float>(-0.1), gan::Error);
}
