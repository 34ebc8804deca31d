#include "gan/layer/batch_norm.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "gan/net/sequential.hpp"
#include "gan/simd/elementwise.hpp"
#include "support/gradcheck.hpp"

using gan::Shape;
using gan::Tensor;
using gan::layer::BatchNorm;
using gan::testing::Bound;
namespace core = gan::core;

namespace {
Tensor<double> tensor(Shape s, std::initializer_list<double> values) {
  REQUIRE(static_cast<gan::Index>(values.size()) == s.size());
  Tensor<double> t(s);
  std::copy(values.begin(), values.end(), t.data());
  return t;
}
constexpr double eps = 1e-5;
}  // namespace

static_assert(gan::layer::HasBuffers<BatchNorm<double>>);
static_assert(gan::layer::HasTrainingMode<BatchNorm<double>>);
static_assert(!gan::layer::TwiceDifferentiable<BatchNorm<double>>,
              "batch statistics couple the samples: no per-sample gradient penalty");

TEST_CASE("BatchNorm initializes γ = 1, β = 0, running mean 0 and variance 1") {
  Bound<BatchNorm<double>> b(BatchNorm<double>(3));
  CHECK(b.layer.parameter_count() == 6);
  CHECK(b.layer.buffer_count() == 6);
  CHECK(b.values == std::vector<double>{1, 1, 1, 0, 0, 0});
  CHECK(b.buffers == std::vector<double>{0, 0, 0, 1, 1, 1});
  CHECK(b.layer.training());
  CHECK(b.layer.name() == "BatchNorm(3)");
}

TEST_CASE("BatchNorm training forward normalizes with the batch statistics") {
  Bound<BatchNorm<double>> b(BatchNorm<double>(2));
  // γ = (2, 0.5), β = (1, −1)
  std::vector<double> theta = {2, 0.5, 1, -1};
  std::copy(theta.begin(), theta.end(), b.values.begin());
  // channel 0: 1, 3, 8 (mean 4, biased variance 26/3); channel 1: 2, 2, 5 (mean 3, variance 2)
  Tensor<double> x = tensor(core::features(3, 2), {1, 2, 3, 2, 8, 5});
  Tensor<double> y(x.shape());
  b.layer.forward(x.view(), y.view());
  const double r0 = 1 / std::sqrt(26.0 / 3 + eps), r1 = 1 / std::sqrt(2 + eps);
  CHECK(y(0, 0) == doctest::Approx(2 * (1 - 4) * r0 + 1));
  CHECK(y(1, 0) == doctest::Approx(2 * (3 - 4) * r0 + 1));
  CHECK(y(2, 0) == doctest::Approx(2 * (8 - 4) * r0 + 1));
  CHECK(y(0, 1) == doctest::Approx(0.5 * (2 - 3) * r1 - 1));
  CHECK(y(2, 1) == doctest::Approx(0.5 * (5 - 3) * r1 - 1));
}

