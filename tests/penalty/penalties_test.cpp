// GradientPenalty, Dragan and R1: the full parameter gradient of each penalty against
// central differences of its value, for an MLP critic and a convolutional critic with
// curvature layers (Tanh, LayerNorm), in double precision; WeightClip and None.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "gan/layer/conv2d.hpp"
#include "gan/layer/dense.hpp"
#include "gan/layer/flatten.hpp"
#include "gan/layer/layer_norm.hpp"
#include "gan/layer/leaky_relu.hpp"
#include "gan/layer/tanh.hpp"
#include "gan/net/mlp.hpp"
#include "gan/net/sequential.hpp"
#include "gan/penalty/dragan.hpp"
#include "gan/penalty/gradient_penalty.hpp"
#include "gan/penalty/none.hpp"
#include "gan/penalty/r1.hpp"
#include "gan/penalty/weight_clip.hpp"
#include "support/gradcheck.hpp"

using namespace gan;

namespace {

auto conv_critic() {
  using namespace gan::layer;
  return net::Sequential(core::images(1, 2, 7, 6), Conv2d<double>(2, 3, 3, 2, 1),
                         LeakyReLU<double>(0.2), Conv2d<double>(3, 4, 3, 1, 1), Tanh<double>(),
                         LayerNorm<double>(4 * 4 * 3), Flatten<double>(),
                         Dense<double>(4 * 4 * 3, 1));
}

/// ∂P/∂θ from apply() against central differences of apply()'s value, with the random
/// draws replayed for each evaluation and gradients already present kept (apply adds).
template <class P, class D>
void check_penalty(P pen, D d, Index data_features, double tol = 1e-6) {
  Rng rng(9, Stream::user);
  Shape in = d.input_shape(3);
  Tensor<double> real = testing::random_tensor<double>(in, rng);
  Tensor<double> fake = testing::random_tensor<double>(in, rng);
  penalty::Workspace<double> ws;
  auto value = [&] {
    Rng draws(4, Stream::penalty);
    return pen.apply(d, ConstView<double>(real.view()), ConstView<double>(fake.view()),
                     data_features, draws, ws);
  };
  for (auto& g : d.gradients()) g = 0.25;
  double v = value();
  CHECK(v > 0);
  std::vector<double> analytic(d.gradients().begin(), d.gradients().end());
  for (auto& g : analytic) g -= 0.25;
  auto numeric = testing::numeric_gradient(d.parameters().data(), d.parameter_count(), value);
  CHECK(testing::relative_error(analytic, numeric) < tol);
}

}  // namespace

TEST_CASE("GradientPenalty's parameter gradient matches central differences") {
  check_penalty(penalty::GradientPenalty(), net::MlpDiscriminator<double>(5, 7), 5);
  check_penalty(penalty::GradientPenalty({.lambda = 3.0}), conv_critic(), 2 * 7 * 6);
}

TEST_CASE("Dragan's parameter gradient matches central differences") {
  check_penalty(penalty::Dragan(), net::MlpDiscriminator<double>(5, 7), 5);
  check_penalty(penalty::Dragan(), conv_critic(), 2 * 7 * 6);
}

TEST_CASE("R1's parameter gradient matches central differences") {
  check_penalty(penalty::R1(), net::MlpDiscriminator<double>(5, 7), 5);
  check_penalty(penalty::R1({.gamma = 0.5}), conv_critic(), 2 * 7 * 6);
}

TEST_CASE("gradient penalties leave label features alone") {
  // The last 2 of 5 features are labels: they are neither interpolated nor in the norm.
  net::MlpDiscriminator<double> d(5, 7);
  Rng rng(2, Stream::user);
  Tensor<double> real = testing::random_tensor<double>(core::features(4, 5), rng);
  Tensor<double> fake = testing::random_tensor<double>(core::features(4, 5), rng);
  penalty::Workspace<double> ws;
  Rng draws(1, Stream::penalty);
  penalty::GradientPenalty().apply(d, ConstView<double>(real.view()),
                                   ConstView<double>(fake.view()), 3, draws, ws);
  for (Index i = 0; i < 4; ++i) {
    CHECK(ws.points(i, 3) == real(i, 3));
    CHECK(ws.points(i, 4) == real(i, 4));
    CHECK(ws.adjoint(i, 3) == 0.0);
    double sq = 0;
    for (Index k = 0; k < 3; ++k) sq += ws.grad(i, k) * ws.grad(i, k);
    CHECK(ws.norms[i] == doctest::Approx(std::sqrt(sq)));
  }
  check_penalty(penalty::GradientPenalty(), net::MlpDiscriminator<double>(5, 7), 3);
}

TEST_CASE("GradientPenalty interpolates with one epsilon per sample") {
  net::MlpDiscriminator<double> d(3, 4);
  Tensor<double> real(core::features(2, 3), 1.0), fake(core::features(2, 3), -1.0);
  penalty::Workspace<double> ws;
  Rng draws(1, Stream::penalty), replay(1, Stream::penalty);
  penalty::GradientPenalty().apply(d, ConstView<double>(real.view()),
                                   ConstView<double>(fake.view()), 3, draws, ws);
  for (Index i = 0; i < 2; ++i) {
    double eps = replay.uniform();
    for (Index k = 0; k < 3; ++k) CHECK(ws.points(i, k) == doctest::Approx(2 * eps - 1));
  }
}

TEST_CASE("WeightClip clamps every parameter after the step; None does nothing") {
  net::MlpDiscriminator<float> d(4, 8);
  for (auto& v : d.parameters()) v *= 100;
  penalty::WeightClip clip;
  CHECK(clip.options().clip == 0.01);
  clip.after_step(d);
  for (float v : d.parameters()) CHECK(std::abs(v) <= 0.01f);
  CHECK(std::any_of(d.parameters().begin(), d.parameters().end(),
                    [](float v) { return std::abs(v) == 0.01f; }));
  CHECK_THROWS_WITH_AS(penalty::WeightClip({.clip = 0}), "WeightClip: clip must be > 0, got 0",
                       Error);
  std::vector<float> before(d.parameters().begin(), d.parameters().end());
  penalty::None none;
  none.after_step(d);
  CHECK(std::equal(before.begin(), before.end(), d.parameters().begin()));
}
