#include "gan/net/sequential.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <vector>

#include "gan/layer/batch_norm.hpp"
#include "gan/layer/conv2d.hpp"
#include "gan/layer/dense.hpp"
#include "gan/layer/flatten.hpp"
#include "gan/layer/identity.hpp"
#include "gan/layer/leaky_relu.hpp"
#include "gan/layer/relu.hpp"
#include "gan/layer/reshape.hpp"
#include "gan/layer/sigmoid.hpp"
#include "gan/layer/tanh.hpp"
#include "gan/net/mlp.hpp"
#include "support/gradcheck.hpp"

using namespace gan;
using gan::layer::Dense;

namespace {

/// A critic with every kind of curvature: Tanh and Sigmoid between Dense layers.
auto curved_critic() {
  return net::Sequential(core::features(1, 5), Dense<double>(5, 7), layer::Tanh<double>(),
                         Dense<double>(7, 4), layer::LeakyReLU<double>(0.2), Dense<double>(4, 3),
                         layer::Sigmoid<double>(), Dense<double>(3, 1));
}

double penalty_of(auto& net, net::Tape<double>& tape, const Tensor<double>& x,
                  const Tensor<double>& c, Tensor<double>& g) {
  ConstView<double> out = net.forward(x.view(), tape);
  Tensor<double> ones(out.shape(), 1.0);
  net.backward(tape, ones.view(), g.view(), net::Grad::input);
  double p = 0;
  for (Index k = 0; k < g.size(); ++k) p += c[k] * g[k] * g[k];
  return p;
}

/// Checks dL/dx and dL/dθ of L = <net(x), r> from backward (Grad::both) against central
/// differences; leaves the tape of the last forward pass.
void check_backward(auto& net, Tensor<double>& x, const Tensor<double>& r,
                    net::Tape<double>& tape) {
  Tensor<double> dx(x.shape());
  auto f = [&] { return testing::dot(net.forward(x.view(), tape), r.view()); };
  f();
  net.zero_grad();
  net.backward(tape, r.view(), dx.view(), net::Grad::both);
  std::vector<double> grads(net.gradients().begin(), net.gradients().end());
  CHECK(testing::relative_error(dx.span(), testing::numeric_gradient(x.data(), x.size(), f)) <
        1e-6);
  CHECK(testing::relative_error(grads, testing::numeric_gradient(net.parameters().data(),
                                                                 net.parameter_count(), f)) < 1e-6);
}

using DenseNormNet = net::Sequential<Dense<double>, layer::BatchNorm<double>,
                                     layer::LeakyReLU<double>, Dense<double>>;

/// The same network, declaring that its backward cannot overwrite the gradients.
struct PlainNet : DenseNormNet {
  explicit PlainNet(const DenseNormNet& n) : DenseNormNet(n) {}
  static constexpr bool overwrites_gradients = false;
};

/// A LeakyReLU that does not offer itself to the layer before it: the two-pass reference.
struct UnfusedLeakyReLU : layer::LeakyReLU<float> {
  static constexpr bool leaky_rectifier = false;
  explicit UnfusedLeakyReLU(double slope) : layer::LeakyReLU<float>(slope) {}
};

/// A BatchNorm that counts the forward passes into which it took an activation.
struct CountingNorm : layer::BatchNorm<float> {
  explicit CountingNorm(Index channels) : layer::BatchNorm<float>(channels) {}
  void forward_leaky(ConstView<float> x, TensorView<float> y, float slope) {
    ++fused_passes;
    layer::BatchNorm<float>::forward_leaky(x, y, slope);
  }
  inline static int fused_passes = 0;
};

}  // namespace