TEST_CASE("BatchNorm running statistics follow PyTorch (momentum, unbiased variance)") {
  Bound<BatchNorm<double>> b(BatchNorm<double>(2));
  Tensor<double> y(core::features(3, 2));
  // batch 1: means (4, 3), unbiased variances (26/2 = 13, 6/2 = 3)
  Tensor<double> x1 = tensor(core::features(3, 2), {1, 2, 3, 2, 8, 5});
  b.layer.forward(x1.view(), y.view());
  // 0.9·0 + 0.1·(4, 3); 0.9·1 + 0.1·(13, 3)
  CHECK(b.layer.running_mean()[0] == doctest::Approx(0.4));
  CHECK(b.layer.running_mean()[1] == doctest::Approx(0.3));
  CHECK(b.layer.running_var()[0] == doctest::Approx(2.2));
  CHECK(b.layer.running_var()[1] == doctest::Approx(1.2));
  // batch 2: channel 0: 0, 2, 4 (mean 2, unbiased 8/2 = 4); channel 1: 1, 4, 1 (mean 2, 6/2 = 3)
  Tensor<double> x2 = tensor(core::features(3, 2), {0, 1, 2, 4, 4, 1});
  b.layer.forward(x2.view(), y.view());
  // 0.9·(0.4, 0.3) + 0.1·(2, 2); 0.9·(2.2, 1.2) + 0.1·(4, 3)
  CHECK(b.layer.running_mean()[0] == doctest::Approx(0.56));
  CHECK(b.layer.running_mean()[1] == doctest::Approx(0.47));
  CHECK(b.layer.running_var()[0] == doctest::Approx(2.38));
  CHECK(b.layer.running_var()[1] == doctest::Approx(1.38));

  // backward and accumulate_grad read the batch statistics but never update them
  std::vector<double> before = b.buffers;
  Tensor<double> dx(x2.shape());
  b.layer.backward(x2.view(), y.view(), x1.view(), dx.view());
  b.layer.accumulate_grad(x2.view(), x1.view());
  CHECK(b.buffers == before);

  // evaluation mode uses them: y = γ (x − 0.56) / √(2.38 + ε) + β, here γ = 1, β = 0
  b.layer.set_training(false);
  Tensor<double> one = tensor(core::features(1, 2), {1, 2});
  Tensor<double> y1(one.shape());
  b.layer.forward(one.view(), y1.view());
  CHECK(y1(0, 0) == doctest::Approx((1 - 0.56) / std::sqrt(2.38 + eps)));
  CHECK(y1(0, 1) == doctest::Approx((2 - 0.47) / std::sqrt(1.38 + eps)));
  CHECK(b.buffers == before);  // and do not change them

  gan::Rng init_rng;
  b.layer.initialize(init_rng);
  CHECK(b.buffers == std::vector<double>{0, 0, 1, 1});
}

TEST_CASE("BatchNorm statistics of images run over N, H and W") {
  Bound<BatchNorm<double>> b(BatchNorm<double>(2, 0.5));
  // one sample, 2 channels of 1×3: (1, 2, 6): mean 3, unbiased 14/2 = 7;
  // (0, 0, 3): mean 1, unbiased 6/2 = 3. A single image is fine in training mode.
  Tensor<double> x = tensor(core::images(1, 2, 1, 3), {1, 2, 6, 0, 0, 3});
  Tensor<double> y(x.shape());
  b.layer.forward(x.view(), y.view());
  CHECK(b.layer.running_mean()[0] == doctest::Approx(1.5));  // 0.5·0 + 0.5·3
  CHECK(b.layer.running_mean()[1] == doctest::Approx(0.5));
  CHECK(b.layer.running_var()[0] == doctest::Approx(4));  // 0.5·1 + 0.5·7
  CHECK(b.layer.running_var()[1] == doctest::Approx(2));
  CHECK(y(0, 0, 0, 2) == doctest::Approx((6 - 3) / std::sqrt(14.0 / 3 + eps)));
  CHECK(y(0, 1, 0, 0) == doctest::Approx((0 - 1) / std::sqrt(2 + eps)));
}

TEST_CASE("BatchNorm training-mode gradients match central differences") {
  gan::Rng rng(5, gan::Stream::user);
  for (Shape s : {core::features(4, 3), core::features(2, 5), core::features(5, 66),
                  core::images(3, 2, 3, 5), core::images(1, 3, 5, 3), core::images(2, 3, 1, 1)}) {
    Bound<BatchNorm<double>> b(BatchNorm<double>(s.c));
    b.perturb(rng);
    gan::testing::check_gradients(b, s);
  }
}

TEST_CASE("BatchNorm evaluation-mode gradients match central differences") {
  gan::Rng rng(6, gan::Stream::user);
  for (Shape s : {core::features(1, 5), core::features(4, 3), core::images(2, 3, 5, 3),
                  core::images(1, 2, 3, 3)}) {
    Bound<BatchNorm<double>> b(BatchNorm<double>(s.c));
    b.perturb(rng);
    for (gan::Index c = 0; c < s.c; ++c) {
      b.layer.running_mean()[c] = rng.uniform(-0.5, 0.5);
      b.layer.running_var()[c] = rng.uniform(0.5, 2);
    }
    b.layer.set_training(false);
    gan::testing::check_gradients(b, s);
  }
}

