#include "gan/layer/conv_transpose2d.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "gan/layer/conv2d.hpp"
#include "support/gradcheck.hpp"

using gan::Index;
using gan::layer::Conv2d;
using gan::layer::ConvTranspose2d;
using gan::layer::Init;
using gan::testing::Bound;

TEST_CASE("ConvTranspose2d forward scatters each input pixel through the kernel") {
  gan::Tensor<double> x(gan::core::images(1, 1, 2, 2));
  for (Index k = 0; k < 4; ++k) x[k] = static_cast<double>(k + 1);  // [[1, 2], [3, 4]]

  SUBCASE("k2, stride 1: the full convolution") {
    Bound<ConvTranspose2d<double>> b(ConvTranspose2d<double>(1, 1, 2));
    const double w[] = {1, 2, 3, 4, 0};  // W = [[1, 2], [3, 4]], b = 0
    std::copy(std::begin(w), std::end(w), b.values.begin());
    gan::Tensor<double> y(b.layer.output_shape(x.shape()));
    REQUIRE(y.shape() == gan::core::images(1, 1, 3, 3));
    b.layer.forward(x.view(), y.view());
    const double expected[] = {1, 4, 4, 6, 20, 16, 9, 24, 16};
    for (Index k = 0; k < 9; ++k) CHECK(y[k] == doctest::Approx(expected[k]));
  }
  SUBCASE("k3, stride 2, padding 1, output_padding 1") {
    Bound<ConvTranspose2d<double>> b(ConvTranspose2d<double>(1, 1, 3, 2, 1, 1));
    std::fill(b.values.begin(), b.values.end() - 1, 1.0);
    b.values.back() = 0.25;
    gan::Tensor<double> y(b.layer.output_shape(x.shape()));
    REQUIRE(y.shape() == gan::core::images(1, 1, 4, 4));  // (2 − 1)·2 − 2 + 3 + 1
    b.layer.forward(x.view(), y.view());
    // Output row r collects input rows {0}, {0, 1}, {1}, {1} (the kernel, shifted by the
    // padding, covers rows 2i − 1 … 2i + 1); the same across.
    const double expected[] = {1, 3, 2, 2, 4, 10, 6, 6, 3, 7, 4, 4, 3, 7, 4, 4};
    for (Index k = 0; k < 16; ++k) CHECK(y[k] == doctest::Approx(expected[k] + 0.25));
  }
  SUBCASE("W is (in, out, k, k)") {
    Bound<ConvTranspose2d<double>> b(ConvTranspose2d<double>(2, 3, 1));
    const double w[] = {1, 2, 3, 4, 5, 6, 0, 0, 0};  // W[i][o] = [[1, 2, 3], [4, 5, 6]]
    std::copy(std::begin(w), std::end(w), b.values.begin());
    gan::Tensor<double> x2(gan::core::images(2, 2, 1, 2));
    for (Index k = 0; k < x2.size(); ++k) x2[k] = static_cast<double>(k);
    gan::Tensor<double> y(b.layer.output_shape(x2.shape()));
    REQUIRE(y.shape() == gan::core::images(2, 3, 1, 2));
    b.layer.forward(x2.view(), y.view());
    for (Index n = 0; n < 2; ++n)
      for (Index o = 0; o < 3; ++o)
        for (Index j = 0; j < 2; ++j)
          CHECK(y(n, o, 0, j) ==
                doctest::Approx(w[o] * x2(n, 0, 0, j) + w[3 + o] * x2(n, 1, 0, j)));
  }
}