TEST_CASE("Sequential runs a ReLU after BatchNorm inside BatchNorm's pass, bit for bit") {
  static_assert(layer::LeakyRectifier<layer::ReLU<float>>);
  static_assert(!layer::LeakyRectifier<UnfusedLeakyReLU>);
  static_assert(layer::FusesLeakyReLU<layer::BatchNorm<float>>);
  auto make = [](auto first, auto second) {
    return net::Sequential(core::images(1, 3, 6, 6), layer::Conv2d<float>(3, 4, 3, 1, 1),
                           CountingNorm(4), first, layer::Flatten<float>(), Dense<float>(144, 9),
                           CountingNorm(9), second, Dense<float>(9, 2));
  };
  auto fused = make(layer::ReLU<float>(), layer::LeakyReLU<float>(0.2));
  auto plain = make(UnfusedLeakyReLU(0.0), UnfusedLeakyReLU(0.2));
  Rng rng(12, Stream::user);
  for (auto& v : fused.parameters()) v = static_cast<float>(rng.uniform(-0.5, 0.5));
  std::ranges::copy(fused.parameters(), plain.parameters().begin());
  Tensor<float> x = testing::random_tensor<float>(core::images(16, 3, 6, 6), rng, 0.0);
  Tensor<float> dy = testing::random_tensor<float>(core::features(16, 2), rng, 0.0);
  Tensor<float> dx_fused(x.shape()), dx_plain(x.shape());
  net::Tape<float> tf, tp;
  for (bool training : {true, false}) {
    CAPTURE(training);
    fused.set_training(training);
    plain.set_training(training);
    CountingNorm::fused_passes = 0;
    ConstView<float> yf = fused.forward(x.view(), tf);
    CHECK(CountingNorm::fused_passes == 2);  // both activations, no pass of their own
    ConstView<float> yp = plain.forward(x.view(), tp);
    CHECK(CountingNorm::fused_passes == 2);
    CHECK(std::ranges::equal(yf.span(), yp.span()));
    CHECK(std::ranges::equal(fused.buffers(), plain.buffers()));  // running statistics
    // The activations' backward passes read the same values as after their own pass.
    const net::Grad all = net::Grad::input | net::Grad::parameters | net::Grad::overwrite;
    fused.backward(tf, dy.view(), dx_fused.view(), all);
    plain.backward(tp, dy.view(), dx_plain.view(), all);
    CHECK(std::ranges::equal(dx_fused.span(), dx_plain.span()));
    CHECK(std::ranges::equal(fused.gradients(), plain.gradients()));
  }
}

namespace {

/// A Tanh that does not offer itself to the layer before it.
struct UnfusedTanh : layer::Tanh<float> {
  static constexpr bool tanh_activation = false;
};

/// A Dense layer that counts the forward passes into which it took an activation.
struct CountingDense : Dense<float> {
  CountingDense(Index in, Index out) : Dense<float>(in, out) {}
  void forward_leaky(ConstView<float> x, TensorView<float> y, float slope) {
    ++fused_passes;
    Dense<float>::forward_leaky(x, y, slope);
  }
  void forward_tanh(ConstView<float> x, TensorView<float> y) {
    ++fused_passes;
    Dense<float>::forward_tanh(x, y);
  }
  inline static int fused_passes = 0;
};

}  // namespace

TEST_CASE("Sequential runs a LeakyReLU, ReLU or Tanh after Dense inside its product, bit for bit") {
  static_assert(layer::TanhActivation<layer::Tanh<float>>);
  static_assert(!layer::TanhActivation<UnfusedTanh>);
  static_assert(layer::FusesLeakyReLU<Dense<float>> && layer::FusesTanh<Dense<float>>);
  static_assert(!layer::FusesTanh<layer::BatchNorm<float>>);
  auto make = [](auto leaky, auto relu, auto tanh) {
    return net::Sequential(core::features(1, 70), CountingDense(70, 130), leaky,
                           CountingDense(130, 33), relu, CountingDense(33, 21), tanh);
  };
  auto fused = make(layer::LeakyReLU<float>(0.2), layer::ReLU<float>(), layer::Tanh<float>());
  auto plain = make(UnfusedLeakyReLU(0.2), UnfusedLeakyReLU(0.0), UnfusedTanh());
  Rng rng(21, Stream::user);
  for (auto& v : fused.parameters()) v = static_cast<float>(rng.uniform(-0.3, 0.3));
  std::ranges::copy(fused.parameters(), plain.parameters().begin());
  // A batch of 64 (the first product computed transposed) and one of 3.
  for (Index n : {64, 3}) {
    CAPTURE(n);
    Tensor<float> x = testing::random_tensor<float>(core::features(n, 70), rng, 0.0);
    Tensor<float> dy = testing::random_tensor<float>(core::features(n, 21), rng, 0.0);
    Tensor<float> dx_fused(x.shape()), dx_plain(x.shape());
    net::Tape<float> tf, tp;
    CountingDense::fused_passes = 0;
    ConstView<float> yf = fused.forward(x.view(), tf);
    CHECK(CountingDense::fused_passes == 3);  // all three activations, no pass of their own
    ConstView<float> yp = plain.forward(x.view(), tp);
    CHECK(CountingDense::fused_passes == 3);
    CHECK(std::ranges::equal(yf.span(), yp.span()));
    // The activations' backward passes read the same values as after their own pass.
    const net::Grad all = net::Grad::input | net::Grad::parameters | net::Grad::overwrite;
    fused.backward(tf, dy.view(), dx_fused.view(), all);
    plain.backward(tp, dy.view(), dx_plain.view(), all);
    CHECK(std::ranges::equal(dx_fused.span(), dx_plain.span()));
    CHECK(std::ranges::equal(fused.gradients(), plain.gradients()));
  }
}

