#include "gan/layer/dense.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <tuple>
#include <vector>

#include "support/gradcheck.hpp"

using gan::layer::Dense;
using gan::testing::Bound;

TEST_CASE("Dense forward is x Wᵀ + b") {
  Bound<Dense<double>> b(Dense<double>(3, 2));
  // W = [[1, 2, 3], [4, 5, 6]], b = [0.5, -1]
  double w[] = {1, 2, 3, 4, 5, 6, 0.5, -1};
  std::copy(std::begin(w), std::end(w), b.values.begin());
  gan::Tensor<double> x(gan::core::features(2, 3));
  double xs[] = {1, 0, -1, 2, 1, 0};
  std::copy(std::begin(xs), std::end(xs), x.data());
  gan::Tensor<double> y(gan::core::features(2, 2));
  b.layer.forward(x.view(), y.view());
  CHECK(y(0, 0) == doctest::Approx(1 - 3 + 0.5));
  CHECK(y(0, 1) == doctest::Approx(4 - 6 - 1));
  CHECK(y(1, 0) == doctest::Approx(2 + 2 + 0.5));
  CHECK(y(1, 1) == doctest::Approx(8 + 5 - 1));
}

TEST_CASE("Dense gradients match central differences") {
  for (auto [in, out, n] : {std::tuple{5, 3, 4}, {7, 1, 1}, {1, 9, 3}, {13, 11, 2}}) {
    Bound<Dense<double>> b(Dense<double>(in, out));
    gan::testing::check_gradients(b, gan::core::features(n, in));
    gan::testing::check_backward_backward(b, gan::core::features(n, in));
  }
  Bound<Dense<double>> no_bias(Dense<double>(6, 4, gan::layer::Init::xavier_uniform(), false));
  CHECK(no_bias.layer.parameter_count() == 24);
  gan::testing::check_gradients(no_bias, gan::core::features(3, 6));
  gan::testing::check_backward_backward(no_bias, gan::core::features(3, 6));
}

TEST_CASE("Dense reads an image batch as its flattened features") {
  Bound<Dense<double>> b(Dense<double>(2 * 3 * 3, 4));
  CHECK(b.layer.output_shape(gan::core::images(5, 2, 3, 3)) == gan::core::features(5, 4));
  gan::testing::check_gradients(b, gan::core::images(2, 2, 3, 3));
}

TEST_CASE("Dense rejects inputs of the wrong width") {
  Dense<float> d(784, 256);
  CHECK_THROWS_WITH_AS(d.output_shape(gan::core::features(64, 100)),
                       "Dense(784, 256) expects 784 input features, got 100 (shape 64x100)",
                       gan::Error);
  CHECK_THROWS_AS(Dense<float>(0, 3), gan::Error);
}

TEST_CASE("Dense write_grad is accumulate_grad into zeros and never reads the gradient") {
  // Batches past the GEMM's K block (the batch is the K of the weight-gradient product),
  // with and without bias.
  for (auto [in, out, n, bias] :
       {std::tuple{5, 3, 4, true}, {33, 17, 300, true}, {9, 40, 129, false}}) {
    CAPTURE(n);
    Bound<Dense<float>> b(Dense<float>(in, out, gan::layer::Init::torch_default(), bias));
    gan::Rng rng(7, gan::Stream::user);
    auto x = gan::testing::random_tensor<float>(gan::core::features(n, in), rng);
    auto dy = gan::testing::random_tensor<float>(gan::core::features(n, out), rng);
    b.zero_grad();
    b.layer.accumulate_grad(x.view(), dy.view());
    const std::vector<float> want = b.grads;
    std::fill(b.grads.begin(), b.grads.end(), std::numeric_limits<float>::quiet_NaN());
    b.layer.write_grad(x.view(), dy.view());
    CHECK(b.grads == want);  // bit for bit, and no NaN read from the old values
  }
}

TEST_CASE("Dense's forward_leaky and forward_tanh are forward then the activation, bit for bit") {
  gan::Rng rng(17, gan::Stream::user);
  // A batch the product computes transposed (64 rows), one it does not (5), and widths off
  // the SIMD width.
  for (auto [in, out, n] : {std::tuple{300, 130, 64}, {37, 21, 5}}) {
    CAPTURE(in);
    CAPTURE(out);
    CAPTURE(n);
    Bound<Dense<float>> b(Dense<float>(in, out));
    b.perturb(rng);
    gan::Tensor<float> x = gan::testing::random_tensor<float>(gan::core::features(n, in), rng, 0.0);
    gan::Tensor<float> want(gan::core::features(n, out)), got(want.shape());
    for (float slope : {0.0f, 0.2f}) {
      b.layer.forward(x.view(), want.view());
      gan::simd::leaky_relu(want.data(), want.size(), slope, want.data());
      b.layer.forward_leaky(x.view(), got.view(), slope);
      CHECK(std::ranges::equal(got.span(), want.span()));
    }
    b.layer.forward(x.view(), want.view());
    gan::simd::tanh_forward(want.data(), want.size(), want.data());
    b.layer.forward_tanh(x.view(), got.view());
    CHECK(std::ranges::equal(got.span(), want.span()));
  }
}
