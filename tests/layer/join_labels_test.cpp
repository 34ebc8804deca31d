#include "gan/layer/join_labels.hpp"

#include <doctest/doctest.h>

#include "support/gradcheck.hpp"

using gan::Shape;
using gan::Tensor;
using gan::layer::JoinLabels;
namespace core = gan::core;

namespace {
/// One-hot rows: sample i has label labels[i] of k classes.
Tensor<double> one_hot(std::initializer_list<int> labels, gan::Index k) {
  Tensor<double> e(core::features(static_cast<gan::Index>(labels.size()), k));
  gan::Index i = 0;
  for (int l : labels) e(i++, l) = 1;
  return e;
}
}  // namespace

TEST_CASE("JoinLabels appends the encoding to dense features") {
  CHECK(JoinLabels<double>::output_shape(core::features(2, 3), 4) == core::features(2, 7));
  Tensor<double> x(core::features(2, 3));
  for (gan::Index k = 0; k < 6; ++k) x[k] = 10 + static_cast<double>(k);
  Tensor<double> e = one_hot({2, 0}, 4);
  Tensor<double> out(core::features(2, 7));
  JoinLabels<double>::join(x.view(), e.view(), out.view());
  const double expected[] = {10, 11, 12, 0, 0, 1, 0, 13, 14, 15, 1, 0, 0, 0};
  for (gan::Index k = 0; k < 14; ++k) CHECK(out[k] == expected[k]);
}

TEST_CASE("JoinLabels broadcasts each label value over a feature map") {
  const Shape s = core::images(2, 1, 2, 3);
  CHECK(JoinLabels<double>::output_shape(s, 3) == core::images(2, 4, 2, 3));
  Tensor<double> x(s);
  for (gan::Index k = 0; k < x.size(); ++k) x[k] = -1 - static_cast<double>(k);
  Tensor<double> e(core::features(2, 3));
  double es[] = {0.5, 0, 2, 0, 1, -3};
  std::copy(std::begin(es), std::end(es), e.data());
  Tensor<double> out(core::images(2, 4, 2, 3));
  JoinLabels<double>::join(x.view(), e.view(), out.view());
  for (gan::Index i = 0; i < 2; ++i)
    for (gan::Index y = 0; y < 2; ++y)
      for (gan::Index w = 0; w < 3; ++w) {
        CHECK(out(i, 0, y, w) == x(i, 0, y, w));
        for (gan::Index j = 0; j < 3; ++j) CHECK(out(i, 1 + j, y, w) == e(i, j));
      }
}

TEST_CASE("JoinLabels split_gradient is the adjoint of join") {
  // <join(x, e), r> is linear in x and e: its gradients are what split_gradient returns
  gan::Rng rng(2, gan::Stream::user);
  for (Shape s : {core::features(3, 5), core::images(2, 3, 3, 5), core::images(1, 2, 1, 1)}) {
    const gan::Index k = 3;
    Tensor<double> x = gan::testing::random_tensor<double>(s, rng);
    Tensor<double> e = gan::testing::random_tensor<double>(core::features(s.n, k), rng);
    const Shape joined = JoinLabels<double>::output_shape(s, k);
    Tensor<double> r = gan::testing::random_tensor<double>(joined, rng);
    Tensor<double> out(joined), dx(s), de(e.shape()), dx_only(s);
    auto f = [&] {
      JoinLabels<double>::join(x.view(), e.view(), out.view());
      return gan::testing::dot(out.view(), r.view());
    };
    JoinLabels<double>::split_gradient(r.view(), dx.view(), de.view());
    JoinLabels<double>::split_gradient(r.view(), dx_only.view());
    CAPTURE(s);
    CHECK(gan::testing::relative_error(
              dx.span(), gan::testing::numeric_gradient(x.data(), x.size(), f)) < 1e-8);
    CHECK(gan::testing::relative_error(
              de.span(), gan::testing::numeric_gradient(e.data(), e.size(), f)) < 1e-8);
    CHECK(gan::testing::relative_error(dx_only.span(), dx.span(), 1e-300) == 0);
  }
}

TEST_CASE("JoinLabels rejects shapes that do not fit") {
  Tensor<float> x(core::images(4, 1, 28, 28)), e(core::features(3, 10));
  Tensor<float> out(core::images(4, 11, 28, 28));
  CHECK_THROWS_WITH_AS(JoinLabels<float>::join(x.view(), e.view(), out.view()),
                       "JoinLabels: label encoding of shape 3x10 for a batch of 4 samples",
                       gan::Error);
  Tensor<float> e4(core::features(4, 10)), bad(core::images(4, 10, 28, 28));
  CHECK_THROWS_WITH_AS(JoinLabels<float>::join(x.view(), e4.view(), bad.view()),
                       "JoinLabels: joined batch of shape 4x10x28x28, expected 4x11x28x28 "
                       "(4x1x28x28 joined with 10 label values)",
                       gan::Error);
  Tensor<float> dx(core::images(4, 1, 14, 14));
  CHECK_THROWS_WITH_AS(JoinLabels<float>::split_gradient(out.view(), dx.view()),
                       "JoinLabels: input gradient of shape 4x1x14x14 does not fit joined "
                       "gradient 4x11x28x28",
                       gan::Error);
  CHECK_THROWS_WITH_AS(JoinLabels<float>::output_shape(core::features(2, 3), 0),
                       "JoinLabels: the label encoding needs at least 1 value a sample, got 0",
                       gan::Error);
}