TEST_CASE("Sequential names the layers that do not fit") {
  CHECK_THROWS_WITH_AS(
      net::Sequential(core::features(1, 784), Dense<float>(784, 256), layer::LeakyReLU<float>(0.2),
                      Dense<float>(128, 1)),
      "Sequential: layer 2 Dense(128, 1) does not fit the output of layer 1 LeakyReLU(0.2) "
      "(samples of shape 1x256): Dense(128, 1) expects 128 input features, got 256 (shape 1x256)",
      Error);
  CHECK_THROWS_WITH_AS(net::Sequential(core::features(1, 10), Dense<float>(784, 256)),
                       "Sequential: layer 0 Dense(784, 256) does not fit the network input "
                       "(samples of shape 1x10): Dense(784, 256) expects 784 input features, "
                       "got 10 (shape 1x10)",
                       Error);
}

TEST_CASE("Sequential lays the parameters out flat and checks its input") {
  auto net = curved_critic();
  CHECK(net.parameter_count() == (5 * 7 + 7) + (7 * 4 + 4) + (4 * 3 + 3) + (3 + 1));
  CHECK(net.parameters().size() == net.gradients().size());
  CHECK(net.output_shape(9) == core::features(9, 1));
  net::Tape<double> tape;
  Tensor<double> bad(core::features(2, 6));
  CHECK_THROWS_WITH_AS(net.forward(bad.view(), tape),
                       "network input: expected samples of shape 1x5, got 2x6", Error);
  CHECK(net.describe().find("3 Dense(7, 4) -> 1x4  (32 parameters)") == std::string::npos);
  CHECK(net.describe().find("2 Dense(7, 4) -> 1x4  (32 parameters)") != std::string::npos);
}

TEST_CASE("Sequential copies own their parameters") {
  auto a = curved_critic();
  auto b = a;
  b.parameters()[0] += 1.0;
  CHECK(a.parameters()[0] + 1.0 == b.parameters()[0]);
  net::Tape<double> ta, tb;
  Rng rng(1, Stream::user);
  Tensor<double> x = testing::random_tensor<double>(core::features(3, 5), rng);
  double ya = a.forward(x.view(), ta)[0], yb = b.forward(x.view(), tb)[0];
  CHECK(ya != yb);

  // A moved-from network is empty, can be copied, and takes a new value.
  auto c = std::move(b);
  CHECK(c.forward(x.view(), tb)[0] == yb);
  CHECK(b.parameters().empty());
  CHECK(b.gradients().empty());
  auto empty_copy = b;
  CHECK(empty_copy.gradients().empty());
  b = a;
  CHECK(b.forward(x.view(), tb)[0] == ya);
  CHECK(b.gradients().size() == a.gradients().size());
}

TEST_CASE("Sequential networks may keep their gradients in one array") {
  auto small = net::Sequential(core::features(1, 3), Dense<double>(3, 2));  // 8 parameters
  auto big = curved_critic();                                               // 97 parameters
  const double* big_before = big.gradients().data();
  auto array = big.gradient_array(small.parameter_count());  // large enough already: kept
  CHECK(array->data() == big_before);
  small.use_gradients_of(array);
  CHECK(small.gradients().data() == big.gradients().data());
  CHECK(small.gradients().size() == 8);
  CHECK(array.use_count() == 3);
  CHECK_THROWS_WITH_AS(big.gradient_array(1000),
                       "Sequential: a gradient array that other networks use cannot grow", Error);
  CHECK_THROWS_WITH_AS(
      small.use_gradients_of(std::make_shared<Tensor<double>>(core::features(7, 1))),
      "Sequential: a gradient array of 7 values for 8 parameters", Error);
  CHECK(small.gradients().data() == big.gradients().data());

  // Each writes its gradients through its layers into the shared array.
  Rng rng(6, Stream::user);
  Tensor<double> x = testing::random_tensor<double>(core::features(4, 3), rng);
  Tensor<double> r = testing::random_tensor<double>(core::features(4, 2), rng, 0.0);
  net::Tape<double> tape;
  check_backward(small, x, r, tape);
  CHECK(big.gradients()[0] == small.gradients()[0]);
  CHECK(big.gradients()[0] != 0.0);

  // A copy gets an array of its own, holding the same values; growing an unshared one
  // keeps its values and moves the layers to it.
  auto copy = small;
  CHECK(copy.gradients().data() != small.gradients().data());
  CHECK(std::ranges::equal(copy.gradients(), small.gradients()));
  const std::vector<double> before(copy.gradients().begin(), copy.gradients().end());
  CHECK(copy.gradient_array(100)->size() == 100);
  CHECK(std::ranges::equal(copy.gradients(), before));
  Tensor<double> x2 = testing::random_tensor<double>(core::features(4, 3), rng);
  check_backward(copy, x2, r, tape);
}

