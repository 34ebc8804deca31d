#include "gan/layer/conv2d.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "support/gradcheck.hpp"

using gan::Index;
using gan::layer::Conv2d;
using gan::layer::Init;
using gan::testing::Bound;

TEST_CASE("Conv2d forward is the cross-correlation plus bias") {
  gan::Tensor<double> x(gan::core::images(1, 1, 3, 3));
  for (Index k = 0; k < 9; ++k) x[k] = static_cast<double>(k + 1);  // [[1,2,3],[4,5,6],[7,8,9]]

  SUBCASE("k2, no padding") {
    Bound<Conv2d<double>> b(Conv2d<double>(1, 1, 2));
    const double w[] = {1, 2, 3, 4, 0.5};  // W = [[1, 2], [3, 4]], b = 0.5
    std::copy(std::begin(w), std::end(w), b.values.begin());
    gan::Tensor<double> y(b.layer.output_shape(x.shape()));
    REQUIRE(y.shape() == gan::core::images(1, 1, 2, 2));
    b.layer.forward(x.view(), y.view());
    CHECK(y(0, 0, 0, 0) == doctest::Approx(1 + 4 + 12 + 20 + 0.5));
    CHECK(y(0, 0, 0, 1) == doctest::Approx(2 + 6 + 15 + 24 + 0.5));
    CHECK(y(0, 0, 1, 0) == doctest::Approx(4 + 10 + 21 + 32 + 0.5));
    CHECK(y(0, 0, 1, 1) == doctest::Approx(5 + 12 + 24 + 36 + 0.5));
  }
  SUBCASE("k3, stride 2, padding 1: windows reach into the zero border") {
    Bound<Conv2d<double>> b(Conv2d<double>(1, 1, 3, 2, 1));
    std::fill(b.values.begin(), b.values.end() - 1, 1.0);
    b.values.back() = 0;
    gan::Tensor<double> y(b.layer.output_shape(x.shape()));
    REQUIRE(y.shape() == gan::core::images(1, 1, 2, 2));
    b.layer.forward(x.view(), y.view());
    CHECK(y(0, 0, 0, 0) == doctest::Approx(1 + 2 + 4 + 5));
    CHECK(y(0, 0, 0, 1) == doctest::Approx(2 + 3 + 5 + 6));
    CHECK(y(0, 0, 1, 0) == doctest::Approx(4 + 5 + 7 + 8));
    CHECK(y(0, 0, 1, 1) == doctest::Approx(5 + 6 + 8 + 9));
  }
  SUBCASE("W is (out, in, k, k)") {
    Bound<Conv2d<double>> b(Conv2d<double>(2, 2, 1));
    const double w[] = {1, 2, 3, 4, 0, -1};  // W[o][i] = [[1, 2], [3, 4]], b = [0, -1]
    std::copy(std::begin(w), std::end(w), b.values.begin());
    gan::Tensor<double> x2(gan::core::images(2, 2, 1, 2));
    for (Index k = 0; k < x2.size(); ++k) x2[k] = static_cast<double>(k);  // x2[n][c][0][j]
    gan::Tensor<double> y(b.layer.output_shape(x2.shape()));
    b.layer.forward(x2.view(), y.view());
    for (Index n = 0; n < 2; ++n)
      for (Index j = 0; j < 2; ++j) {
        CHECK(y(n, 0, 0, j) == doctest::Approx(x2(n, 0, 0, j) + 2 * x2(n, 1, 0, j)));
        CHECK(y(n, 1, 0, j) == doctest::Approx(3 * x2(n, 0, 0, j) + 4 * x2(n, 1, 0, j) - 1));
      }
  }
}

