// One whole training step of WGAN-GP, DRAGAN and BEGAN against PyTorch 1.13
// (tests/golden/steps.txt, written by tests/golden/make_golden_steps.py).
//
// Each case runs GAN<...>::step with n_critic = 1 on the file's weights and real batch: G's
// noise and the penalty points come from the model's own random streams, which the script
// reproduces (the first check below holds it to that). Compared with PyTorch, in float
// (10⁻⁵) and in double (10⁻⁹): every figure of StepStats; the gradient of D's loss plus
// its penalty (torch.autograd.grad with create_graph=True) with respect to each parameter
// of D; the gradient of G's loss, through the updated D, with respect to each parameter of
// G; the parameters after one Adam step of each network; BEGAN's k_t and its generator's
// gradient with respect to the fakes.
#include "gan/model.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "gan/layer/conv2d.hpp"
#include "gan/layer/dense.hpp"
#include "gan/layer/layer_norm.hpp"
#include "gan/layer/reshape.hpp"
#include "gan/layer/tanh.hpp"
#include "gan/loss/boundary_equilibrium.hpp"
#include "gan/loss/non_saturating.hpp"
#include "gan/loss/wasserstein.hpp"
#include "gan/net/mlp.hpp"
#include "gan/net/sequential.hpp"
#include "gan/penalty/dragan.hpp"
#include "gan/penalty/gradient_penalty.hpp"
#include "gan/penalty/none.hpp"
#include "support/golden.hpp"

namespace golden = gan::testing::golden;
using namespace gan;