TEST_CASE("Sequential backward matches central differences") {
  auto net = curved_critic();
  Rng rng(2, Stream::user);
  Tensor<double> x = testing::random_tensor<double>(core::features(4, 5), rng);
  Tensor<double> r = testing::random_tensor<double>(core::features(4, 1), rng, 0.0);
  net::Tape<double> tape;
  check_backward(net, x, r, tape);

  // Grad::input alone leaves the parameter gradients alone.
  Tensor<double> dx(x.shape());
  net.zero_grad();
  net.forward(x.view(), tape);
  net.backward(tape, r.view(), dx.view(), net::Grad::input);
  for (double g : net.gradients()) CHECK(g == 0.0);
}

TEST_CASE("Sequential backward with Grad::overwrite sets the gradients without reading them") {
  // Dense writes its gradients itself; BatchNorm, between the two, has no write_grad and
  // is zeroed in place: its slice sits in the middle of the array.
  DenseNormNet net(core::features(1, 5), Dense<double>(5, 6), layer::BatchNorm<double>(6),
                   layer::LeakyReLU<double>(0.2), Dense<double>(6, 2));
  static_assert(net::OverwritesGradients<DenseNormNet>);
  Rng rng(9, Stream::user);
  Tensor<double> x1 = testing::random_tensor<double>(core::features(4, 5), rng);
  Tensor<double> x2 = testing::random_tensor<double>(core::features(4, 5), rng);
  Tensor<double> r1 = testing::random_tensor<double>(core::features(4, 2), rng, 0.0);
  Tensor<double> r2 = testing::random_tensor<double>(core::features(4, 2), rng, 0.0);
  net::Tape<double> t1, t2;
  net.forward(x1.view(), t1);
  net.forward(x2.view(), t2);
  net.zero_grad();
  net.backward(t1, r1.view(), {}, net::Grad::parameters);
  net.backward(t2, r2.view(), {}, net::Grad::parameters);
  const std::vector<double> want(net.gradients().begin(), net.gradients().end());
  std::ranges::fill(net.gradients(), std::numeric_limits<double>::quiet_NaN());
  net.backward(t1, r1.view(), {}, net::Grad::parameters | net::Grad::overwrite);
  net.backward(t2, r2.view(), {}, net::Grad::parameters);
  CHECK(std::ranges::equal(net.gradients(), want));

  // backward_first, as the model calls it: an overwrite here, zero_grad and an added pass
  // for a network type that does not declare overwrites_gradients.
  static_assert(!net::OverwritesGradients<PlainNet>);
  PlainNet plain(net);
  for (auto* n : {static_cast<DenseNormNet*>(&net), static_cast<DenseNormNet*>(&plain)}) {
    std::ranges::fill(n->gradients(), std::numeric_limits<double>::quiet_NaN());
  }
  net::backward_first(net, t1, r1.view());
  net.backward(t2, r2.view(), {}, net::Grad::parameters);
  CHECK(std::ranges::equal(net.gradients(), want));
  net::Tape<double> p1, p2;
  plain.forward(x1.view(), p1);
  plain.forward(x2.view(), p2);
  net::backward_first(plain, p1, r1.view());
  plain.backward(p2, r2.view(), {}, net::Grad::parameters);
  CHECK(std::ranges::equal(plain.gradients(), want));
}

