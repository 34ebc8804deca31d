#include "gan/metric/samples.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

using gan::metric::Samples;

namespace {
// A function taking Samples, so that the implicit conversions are exercised as a caller
// of a metric would use them.
double at(Samples s, gan::Index i, gan::Index f) {
  return s(i, f);
}
gan::Index rows(Samples s) {
  return s.n();
}
}  // namespace

TEST_CASE("Samples reads float and double storage of every kind as double") {
  gan::Tensor<float> tf(gan::core::features(3, 2));
  gan::Tensor<double> td(gan::core::features(3, 2));
  for (gan::Index k = 0; k < 6; ++k) {
    tf[k] = 0.25f * static_cast<float>(k);
    td[k] = 0.1 * static_cast<double>(k);
  }
  CHECK(at(tf, 2, 1) == 1.25);
  CHECK(at(tf.view(), 1, 0) == 0.5);
  CHECK(at(gan::ConstView<float>(tf.view()), 1, 1) == 0.75);
  CHECK(at(td, 2, 0) == 0.1 * 4);
  CHECK(at(td.view(), 0, 1) == 0.1);
  CHECK(at(Samples(td.data(), 2, 3), 1, 2) == 0.1 * 5);

  // An image batch counts as its flattened features.
  gan::Tensor<float> images(gan::core::images(2, 1, 2, 2), 1.0f);
  Samples s = images;
  CHECK(s.n() == 2);
  CHECK(s.features() == 4);

  // A contiguous range is a 1D sample.
  std::vector<double> v = {3, 1, 2};
  std::array<float, 2> a = {0.5f, -1.0f};
  CHECK(rows(v) == 3);
  CHECK(Samples(v).features() == 1);
  CHECK(at(a, 1, 0) == -1.0);
  CHECK(Samples(v).to_values() == v);
}

TEST_CASE("Samples copies to a double matrix and rejects non-finite values") {
  gan::Tensor<float> t(gan::core::features(2, 3));
  for (gan::Index k = 0; k < 6; ++k) t[k] = static_cast<float>(k) - 2.5f;
  const gan::metric::RowMatrix m = Samples(t).to_matrix();
  CHECK(m.rows() == 2);
  CHECK(m.cols() == 3);
  CHECK(m(1, 2) == 2.5);
  t(1, 1) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH_AS(Samples(t).to_matrix(),
                       "Samples: non-finite value nan at point 1, feature 1", gan::Error);
  CHECK_THROWS_WITH_AS(Samples(gan::Tensor<double>(gan::core::features(4, 2))).to_values(),
                       "Samples: a 1D metric wants one feature per point, got 2", gan::Error);
  CHECK_THROWS_AS(Samples(static_cast<const double*>(nullptr), 2, 2), gan::Error);
  CHECK(Samples(static_cast<const double*>(nullptr), 0, 2).to_matrix().rows() == 0);
}