namespace {

// The networks of the cases (make_golden_steps.py builds the same in PyTorch).
template <class T>
using LinearGenerator = net::Sequential<layer::Dense<T>>;
template <class T>
using ImageGenerator = net::Sequential<layer::Dense<T>, layer::Tanh<T>, layer::Reshape<T>>;
/// Conv2d(k 3, stride 2, padding 1) → LayerNorm → Tanh → Dense(·, 1): the script's
/// conv_critic.
template <class T>
using ConvCritic =
    net::Sequential<layer::Conv2d<T>, layer::LayerNorm<T>, layer::Tanh<T>, layer::Dense<T>>;

const std::vector<golden::Case>& cases() {
  static const auto all = golden::load("steps.txt");
  return all;
}

const golden::Case& named(std::string_view name) {
  for (const auto& c : cases())
    if (c.name == name) return c;
  core::fail("steps.txt has no case ", name);
}

std::uint64_t seed_of(const golden::Case& c) {
  return static_cast<std::uint64_t>(c.index("seed"));
}

/// The first dimension of a parameter's shape ("d.0.weight" 6x5 → 6).
Index rows_of(const golden::Case& c, std::string_view parameter) {
  return c.record(parameter).shape.front();
}

template <class T>
LinearGenerator<T> linear_generator(const golden::Case& c) {
  const Index noise = c.index("noise");
  return LinearGenerator<T>(core::features(1, noise),
                            layer::Dense<T>(noise, c.shape("real").features()));
}

template <class T>
ImageGenerator<T> image_generator(const golden::Case& c) {
  const Index noise = c.index("noise");
  const Shape image = c.shape("real");
  return ImageGenerator<T>(core::features(1, noise), layer::Dense<T>(noise, image.features()),
                           layer::Tanh<T>(), layer::Reshape<T>(image));
}

template <class T>
ConvCritic<T> conv_critic(const golden::Case& c) {
  const Shape image = c.shape("real").with_batch(1);
  layer::Conv2d<T> conv(image.c, rows_of(c, "d.0.weight"), 3, 2, 1);
  const Index features = conv.output_shape(image).features();
  return ConvCritic<T>(image, conv, layer::LayerNorm<T>(features), layer::Tanh<T>(),
                       layer::Dense<T>(features, 1));
}

/// The weight records of network `net` ("d" or "g") in file order, which is the order of
/// the network's parameters(): layer by layer, W then b, as PyTorch stores them.
std::vector<const golden::Record*> parameter_records(const golden::Case& c, std::string_view net) {
  std::vector<const golden::Record*> out;
  for (const auto& r : c.records)
    if (r.kind == golden::Record::Kind::grid && r.name.starts_with(std::string(net) + "."))
      out.push_back(&r);
  REQUIRE(!out.empty());
  return out;
}

template <class T>
void load_parameters(const golden::Case& c, std::string_view net, std::span<T> dst) {
  std::size_t at = 0;
  for (const golden::Record* r : parameter_records(c, net)) {
    CAPTURE(r->name);
    REQUIRE(at + r->values.size() <= dst.size());
    std::copy(r->values.begin(), r->values.end(), dst.begin() + static_cast<std::ptrdiff_t>(at));
    at += r->values.size();
  }
  REQUIRE(at == dst.size());
}

/// The model's streams replayed: the noise of the critic update and of the generator
/// update (one row a sample), and the penalty's uniforms (GradientPenalty: ε a sample;
/// Dragan: α, then the sample's U values). The script's Philox must give the same numbers
/// as gan::Rng, or nothing else in the case can match.
void check_streams(const golden::Case& c) {
  constexpr double tol = golden::tolerance<double>();
  Rng noise(seed_of(c), Stream::noise);
  std::vector<double> z(static_cast<std::size_t>(c.record("noise").size()));
  noise.fill_normal(std::span<double>(z));
  golden::check(c, "noise", std::span<const double>(z), tol);
  if (!c.has("penalty_uniforms")) return;
  Rng penalty(seed_of(c), Stream::penalty);
  std::vector<double> u(static_cast<std::size_t>(c.record("penalty_uniforms").size()));
  for (double& v : u) v = penalty.uniform();
  golden::check(c, "penalty_uniforms", std::span<const double>(u), tol);
}

/// max |got − expected| / scale.
template <class T>
void compare(std::string_view what, std::span<const T> got, const std::vector<double>& expected,
             double scale, double tol) {
  REQUIRE(got.size() == expected.size());
  double diff = 0;
  for (std::size_t k = 0; k < got.size(); ++k)
    diff = std::max(diff, std::abs(static_cast<double>(got[k]) - expected[k]));
  const double error = diff / scale;
  CAPTURE(what);
  CAPTURE(error);
  CHECK(error < tol);
}

double largest(const std::vector<double>& v, double floor) {
  for (double x : v) floor = std::max(floor, std::abs(x));
  return floor;
}

/// Each parameter's gradient ("<name>.grad") and its change in the Adam step
/// ("<name>.change"), relative to the largest value of the network's whole gradient or
/// change: a parameter whose gradient is 0 (a critic's output bias under the Wasserstein
/// loss) is held to the rounding of the others. In double the change itself is compared;
/// in float the parameters after the step, relative to their size (the 10⁻⁵): a
/// change of 10⁻⁴ on weights near 1 keeps only three float digits.
template <class T>
void check_network(const golden::Case& c, std::string_view net, const std::vector<T>& before,
                   std::span<const T> after, std::span<const T> grads) {
  constexpr double tol = golden::tolerance<T>();
  REQUIRE(before.size() == after.size());
  REQUIRE(grads.size() == after.size());
  const auto records = parameter_records(c, net);
  double grad_scale = 0, change_scale = 0, weight_scale = 0;
  for (const golden::Record* r : records) {
    grad_scale = largest(c.values<double>(r->name + ".grad"), grad_scale);
    change_scale = largest(c.values<double>(r->name + ".change"), change_scale);
    weight_scale = largest(r->values, weight_scale);
  }
  REQUIRE(grad_scale > 0);
  REQUIRE(change_scale > 0);
  std::size_t at = 0;
  for (const golden::Record* r : records) {
    const std::size_t count = r->values.size();
    compare(r->name + ".grad", grads.subspan(at, count), c.values<double>(r->name + ".grad"),
            grad_scale, tol);
    const auto expected_change = c.values<double>(r->name + ".change");
    REQUIRE(expected_change.size() == count);
    std::vector<double> change(count), expected_after(count);
    for (std::size_t k = 0; k < count; ++k) {
      change[k] = static_cast<double>(after[at + k]) - static_cast<double>(before[at + k]);
      expected_after[k] = static_cast<double>(before[at + k]) + expected_change[k];
    }
    if constexpr (std::is_same_v<T, double>) {
      compare(r->name + ".change", std::span<const double>(change), expected_change, change_scale,
              tol);
    } else {
      compare(r->name + " after the step", after.subspan(at, count), expected_after, weight_scale,
              tol);
    }
    at += count;
  }
  CHECK(at == grads.size());
}

void check_value(const golden::Case& c, std::string_view name, double got, double tol) {
  golden::check(c, name, std::span<const double>(&got, 1), tol);
}

void check_optional(const golden::Case& c, std::string_view name, std::optional<double> got,
                    double tol) {
  CAPTURE(name);
  REQUIRE(got.has_value() == c.has(name));
  if (got) check_value(c, name, *got, tol);
}

/// The papers' options with the case's numbers: one critic update, the case's seed, and
/// the same Adam for both networks.
template <class Model>
typename Model::Options options(const golden::Case& c) {
  auto o = Model::default_options();
  o.n_critic = 1;
  o.seed = seed_of(c);
  o.d_optimizer = {.lr = c.param("lr"),
                   .beta1 = c.param("beta1"),
                   .beta2 = c.param("beta2"),
                   .eps = c.param("adam_eps")};
  o.g_optimizer = o.d_optimizer;
  o.share_gradients = false;  // D's gradients are compared after the step
  return o;
}

/// Builds the model on the case's weights, runs one step on its real batch, and checks
/// everything the case holds. `before_step(model)` runs between loading and stepping,
/// `after_step(model, stats)` at the end.
template <class Model, class Before, class After>
void check_step(const golden::Case& c, typename Model::Generator g, typename Model::Discriminator d,
                const typename Model::Options& o, Before&& before_step, After&& after_step) {
  using T = typename Model::Scalar;
  constexpr double tol = golden::tolerance<T>();
  CAPTURE(c.name);
  CAPTURE(sizeof(T));
  check_streams(c);
  load_parameters(c, "g", g.parameters());
  load_parameters(c, "d", d.parameters());
  const std::vector<T> g0(g.parameters().begin(), g.parameters().end());
  const std::vector<T> d0(d.parameters().begin(), d.parameters().end());
  Model m(std::move(g), std::move(d), o);
  before_step(m);
  const Tensor<T> real = c.tensor<T>("real");
  const StepStats s = m.step(real.view());

  // The generator update asks D for its input gradient only, so D's gradients are still
  // those of the critic update.
  auto& dn = m.discriminator();
  auto& gn = m.generator();
  check_network<T>(c, "d", d0, dn.parameters(), dn.gradients());
  check_network<T>(c, "g", g0, gn.parameters(), gn.gradients());
  check_value(c, "d_loss", s.d_loss, tol);
  check_value(c, "penalty", s.penalty, tol);
  check_value(c, "d_real", s.d_real, tol);
  check_value(c, "d_fake", s.d_fake, tol);
  check_value(c, "d_grad_norm", s.d_grad_norm, tol);
  check_value(c, "g_loss", s.g_loss, tol);
  check_value(c, "g_grad_norm", s.g_grad_norm, tol);
  check_optional(c, "wasserstein", s.wasserstein, tol);
  check_optional(c, "k", s.k, tol);
  check_optional(c, "m_global", s.m_global, tol);
  after_step(m, s);
}

template <class Model>
void check_step(const golden::Case& c, typename Model::Generator g, typename Model::Discriminator d,
                const typename Model::Options& o) {
  check_step<Model>(
      c, std::move(g), std::move(d), o, [](Model&) {}, [](Model&, const StepStats&) {});
}

template <class T>
void wgan_gp_mlp() {
  using Model = GAN<LinearGenerator<T>, net::MlpDiscriminator<T>, loss::Wasserstein,
                    penalty::GradientPenalty>;
  const golden::Case& c = named("wgan_gp/mlp");
  auto o = options<Model>(c);
  o.penalty.lambda = c.param("lambda");
  check_step<Model>(c, linear_generator<T>(c),
                    net::MlpDiscriminator<T>(c.shape("real").features(), rows_of(c, "d.0.weight")),
                    o);
}

template <class T>
void wgan_gp_conv() {
  using Model = GAN<ImageGenerator<T>, ConvCritic<T>, loss::Wasserstein, penalty::GradientPenalty>;
  const golden::Case& c = named("wgan_gp/conv");
  auto o = options<Model>(c);
  o.penalty.lambda = c.param("lambda");
  check_step<Model>(c, image_generator<T>(c), conv_critic<T>(c), o);
}

template <class Model>
typename Model::Options dragan_options(const golden::Case& c) {
  auto o = options<Model>(c);
  o.penalty.lambda = c.param("lambda");
  o.penalty.spread = c.param("spread");
  o.loss.smoothing = c.param("smoothing");
  return o;
}

template <class T>
void dragan_mlp() {
  using Model =
      GAN<LinearGenerator<T>, net::MlpDiscriminator<T>, loss::NonSaturating, penalty::Dragan>;
  const golden::Case& c = named("dragan/mlp_smoothed");
  check_step<Model>(c, linear_generator<T>(c),
                    net::MlpDiscriminator<T>(c.shape("real").features(), rows_of(c, "d.0.weight")),
                    dragan_options<Model>(c));
}

template <class T>
void dragan_conv() {
  using Model = GAN<ImageGenerator<T>, ConvCritic<T>, loss::NonSaturating, penalty::Dragan>;
  const golden::Case& c = named("dragan/conv");
  check_step<Model>(c, image_generator<T>(c), conv_critic<T>(c), dragan_options<Model>(c));
}

/// The generator update's gradient with respect to the fakes, through D and directly
/// (|v − D(v)| reads v): the calls of GAN::train_generator, made here on the stepped D
/// with G as it was before its step, since the model keeps that gradient to itself. G's
/// gradient, compared in check_step, is the same gradient taken through the model.
template <class Model>
void check_fake_gradient(const golden::Case& c, Model& m, const typename Model::Generator& g0) {
  using T = typename Model::Scalar;
  const Index n = c.index("n");
  Rng rng(seed_of(c), Stream::noise);
  Tensor<T> z(core::features(2 * n, c.index("noise")));  // the critic's noise, then G's
  rng.fill_normal(z.span());
  typename Model::Generator g = g0;
  net::Tape<T> g_tape, d_tape;
  ConstView<T> fake = g.forward(ConstView<T>(z.view().rows(n, n)), g_tape);
  auto& d = m.discriminator();
  ConstView<T> out = d.forward(fake, d_tape);
  Tensor<T> d_out(out.shape()), direct(fake.shape()), grad(fake.shape());
  typename Model::LossPolicy objective(m.options().loss);
  objective.generator(loss::Batch<T>{fake, out}, d_out.view(), direct.view());
  d.backward(d_tape, d_out.view(), grad.view(), net::Grad::input);
  grad.array() += direct.array();
  golden::check(c, "fake_grad", grad, golden::tolerance<T>());
}

template <class T>
void began_mlp() {
  using Model = GAN<LinearGenerator<T>, net::MlpAutoencoder<T>, loss::BoundaryEquilibrium>;
  const golden::Case& c = named("began/mlp");
  auto o = options<Model>(c);
  o.loss.gamma = c.param("gamma");
  o.loss.lambda_k = c.param("lambda_k");
  o.loss.k0 = c.param("k0");
  std::optional<LinearGenerator<T>> g0;
  check_step<Model>(
      c, linear_generator<T>(c),
      net::MlpAutoencoder<T>(c.shape("real").features(), rows_of(c, "d.0.weight"),
                             rows_of(c, "d.2.weight")),
      o, [&](Model& m) { g0.emplace(m.generator()); },
      [&](Model& m, const StepStats&) {
        check_value(c, "k", m.loss().k(), golden::tolerance<T>());
        check_fake_gradient(c, m, *g0);
      });
}

}  // namespace

TEST_CASE("the script's Philox streams are gan::Rng's") {
  for (const auto& c : cases()) {
    CAPTURE(c.name);
    check_streams(c);
  }
}

TEST_CASE("a WGAN-GP step with an MLP critic matches PyTorch's double backpropagation") {
  wgan_gp_mlp<double>();
  wgan_gp_mlp<float>();
}

TEST_CASE("a WGAN-GP step with a Conv2d-LayerNorm-Tanh critic matches PyTorch") {
  wgan_gp_conv<double>();
  wgan_gp_conv<float>();
}

TEST_CASE("a DRAGAN step with label smoothing 0.1 and an MLP critic matches PyTorch") {
  dragan_mlp<double>();
  dragan_mlp<float>();
}

TEST_CASE("a DRAGAN step without smoothing and a Conv2d-LayerNorm-Tanh critic matches PyTorch") {
  dragan_conv<double>();
  dragan_conv<float>();
}

TEST_CASE("a BEGAN step (k0 = 0.3) matches PyTorch, k_t and both generator paths included") {
  began_mlp<double>();
  began_mlp<float>();
}
