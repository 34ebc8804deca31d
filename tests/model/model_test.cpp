// GAN<...>: the papers' defaults, the step's bookkeeping, determinism, divergence, EMA,
// no allocation after the first step, and unnamed policy combinations.
#include "gan/model.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "gan/loss/hinge.hpp"
#include "gan/penalty/r1.hpp"
#include "gan/variants.hpp"

using namespace gan;

namespace {
using G = net::MlpGenerator<float, layer::Identity>;
using D = net::MlpDiscriminator<float>;
using Ns = NSGAN<G, D>;

G small_g(Index out = 2, Index noise = 4) {
  return G(noise, 16, out);
}
D small_d(Index in = 2) {
  return D(in, 16);
}

Tensor<float> toy_batch(Rng& rng, Index n = 32, Index f = 2) {
  Tensor<float> x(core::features(n, f));
  rng.fill_normal(x.span(), 1.0, 0.5);
  return x;
}

std::vector<float> params(std::span<float> p) {
  return {p.begin(), p.end()};
}
}  // namespace

TEST_CASE("each alias carries its paper's defaults") {
  auto ns = NSGAN<G, D>::default_options();
  CHECK(ns.g_optimizer.lr == 2e-4);
  CHECK(ns.d_optimizer.beta1 == 0.5);
  CHECK(ns.loss.smoothing == 0.1);
  CHECK(ns.n_critic == 1);
  auto w = WGAN<G, D>::default_options();
  CHECK(w.d_optimizer.lr == 5e-5);
  CHECK(w.g_optimizer.lr == 5e-5);
  CHECK(w.n_critic == 5);
  CHECK(w.penalty.clip == 0.01);
  static_assert(std::is_same_v<WGAN<G, D>::OptimizerType, optim::RmsProp<float>>);
  auto gp = WGAN_GP<G, D>::default_options();
  CHECK(gp.d_optimizer.lr == 1e-4);
  CHECK(gp.d_optimizer.beta1 == 0.0);
  CHECK(gp.d_optimizer.beta2 == 0.9);
  CHECK(gp.n_critic == 5);
  CHECK(gp.penalty.lambda == 10.0);
  auto ls = LSGAN<G, D>::default_options();
  CHECK(ls.loss.a == 0.0);
  CHECK(ls.loss.b == 1.0);
  CHECK(ls.loss.c == 1.0);
  auto be = BEGAN<G>::default_options();
  CHECK(be.loss.gamma == 0.75);
  CHECK(be.loss.lambda_k == 0.001);
  CHECK(be.g_optimizer.lr == 1e-4);
  auto dr = DRAGAN<G, D>::default_options();
  CHECK(dr.penalty.lambda == 10.0);
  CHECK(dr.penalty.spread == 0.5);
}

TEST_CASE("a step runs n_critic discriminator updates and one generator update") {
  auto o = WGAN_GP<G, D>::default_options();
  o.n_critic = 3;
  WGAN_GP<G, D> m(small_g(), small_d(), o);
  Rng rng(1, Stream::data);
  Tensor<float> x = toy_batch(rng);
  int calls = 0;
  StepStats s = m.step_from([&] {
    ++calls;
    return LabeledBatch<float>{x.view(), {}};
  });
  CHECK(calls == 3);
  CHECK(s.step == 1);
  CHECK(m.discriminator_optimizer().step_count() == 3);
  CHECK(m.generator_optimizer().step_count() == 1);
  CHECK(s.penalty > 0);
  CHECK(s.d_loss == doctest::Approx(-*s.wasserstein + s.penalty));
  CHECK(s.d_grad_norm > 0);
  CHECK(s.g_grad_norm > 0);
  m.step(x.view());
  CHECK(m.steps() == 2);
}

TEST_CASE("G and D keep their gradients in one array, as if each had its own") {
  using Gp = WGAN_GP<G, D>;
  auto o = Gp::default_options();
  o.n_critic = 2;
  Gp shared(small_g(2, 40), small_d(), o);  // G has more parameters than D
  CHECK(shared.generator().gradients().data() == shared.discriminator().gradients().data());
  Gp separate = shared;  // a copy's networks own their arrays
  CHECK(separate.generator().gradients().data() != separate.discriminator().gradients().data());
  o.share_gradients = false;
  Gp own(small_g(2, 40), small_d(), o);
  CHECK(own.generator().gradients().data() != own.discriminator().gradients().data());
  Gp moved = std::move(shared);
  CHECK(moved.generator().gradients().data() == moved.discriminator().gradients().data());
  Rng rng(2, Stream::data);
  for (int i = 0; i < 5; ++i) {
    Tensor<float> x = toy_batch(rng);
    moved.step(x.view());
    separate.step(x.view());
  }
  CHECK(params(moved.generator().parameters()) == params(separate.generator().parameters()));
  CHECK(params(moved.discriminator().parameters()) ==
        params(separate.discriminator().parameters()));
  CHECK(params(moved.generator().gradients()) == params(separate.generator().gradients()));
}

TEST_CASE("the same seed gives bit-identical weights") {
  auto run = [](std::uint64_t seed) {
    auto o = DRAGAN<G, D>::default_options();
    o.seed = seed;
    DRAGAN<G, D> m(small_g(), small_d(), o);
    Rng rng(3, Stream::data);
    for (int i = 0; i < 20; ++i) {
      Tensor<float> x = toy_batch(rng);
      m.step(x.view());
    }
    return params(m.generator().parameters());
  };
  CHECK(run(5) == run(5));
  CHECK(run(5) != run(6));
}