TEST_CASE("ConvTranspose2d gradients match central differences") {
  // (in, out, kernel, stride, padding, output_padding, batch, height, width)
  for (auto [in, out, k, s, p, op, n, h, w] :
       {std::tuple<Index, Index, Index, Index, Index, Index, Index, Index, Index>{1, 2, 3, 2, 1, 1,
                                                                                  1, 5, 7},
        {3, 5, 3, 1, 0, 0, 3, 5, 7},
        {2, 3, 4, 2, 1, 0, 1, 4, 4},
        {1, 2, 1, 3, 0, 2, 3, 5, 7},
        {3, 2, 4, 3, 2, 1, 1, 5, 7},
        {2, 2, 3, 3, 1, 2, 3, 3, 2},
        {3, 5, 1, 1, 2, 0, 1, 5, 7},
        {2, 1, 4, 2, 1, 0, 3, 7, 7}}) {
    Bound<ConvTranspose2d<double>> b(ConvTranspose2d<double>(in, out, k, s, p, op));
    gan::Rng rng(static_cast<std::uint64_t>(in * 100 + k * 10 + s), gan::Stream::user);
    b.perturb(rng);
    const gan::Shape shape = gan::core::images(n, in, h, w);
    gan::testing::check_gradients(b, shape);
    gan::testing::check_backward_backward(b, shape);
  }
  Bound<ConvTranspose2d<double>> no_bias(
      ConvTranspose2d<double>(3, 2, 3, 2, 1, 1, Init::xavier_uniform(), false));
  CHECK(no_bias.layer.parameter_count() == 3 * 2 * 3 * 3);
  gan::testing::check_gradients(no_bias, gan::core::images(2, 3, 5, 7));
  gan::testing::check_backward_backward(no_bias, gan::core::images(2, 3, 5, 7));
}

TEST_CASE("ConvTranspose2d is the adjoint of Conv2d: <conv(x), y> = <x, convT(y)>") {
  // (channels a, channels b, kernel, stride, padding, batch, height, width): Conv2d(a → b)
  // on (N, a, H, W) and ConvTranspose2d(b → a) with the output_padding that gives back H×W.
  for (auto [a, c, k, s, p, n, h, w] :
       {std::tuple<Index, Index, Index, Index, Index, Index, Index, Index>{1, 2, 3, 2, 1, 1, 5, 7},
        {3, 5, 3, 1, 0, 3, 5, 7},
        {2, 3, 4, 3, 2, 1, 5, 8},
        {3, 2, 1, 3, 0, 3, 5, 8},
        {2, 2, 4, 2, 1, 2, 28, 28}}) {
    Conv2d<double> conv(a, c, k, s, p, Init::torch_default(), false);
    const gan::Shape x_shape = gan::core::images(n, a, h, w), y_shape = conv.output_shape(x_shape);
    const Index op = (h + 2 * p - k) % s;
    REQUIRE(op == (w + 2 * p - k) % s);  // one output_padding serves both axes
    ConvTranspose2d<double> convt(c, a, k, s, p, op, Init::torch_default(), false);
    REQUIRE(convt.output_shape(y_shape) == x_shape);
    // One weight array, read by both: (b, a, k, k) is Conv2d's (out, in) and
    // ConvTranspose2d's (in, out) layout.
    std::vector<double> values(conv.parameter_count()), grads(values.size());
    REQUIRE(convt.parameter_count() == conv.parameter_count());
    conv.bind_parameters(values.data(), grads.data());
    convt.bind_parameters(values.data(), grads.data());
    gan::Rng rng(21, gan::Stream::user);
    conv.initialize(rng);
    gan::Tensor<double> x = gan::testing::random_tensor<double>(x_shape, rng);
    gan::Tensor<double> y = gan::testing::random_tensor<double>(y_shape, rng);
    gan::Tensor<double> conv_x(y_shape), convt_y(x_shape);
    conv.forward(x.view(), conv_x.view());
    convt.forward(y.view(), convt_y.view());
    const double lhs = gan::testing::dot(conv_x.view(), y.view());
    const double rhs = gan::testing::dot(x.view(), convt_y.view());
    CAPTURE(conv.name());
    CHECK(lhs == doctest::Approx(rhs).epsilon(1e-12));
    // And so each layer's input gradient is the other's forward product.
    gan::Tensor<double> dx(x_shape);
    conv.backward(x.view(), conv_x.view(), y.view(), dx.view());
    CHECK(gan::testing::relative_error(dx.span(), convt_y.span()) < 1e-14);
  }
}

