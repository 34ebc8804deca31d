#include "gan/layer/flatten.hpp"

#include <doctest/doctest.h>

#include "support/gradcheck.hpp"

using gan::layer::Flatten;
using gan::testing::Bound;
namespace core = gan::core;

TEST_CASE("Flatten gives N×(C·H·W) in the same order") {
  Flatten<double> f;
  CHECK(f.name() == "Flatten");
  CHECK(f.output_shape(core::images(5, 3, 4, 7)) == core::features(5, 84));
  CHECK(f.output_shape(core::features(5, 9)) == core::features(5, 9));
  gan::Tensor<double> x(core::images(2, 2, 2, 3)), y(core::features(2, 12));
  for (gan::Index k = 0; k < x.size(); ++k) x[k] = static_cast<double>(k);
  f.forward(x.view(), y.view());
  CHECK(y(1, 7) == x(1, 1, 0, 1));
  CHECK(y(0, 11) == x(0, 1, 1, 2));
}

TEST_CASE("Flatten gradients and penalty pass match central differences") {
  for (gan::Shape s : {core::images(2, 3, 5, 3), core::images(1, 1, 3, 3), core::features(3, 7)}) {
    Bound<Flatten<double>> b(Flatten<double>{});
    gan::testing::check_gradients(b, s);
    gan::testing::check_backward_backward(b, s);
  }
}