TEST_CASE("BatchNorm needs more than one value per channel when training") {
  Bound<BatchNorm<double>> b(BatchNorm<double>(3));
  Tensor<double> x(core::features(1, 3)), y(core::features(1, 3));
  const char* message =
      "BatchNorm(3): expected more than 1 value per channel when training, got input of shape "
      "1x3";
  CHECK_THROWS_WITH_AS(b.layer.forward(x.view(), y.view()), message, gan::Error);
  CHECK_THROWS_WITH_AS(b.layer.backward(x.view(), y.view(), y.view(), x.view()), message,
                       gan::Error);
  CHECK_THROWS_WITH_AS(b.layer.accumulate_grad(x.view(), y.view()), message, gan::Error);
  b.layer.set_training(false);
  CHECK_NOTHROW(b.layer.forward(x.view(), y.view()));
}

TEST_CASE("BatchNorm rejects bad shapes and settings") {
  BatchNorm<float> bn(64);
  CHECK_THROWS_WITH_AS(bn.output_shape(core::images(8, 32, 7, 7)),
                       "BatchNorm(64) expects 64 channels, got 32 (shape 8x32x7x7)", gan::Error);
  CHECK(bn.output_shape(core::images(8, 64, 7, 7)) == core::images(8, 64, 7, 7));
  CHECK_THROWS_WITH_AS(BatchNorm<float>(0), "BatchNorm(0): channel count must be positive",
                       gan::Error);
  CHECK_THROWS_WITH_AS(BatchNorm<float>(4, 1.5),
                       "BatchNorm(4): momentum must be in [0, 1], got 1.5", gan::Error);
  CHECK_THROWS_WITH_AS(BatchNorm<float>(4, 0.1, 0), "BatchNorm(4): eps must be positive, got 0",
                       gan::Error);
}

TEST_CASE("BatchNorm in a copied network keeps its running statistics") {
  gan::net::Sequential net(core::features(1, 3), BatchNorm<double>(3));
  gan::net::Tape<double> tape;
  gan::Rng rng(9, gan::Stream::user);
  Tensor<double> x1 = gan::testing::random_tensor<double>(core::features(4, 3), rng);
  Tensor<double> x2 = gan::testing::random_tensor<double>(core::features(4, 3), rng);
  net.forward(x1.view(), tape);
  net.forward(x2.view(), tape);
  const std::vector<double> stats(net.buffers().begin(), net.buffers().end());
  CHECK(stats != std::vector<double>{0, 0, 0, 1, 1, 1});

  auto copy = net;
  CHECK(std::vector<double>(copy.buffers().begin(), copy.buffers().end()) == stats);
  net.set_training(false);
  copy.set_training(false);
  gan::net::Tape<double> copy_tape;
  auto y = net.forward(x1.view(), tape);
  auto y_copy = copy.forward(x1.view(), copy_tape);
  for (gan::Index k = 0; k < y.size(); ++k) CHECK(y[k] == y_copy[k]);
  // the copy's layer reads the copy's buffers, not the original's
  net.buffers()[0] += 1;
  y = net.forward(x1.view(), tape);
  y_copy = copy.forward(x1.view(), copy_tape);
  CHECK(y[0] != y_copy[0]);
}

TEST_CASE("BatchNorm's forward_leaky is forward then a LeakyReLU in place, bit for bit") {
  gan::Rng rng(13, gan::Stream::user);
  for (Shape s : {core::features(64, 37), core::images(8, 5, 7, 7)}) {
    for (bool training : {true, false}) {
      for (float slope : {0.0f, 0.2f}) {
        CAPTURE(s);
        CAPTURE(training);
        CAPTURE(slope);
        Bound<BatchNorm<float>> two_passes(BatchNorm<float>(s.c));
        Bound<BatchNorm<float>> one_pass(BatchNorm<float>(s.c));
        two_passes.perturb(rng);
        one_pass.values = two_passes.values;
        for (auto* b : {&two_passes, &one_pass}) {
          for (auto& v : b->buffers) v = 0.5f;  // running mean 0.5, variance 0.5
          b->layer.set_training(training);
        }
        Tensor<float> x = gan::testing::random_tensor<float>(s, rng, 0.0);
        Tensor<float> want(s), got(s);
        two_passes.layer.forward(x.view(), want.view());
        gan::simd::leaky_relu(want.data(), want.size(), slope, want.data());
        one_pass.layer.forward_leaky(x.view(), got.view(), slope);
        CHECK(std::ranges::equal(got.span(), want.span()));
        CHECK(one_pass.buffers == two_passes.buffers);
      }
    }
  }
}