TEST_CASE("ConvTranspose2d gives the W2 generator's sizes") {
  ConvTranspose2d<float> first(128, 64, 4, 2, 1), second(64, 1, 4, 2, 1);
  CHECK(first.name() == "ConvTranspose2d(128, 64, k4, s2, p1)");
  CHECK(ConvTranspose2d<float>(2, 3, 3, 2, 1, 1).name() ==
        "ConvTranspose2d(2, 3, k3, s2, p1, op1)");
  CHECK(first.parameter_count() == 128 * 64 * 16 + 64);
  CHECK(second.parameter_count() == 64 * 1 * 16 + 1);
  CHECK(first.output_shape(gan::core::images(64, 128, 7, 7)) == gan::core::images(64, 64, 14, 14));
  CHECK(second.output_shape(gan::core::images(64, 64, 14, 14)) == gan::core::images(64, 1, 28, 28));
  // (H − 1)·s − 2p + k + op on an odd image: 5×7, k3, s2, p1, op1 → 10×14.
  CHECK(ConvTranspose2d<float>(1, 1, 3, 2, 1, 1).output_shape(gan::core::images(1, 1, 5, 7)) ==
        gan::core::images(1, 1, 10, 14));
}

TEST_CASE("ConvTranspose2d draws torch_default weights with fan_in = out·k·k, as PyTorch") {
  // PyTorch reads fan_in from dim 1 of the (in, out, k, k) weight: 64·16, not 128·16.
  Bound<ConvTranspose2d<double>> b(ConvTranspose2d<double>(128, 64, 4, 2, 1));
  const double bound = 1 / std::sqrt(64.0 * 16);
  double wmax = 0, bmax = 0;
  for (double v : b.layer.weights()) wmax = std::max(wmax, std::abs(v));
  for (double v : b.layer.bias()) bmax = std::max(bmax, std::abs(v));
  CHECK(wmax <= bound);
  CHECK(wmax > 0.99 * bound);  // 131072 uniform draws fill the range
  CHECK(bmax <= bound);
  CHECK(bmax > 0.5 * bound);
}

TEST_CASE("ConvTranspose2d rejects bad arguments and inputs, naming itself") {
  ConvTranspose2d<float> c(128, 64, 4, 2, 1);
  CHECK_THROWS_WITH_AS(c.output_shape(gan::core::images(64, 64, 7, 7)),
                       "ConvTranspose2d(128, 64, k4, s2, p1) expects 128 input channels, got 64 "
                       "(shape 64x64x7x7)",
                       gan::Error);
  // (2 − 1)·1 − 4 + 1 + 0 = −2
  CHECK_THROWS_WITH_AS(
      ConvTranspose2d<float>(1, 1, 1, 1, 2).output_shape(gan::core::images(2, 1, 2, 2)),
      "ConvTranspose2d(1, 1, k1, s1, p2) gives an empty output for input 2x1x2x2", gan::Error);
  CHECK_THROWS_WITH_AS(ConvTranspose2d<float>(1, 1, 3, 2, 1, 2),
                       "ConvTranspose2d(1, 1, k3, s2, p1, op2): output_padding must be in [0, "
                       "stride)",
                       gan::Error);
  CHECK_THROWS_WITH_AS(ConvTranspose2d<float>(1, 1, 3, 1, 0, 1),
                       "ConvTranspose2d(1, 1, k3, s1, p0, op1): output_padding must be in [0, "
                       "stride)",
                       gan::Error);
  CHECK_THROWS_WITH_AS(ConvTranspose2d<float>(1, 0, 3),
                       "ConvTranspose2d(1, 0, k3, s1, p0): channel counts must be positive",
                       gan::Error);
}