TEST_CASE("a non-finite loss stops training before the weights change") {
  auto o = NSGAN<G, D>::default_options();
  o.d_optimizer.lr = 1e30;
  o.g_optimizer.lr = 1e30;
  NSGAN<G, D> m(small_g(), small_d(), o);
  Rng rng(4, Stream::data);
  Tensor<float> x = toy_batch(rng);
  std::vector<float> last_d;
  bool thrown = false;
  for (int i = 0; i < 50 && !thrown; ++i) {
    last_d = params(m.discriminator().parameters());
    try {
      m.step(x.view());
    } catch (const Divergence& e) {
      thrown = true;
      CHECK(std::string(e.what()).find("loss is") != std::string::npos);
    }
  }
  REQUIRE(thrown);
  if (m.discriminator_optimizer().step_count() == m.steps()) {
    CHECK(params(m.discriminator().parameters()) == last_d);
  }
}

TEST_CASE("EMA of the generator's weights") {
  auto o = NSGAN<G, D>::default_options();
  o.ema_decay = 0.9;
  NSGAN<G, D> m(small_g(), small_d(), o);
  REQUIRE(m.ema_generator() != nullptr);
  CHECK(m.ema_generator()->gradients().data() == m.generator().gradients().data());
  std::vector<float> before = params(m.generator().parameters());
  Rng rng(5, Stream::data);
  Tensor<float> x = toy_batch(rng);
  m.step(x.view());
  std::vector<float> after = params(m.generator().parameters());
  std::vector<float> ema = params(m.ema_generator()->parameters());
  for (std::size_t i = 0; i < ema.size(); ++i)
    CHECK(ema[i] == doctest::Approx(0.9f * before[i] + 0.1f * after[i]).epsilon(1e-5));
  CHECK(m.sample(4).shape() == core::features(4, 2));
  NSGAN<G, D> plain(small_g(), small_d());
  CHECK(plain.ema_generator() == nullptr);
  o.ema_decay = 1.0;
  CHECK_THROWS_WITH_AS(Ns(small_g(), small_d(), o), "GAN: ema_decay must be in [0, 1), got 1",
                       Error);
}

TEST_CASE("a training step allocates nothing after the first") {
  auto o = WGAN_GP<G, D>::default_options();
  o.ema_decay = 0.99;
  WGAN_GP<G, D> m(small_g(), small_d(), o);
  Rng rng(6, Stream::data);
  Tensor<float> x = toy_batch(rng);
  m.step(x.view());
  long long before = core::allocation_count();
  for (int i = 0; i < 5; ++i) m.step(x.view());
  CHECK(core::allocation_count() == before);
}

TEST_CASE("the model checks the data against the generator") {
  NSGAN<G, D> m(small_g(), small_d());
  Tensor<float> wrong(core::features(8, 3));
  CHECK_THROWS_WITH_AS(m.step(wrong.view()),
                       "GAN: real samples of shape 1x3, the generator makes 1x2", Error);
  CHECK_THROWS_WITH_AS(Ns(small_g(3), small_d(2)),
                       "GAN: networks do not fit the condition: G takes 1x4 and gives 1x3, D "
                       "takes 1x2; with 0 classes D must take 1x3",
                       Error);
}

TEST_CASE("unnamed combinations compile and step") {
  // least squares + gradient penalty + one-hot labels
  using LsGpOneHot = GAN<G, D, loss::LeastSquares, penalty::GradientPenalty, condition::OneHot<3>>;
  LsGpOneHot a(G(4 + 3, 16, 2), D(2 + 3, 16));
  Rng rng(7, Stream::data);
  Tensor<float> x = toy_batch(rng, 16);
  std::vector<std::int32_t> labels(16);
  for (int i = 0; i < 16; ++i) labels[i] = i % 3;
  StepStats s = a.step(x.view(), labels);
  CHECK(s.penalty > 0);
  CHECK(a.options().n_critic == 5);  // the penalty's recipe
  std::vector<std::int32_t> want = {2, 0, 1};
  CHECK(a.sample(want).shape() == core::features(3, 2));
  std::vector<std::int32_t> bad = {3};
  CHECK_THROWS_WITH_AS(a.sample(bad), "OneHot: label 3 is outside [0, 3)", Error);
  // a class count known only at run time
  using Dynamic = condition::OneHot<condition::dynamic_classes>;
  GAN<G, D, loss::NonSaturating, penalty::None, Dynamic> dyn(
      G(4 + 5, 16, 2), D(2 + 5, 16),
      GAN<G, D, loss::NonSaturating, penalty::None, Dynamic>::default_options(), Dynamic(5));
  CHECK(dyn.condition().classes() == 5);
  std::vector<std::int32_t> five(16, 4);
  CHECK(std::isfinite(dyn.step(x.view(), five).d_loss));
  CHECK_THROWS_WITH_AS(Dynamic(1), "OneHot: at least two classes are needed, got 1", Error);
  // hinge + R1, and Wasserstein + DRAGAN's penalty with SGD
  GAN<G, D, loss::Hinge, penalty::R1> b(small_g(), small_d());
  CHECK(std::isfinite(b.step(x.view()).d_loss));
  GAN<G, D, loss::Wasserstein, penalty::Dragan, condition::None, optim::Sgd> c(small_g(),
                                                                               small_d());
  CHECK(std::isfinite(c.step(x.view()).d_loss));
}
