#include "gan/layer/reshape.hpp"

#include <doctest/doctest.h>

#include "support/gradcheck.hpp"

using gan::layer::Reshape;
using gan::testing::Bound;
namespace core = gan::core;

TEST_CASE("Reshape renames the sample shape and keeps the values in order") {
  Reshape<double> r(core::images(99, 2, 3, 1));  // n is ignored
  CHECK(r.name() == "Reshape(2, 3, 1)");
  CHECK(r.sample() == core::images(1, 2, 3, 1));
  CHECK(r.output_shape(core::features(4, 6)) == core::images(4, 2, 3, 1));
  CHECK(r.output_shape(core::images(4, 1, 2, 3)) == core::images(4, 2, 3, 1));
  gan::Tensor<double> x(core::features(2, 6)), y(core::images(2, 2, 3, 1));
  for (gan::Index k = 0; k < 12; ++k) x[k] = static_cast<double>(k);
  r.forward(x.view(), y.view());
  CHECK(y(1, 1, 2, 0) == 11);
  CHECK(y(0, 1, 0, 0) == 3);
}

TEST_CASE("Reshape gradients and penalty pass match central differences") {
  for (auto [in, out] : {std::pair{core::features(3, 15), core::images(1, 3, 5, 1)},
                         {core::features(1, 12), core::images(1, 3, 2, 2)},
                         {core::images(2, 3, 3, 5), core::images(1, 5, 9, 1)}}) {
    Bound<Reshape<double>> b(Reshape<double>{out});
    gan::testing::check_gradients(b, in);
    gan::testing::check_backward_backward(b, in);
  }
}

TEST_CASE("Reshape rejects another number of values") {
  Reshape<float> r(core::images(1, 128, 7, 7));
  CHECK_THROWS_WITH_AS(
      r.output_shape(core::features(64, 100)),
      "Reshape(128, 7, 7) expects 6272 features per sample, got 100 (shape 64x100)", gan::Error);
  CHECK_THROWS_WITH_AS(Reshape<float>(core::images(1, 0, 7, 7)),
                       "Reshape(0, 7, 7): sizes must be positive", gan::Error);
}
