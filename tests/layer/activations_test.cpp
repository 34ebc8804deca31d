// Tanh, Sigmoid, ReLU and Identity: forward values and finite-difference checks.
#include <doctest/doctest.h>

#include <cmath>

#include "gan/layer/identity.hpp"
#include "gan/layer/relu.hpp"
#include "gan/layer/sigmoid.hpp"
#include "gan/layer/tanh.hpp"
#include "support/gradcheck.hpp"

using namespace gan;
using gan::testing::Bound;

TEST_CASE("activation forward values") {
  Tensor<double> x(core::features(1, 4)), y(core::features(1, 4));
  double xs[] = {-800, -1, 0.5, 800};
  std::copy(std::begin(xs), std::end(xs), x.data());
  layer::Sigmoid<double> s;
  s.forward(x.view(), y.view());
  CHECK(y[0] == 0.0);
  CHECK(y[1] == doctest::Approx(1 / (1 + std::exp(1.0))));
  CHECK(y[3] == 1.0);
  layer::Tanh<double> t;
  t.forward(x.view(), y.view());
  CHECK(y[2] == doctest::Approx(std::tanh(0.5)));
  layer::ReLU<double> r;
  r.forward(x.view(), y.view());
  CHECK(y[1] == 0.0);
  CHECK(y[2] == 0.5);
  CHECK(r.name() == "ReLU");
}

TEST_CASE("activation gradients match central differences") {
  Shape shapes[] = {core::features(1, 1), core::images(2, 3, 5, 3), core::features(4, 9)};
  for (Shape s : shapes) {
    Bound<layer::Tanh<double>> t(layer::Tanh<double>{});
    gan::testing::check_gradients(t, s);
    gan::testing::check_backward_backward(t, s);
    Bound<layer::Sigmoid<double>> sg(layer::Sigmoid<double>{});
    gan::testing::check_gradients(sg, s);
    gan::testing::check_backward_backward(sg, s);
    Bound<layer::ReLU<double>> r(layer::ReLU<double>{});
    gan::testing::check_gradients(r, s);
    gan::testing::check_backward_backward(r, s);
    Bound<layer::Identity<double>> id(layer::Identity<double>{});
    gan::testing::check_gradients(id, s);
    gan::testing::check_backward_backward(id, s);
  }
}