TEST_CASE("Conv2d gradients match central differences") {
  // (in, out, kernel, stride, padding, batch, height, width)
  for (auto [in, out, k, s, p, n, h, w] :
       {std::tuple<Index, Index, Index, Index, Index, Index, Index, Index>{1, 2, 3, 1, 0, 1, 5, 7},
        {3, 5, 3, 2, 1, 3, 5, 7},
        {2, 3, 4, 2, 1, 1, 6, 6},
        {1, 2, 1, 3, 0, 3, 5, 7},
        {3, 2, 4, 3, 2, 1, 7, 5},
        {2, 2, 3, 1, 2, 3, 5, 7},
        {3, 5, 1, 1, 1, 1, 5, 7},
        {1, 2, 4, 2, 1, 3, 8, 8}}) {
    Bound<Conv2d<double>> b(Conv2d<double>(in, out, k, s, p));
    gan::Rng rng(static_cast<std::uint64_t>(in * 100 + k * 10 + s), gan::Stream::user);
    b.perturb(rng);
    const gan::Shape shape = gan::core::images(n, in, h, w);
    gan::testing::check_gradients(b, shape);
    gan::testing::check_backward_backward(b, shape);
  }
  Bound<Conv2d<double>> no_bias(Conv2d<double>(3, 2, 3, 2, 1, Init::xavier_uniform(), false));
  CHECK(no_bias.layer.parameter_count() == 2 * 3 * 3 * 3);
  gan::testing::check_gradients(no_bias, gan::core::images(2, 3, 5, 7));
  gan::testing::check_backward_backward(no_bias, gan::core::images(2, 3, 5, 7));
}

TEST_CASE("Conv2d gives the W2 discriminator's sizes") {
  Conv2d<float> first(1, 64, 4, 2, 1), second(64, 128, 4, 2, 1);
  CHECK(first.name() == "Conv2d(1, 64, k4, s2, p1)");
  CHECK(first.parameter_count() == 64 * 1 * 16 + 64);
  CHECK(second.parameter_count() == 128 * 64 * 16 + 128);
  CHECK(first.output_shape(gan::core::images(64, 1, 28, 28)) == gan::core::images(64, 64, 14, 14));
  CHECK(second.output_shape(gan::core::images(64, 64, 14, 14)) == gan::core::images(64, 128, 7, 7));
  // Floor division, as nn.Conv2d: 5×7 with k3, s2, p0 gives 2×3; with s3, p2 gives 2×3.
  CHECK(Conv2d<float>(1, 1, 3, 2).output_shape(gan::core::images(1, 1, 5, 7)) ==
        gan::core::images(1, 1, 2, 3));
  CHECK(Conv2d<float>(1, 1, 4, 3, 2).output_shape(gan::core::images(1, 1, 5, 7)) ==
        gan::core::images(1, 1, 2, 3));
}

TEST_CASE("Conv2d draws torch_default weights with fan_in = in·k·k") {
  Bound<Conv2d<double>> b(Conv2d<double>(64, 128, 4, 2, 1));
  const double bound = 1 / std::sqrt(64.0 * 16);
  double wmax = 0, bmax = 0;
  for (double v : b.layer.weights()) wmax = std::max(wmax, std::abs(v));
  for (double v : b.layer.bias()) bmax = std::max(bmax, std::abs(v));
  CHECK(wmax <= bound);
  CHECK(wmax > 0.99 * bound);  // 131072 uniform draws fill the range
  CHECK(bmax <= bound);
  CHECK(bmax > 0.5 * bound);
}

TEST_CASE("Conv2d rejects bad arguments and inputs, naming itself") {
  Conv2d<float> c(1, 64, 4, 2, 1);
  CHECK_THROWS_WITH_AS(c.output_shape(gan::core::images(64, 3, 28, 28)),
                       "Conv2d(1, 64, k4, s2, p1) expects 1 input channels, got 3 (shape "
                       "64x3x28x28)",
                       gan::Error);
  CHECK_THROWS_WITH_AS(Conv2d<float>(1, 1, 5, 1, 1).output_shape(gan::core::images(2, 1, 2, 9)),
                       "Conv2d(1, 1, k5, s1, p1) gives an empty output for input 2x1x2x9",
                       gan::Error);
  CHECK_THROWS_WITH_AS(Conv2d<float>(0, 3, 3),
                       "Conv2d(0, 3, k3, s1, p0): channel counts must be positive", gan::Error);
  CHECK_THROWS_WITH_AS(Conv2d<float>(1, 3, 0),
                       "Conv2d(1, 3, k0, s1, p0): kernel size must be positive", gan::Error);
  CHECK_THROWS_WITH_AS(Conv2d<float>(1, 3, 3, 0),
                       "Conv2d(1, 3, k3, s0, p0): stride must be positive", gan::Error);
  CHECK_THROWS_WITH_AS(Conv2d<float>(1, 3, 3, 1, -1),
                       "Conv2d(1, 3, k3, s1, p-1): padding must not be negative", gan::Error);
}
