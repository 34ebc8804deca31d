// Packed (PacGAN): the reshaping into packs and back, its errors, and a packed model's
// generator gradient against central differences of its loss, in double precision.
#include "gan/condition/packed.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "gan/layer/identity.hpp"
#include "gan/loss/non_saturating.hpp"
#include "gan/model.hpp"
#include "gan/net/mlp.hpp"
#include "gan/penalty/gradient_penalty.hpp"
#include "support/gradcheck.hpp"

using namespace gan;

TEST_CASE("Packed stacks m samples into one of D's inputs, in place") {
  condition::Packed<3> c;
  CHECK(c.pack() == 3);
  CHECK(c.generator_input_features(5) == 5);
  CHECK(c.discriminator_input_shape(core::features(6, 2)) == core::features(2, 6));
  CHECK(c.discriminator_data_features(core::features(6, 2)) == 6);
  Tensor<float> x(core::features(6, 2));
  for (Index k = 0; k < x.size(); ++k) x[k] = static_cast<float>(k);
  condition::Scratch<float> s;
  ConstView<float> packed = c.discriminator_input<float>(x.view(), {}, s);
  CHECK(packed.shape() == core::features(2, 6));
  CHECK(packed.data() == x.data());
  CHECK(packed(1, 0) == 6.0f);  // the second pack starts with the fourth sample
  CHECK(packed(1, 5) == 11.0f);
  ConstView<float> back = c.data_gradient<float>(packed, s);
  CHECK(back.shape() == core::features(6, 2));
  CHECK(back.data() == x.data());

  // Images: the m images of a pack become m·c channels.
  condition::Packed<condition::dynamic_pack> two(2);
  CHECK(two.discriminator_input_shape(core::images(4, 1, 28, 28)) == core::images(2, 2, 28, 28));
  CHECK(two.fits(core::features(1, 8), core::images(1, 1, 28, 28), core::images(1, 2, 28, 28)));
  CHECK(!two.fits(core::features(1, 8), core::images(1, 1, 28, 28), core::images(1, 1, 28, 28)));
  CHECK(condition::Packed<4>::may_fit(core::features(1, 8), core::features(1, 2),
                                      core::features(1, 8)));
  CHECK(!condition::Packed<4>::may_fit(core::features(1, 8), core::features(1, 2),
                                       core::features(1, 2)));
}

TEST_CASE("Packed: a batch that does not split into packs, and a pack size below 1") {
  condition::Packed<4> c;
  Tensor<float> x(core::features(6, 2));
  condition::Scratch<float> s;
  CHECK_THROWS_WITH(c.discriminator_input<float>(x.view(), {}, s),
                    "Packed: a batch of 6 samples does not split into packs of 4");
  CHECK_THROWS_WITH(condition::Packed<condition::dynamic_pack>(0),
                    "Packed: the pack size must be >= 1, got 0");
}

namespace {
using Gd = net::MlpGenerator<double, layer::Identity>;
using Dd = net::MlpDiscriminator<double>;

double softplus(double v) { return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); }
}  // namespace

TEST_CASE("A packed model's generator gradient matches central differences of its loss") {
  // G z(3) → 5 → 5 → 2 and D (3·2) → 4 → 4 → 1: D judges packs of three 2D samples. The
  // learning rates are so small that the step leaves every weight as it was, so the
  // gradient the step computed can be checked afterwards on the same weights and noise.
  using Model = GAN<Gd, Dd, loss::NonSaturating, penalty::None, condition::Packed<3>>;
  Gd g(3, 5, 2);
  Dd d(6, 4);
  Rng init(3, Stream::init);
  g.initialize(init);
  d.initialize(init);
  auto o = Model::default_options();
  o.g_optimizer.lr = o.d_optimizer.lr = 1e-300;
  Model m(std::move(g), std::move(d), o);
  Rng noise = m.noise_rng();  // the model's noise, replayed below
  Rng data(4, Stream::data);
  Tensor<double> real(core::features(6, 2));
  data.fill_normal(real.span());
  const StepStats stats = m.step(real.view());
  const std::vector<double> grad(m.generator().gradients().begin(),
                                 m.generator().gradients().end());

  // The noise of the critic update, then of the generator update: six samples each.
  Tensor<double> z(core::features(6, 3));
  for (int update = 0; update < 2; ++update)
    for (Index i = 0; i < 6; ++i) noise.fill_normal(std::span<double>(z.view().sample(i), 3));
  net::Tape<double> g_tape, d_tape;
  auto loss = [&] {  // mean over the two packs of softplus(−D(pack))
    ConstView<double> x = m.generator().forward(z.view(), g_tape);
    ConstView<double> out = m.discriminator().forward({x.data(), core::features(2, 6)}, d_tape);
    return (softplus(-out(0, 0)) + softplus(-out(1, 0))) / 2;
  };
  CHECK(loss() == doctest::Approx(stats.g_loss).epsilon(1e-12));

  auto theta = m.generator().parameters();
  std::vector<double> numeric(theta.size());
  const double h = 1e-6;
  for (std::size_t k = 0; k < theta.size(); ++k) {
    const double keep = theta[k];
    theta[k] = keep + h;
    const double up = loss();
    theta[k] = keep - h;
    const double down = loss();
    theta[k] = keep;
    numeric[k] = (up - down) / (2 * h);
  }
  double largest = 0;
  for (double v : grad) largest = std::max(largest, std::abs(v));
  INFO("relative error ", testing::relative_error(grad, numeric), ", largest |dL/dθ| ", largest);
  CHECK(largest > 1e-3);  // a gradient that is there
  CHECK(testing::relative_error(grad, numeric) < 1e-6);
}

TEST_CASE("Packs of one train bit for bit as no condition, gradient penalty included") {
  using Plain = GAN<Gd, Dd, loss::NonSaturating, penalty::GradientPenalty>;
  using Ones = GAN<Gd, Dd, loss::NonSaturating, penalty::GradientPenalty,
                   condition::Packed<condition::dynamic_pack>>;
  Gd g(3, 5, 2);
  Dd d(2, 4);
  Rng init(5, Stream::init);
  g.initialize(init);
  d.initialize(init);
  Plain plain(g, d, Plain::default_options());
  Ones ones(g, d, Ones::default_options(), condition::Packed<condition::dynamic_pack>(1));
  Rng data(6, Stream::data);
  Tensor<double> real(core::features(8, 2));
  for (int step = 0; step < 3; ++step) {
    data.fill_normal(real.span());
    const StepStats a = plain.step(real.view()), b = ones.step(real.view());
    CHECK(a.penalty == b.penalty);
    CHECK(a.g_loss == b.g_loss);
  }
  auto pa = plain.generator().parameters(), pb = ones.generator().parameters();
  CHECK(std::equal(pa.begin(), pa.end(), pb.begin()));
  auto qa = plain.discriminator().parameters(), qb = ones.discriminator().parameters();
  CHECK(std::equal(qa.begin(), qa.end(), qb.begin()));
}