TEST_CASE("Sequential keeps no copy of in-place, relabelled or passed-on values") {
  // BatchNorm: no penalty pass, so the output gradients are not kept either.
  auto net = net::Sequential(core::features(1, 5), Dense<double>(5, 12),
                             layer::BatchNorm<double>(12), layer::LeakyReLU<double>(0.2),
                             layer::Reshape<double>(core::images(1, 3, 2, 2)),
                             layer::Flatten<double>(), Dense<double>(12, 1));
  Rng rng(5, Stream::user);
  Tensor<double> x = testing::random_tensor<double>(core::features(6, 5), rng);
  Tensor<double> r = testing::random_tensor<double>(core::features(6, 1), rng, 0.0);
  net::Tape<double> tape;
  check_backward(net, x, r, tape);

  net.forward(x.view(), tape);
  for (std::size_t i : {2u, 3u, 4u}) CHECK(tape.outputs[i].size() == 0);
  for (const Tensor<double>& d : tape.deltas) CHECK(d.size() == 0);
  // The LeakyReLU wrote over BatchNorm's output; Reshape and Flatten see it under their shapes.
  CHECK(net.layer_output(tape, 1).data() == net.layer_output(tape, 2).data());
  CHECK(net.layer_output(tape, 3).shape() == core::images(6, 3, 2, 2));
  CHECK(net.layer_output(tape, 4).shape() == core::features(6, 12));
  CHECK(net.layer_output(tape, 4).data() == tape.outputs[1].data());
  // The same values as the layers run one by one into separate tensors.
  Tensor<double> h0(core::features(6, 12)), h1(h0.shape()), h2(h0.shape());
  net.layer<0>().forward(x.view(), h0.view());
  net.layer<1>().forward(h0.view(), h1.view());
  net.layer<2>().forward(h1.view(), h2.view());
  ConstView<double> y2 = net.layer_output(tape, 2);
  CHECK(std::equal(h2.span().begin(), h2.span().end(), y2.span().begin()));
}

TEST_CASE("Sequential penalty pass matches central differences of the penalty") {
  auto net = curved_critic();
  Rng rng(3, Stream::user);
  Tensor<double> x = testing::random_tensor<double>(core::features(3, 5), rng);
  Tensor<double> c(x.shape()), g(x.shape()), u(x.shape());
  for (Index k = 0; k < c.size(); ++k) c[k] = rng.uniform(0.5, 1.5);
  net::Tape<double> tape;
  penalty_of(net, tape, x, c, g);
  for (Index k = 0; k < g.size(); ++k) u[k] = 2 * c[k] * g[k];
  net.zero_grad();
  net.penalty_backward(tape, u.view());
  std::vector<double> analytic(net.gradients().begin(), net.gradients().end());
  net::Tape<double> scratch;
  Tensor<double> g2(x.shape());
  auto numeric = testing::numeric_gradient(net.parameters().data(), net.parameter_count(),
                                           [&] { return penalty_of(net, scratch, x, c, g2); });
  CHECK(testing::relative_error(analytic, numeric) < 1e-6);
}

TEST_CASE("Sequential penalty pass with a curved first layer and a linear chain") {
  auto net = net::Sequential(core::features(1, 4), layer::Tanh<double>(), Dense<double>(4, 6),
                             layer::ReLU<double>(), layer::Identity<double>(), Dense<double>(6, 2));
  Rng rng(4, Stream::user);
  Tensor<double> x = testing::random_tensor<double>(core::features(2, 4), rng);
  Tensor<double> c(x.shape(), 1.0), g(x.shape()), u(x.shape());
  net::Tape<double> tape;
  penalty_of(net, tape, x, c, g);
  for (Index k = 0; k < g.size(); ++k) u[k] = 2 * g[k];
  net.zero_grad();
  net.penalty_backward(tape, u.view());
  std::vector<double> analytic(net.gradients().begin(), net.gradients().end());
  net::Tape<double> scratch;
  Tensor<double> g2(x.shape());
  auto numeric = testing::numeric_gradient(net.parameters().data(), net.parameter_count(),
                                           [&] { return penalty_of(net, scratch, x, c, g2); });
  CHECK(testing::relative_error(analytic, numeric) < 1e-6);
}

TEST_CASE("DeepMlpDiscriminator: three hidden layers, one logit, exact gradients") {
  net::DeepMlpDiscriminator<double> d(3, 6);
  CHECK(d.parameter_count() == (3 * 6 + 6) + 2 * (6 * 6 + 6) + (6 + 1));
  CHECK(d.output_shape(4) == core::features(4, 1));
  Rng rng(5, Stream::user);
  d.initialize(rng);
  Tensor<double> x = testing::random_tensor<double>(core::features(4, 3), rng);
  Tensor<double> r = testing::random_tensor<double>(core::features(4, 1), rng, 0.0);
  net::Tape<double> tape;
  check_backward(d, x, r, tape);
}
