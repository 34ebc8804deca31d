#include "gan/data/transform.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "gan/core/tensor.hpp"

using gan::Tensor;
using gan::core::features;
using gan::data::Scaling;
using gan::data::Transform;

namespace {
// 4 samples of 3 features: a spread one, a shifted one and a constant one.
Tensor<double> sample_data() {
  Tensor<double> x(features(4, 3));
  double v[4][3] = {{1, 10, 5}, {2, 30, 5}, {3, 20, 5}, {6, 40, 5}};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j) x(i, j) = v[i][j];
  return x;
}
}  // namespace

TEST_CASE("standardize gives each feature mean 0 and standard deviation 1") {
  Tensor<double> x = sample_data();
  Transform t = Transform::fit<double>(Scaling::standardize, x.view());
  CHECK(t.kind() == Scaling::standardize);
  CHECK(t.shift()[0] == doctest::Approx(3.0));
  CHECK(t.scale()[0] == doctest::Approx(1.0 / std::sqrt(3.5)));  // population variance 3.5
  t.apply(x.view());
  for (int j = 0; j < 2; ++j) {
    double mean = 0, sq = 0;
    for (int i = 0; i < 4; ++i) mean += x(i, j) / 4;
    for (int i = 0; i < 4; ++i) sq += (x(i, j) - mean) * (x(i, j) - mean) / 4;
    CHECK(mean == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(sq == doctest::Approx(1.0));
  }
  for (int i = 0; i < 4; ++i) CHECK(x(i, 2) == 0.0);  // a constant feature becomes 0
}

TEST_CASE("min_max maps each feature onto [-1, 1], and invert maps back") {
  Tensor<double> x = sample_data();
  Tensor<double> original = x;
  Transform t = Transform::fit<double>(Scaling::min_max, x.view());
  t.apply(x.view());
  CHECK(x(0, 0) == -1.0);
  CHECK(x(3, 0) == 1.0);
  CHECK(x(1, 0) == doctest::Approx(-1.0 + 2.0 / 5.0));
  CHECK(x(0, 1) == -1.0);
  CHECK(x(3, 1) == 1.0);
  CHECK(x(2, 2) == 0.0);
  t.invert(x.view());
  for (gan::Index k = 0; k < x.size(); ++k) CHECK(x[k] == doctest::Approx(original[k]));
}

TEST_CASE("the pixel transform is x / 127.5 - 1 on every feature; identity does nothing") {
  Tensor<float> x(features(2, 5), 255.0f);
  x(1, 4) = 0.0f;
  Transform::pixels().apply(x.view());
  CHECK(x(0, 0) == 1.0f);
  CHECK(x(1, 4) == -1.0f);
  Transform::pixels().invert(x.view());
  CHECK(x(0, 3) == 255.0f);
  Transform id;
  CHECK(id.identity());
  id.apply(x.view());
  CHECK(x(1, 4) == 0.0f);
}

TEST_CASE("a transform checks its parts and the width of what it is applied to") {
  CHECK_THROWS_WITH_AS(Transform(Scaling::standardize, {1, 2}, {1}),
                       "transform: 2 shifts and 1 scales: expected as many of each", gan::Error);
  CHECK_THROWS_WITH_AS(Transform(Scaling::standardize, {1}, {0}),
                       "transform: scale 0: expected finite and non-zero", gan::Error);
  Tensor<double> x = sample_data();
  Transform t = Transform::fit<double>(Scaling::min_max, x.view());
  Tensor<double> other(features(2, 4));
  CHECK_THROWS_WITH_AS(t.apply(other.view()), "transform of 3 features applied to samples of 4",
                       gan::Error);
  Tensor<double> none(features(0, 3));
  CHECK_THROWS_WITH_AS(Transform::fit<double>(Scaling::standardize, none.view()),
                       "transform: cannot fit to an empty data set", gan::Error);
}
