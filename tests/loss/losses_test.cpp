// Minimax, NonSaturating, LeastSquares, Wasserstein and Hinge: values against closed
// forms, gradients against central differences, stability at extreme logits.
#include <doctest/doctest.h>

#include <cmath>

#include "gan/loss/hinge.hpp"
#include "gan/loss/least_squares.hpp"
#include "gan/loss/minimax.hpp"
#include "gan/loss/non_saturating.hpp"
#include "gan/loss/wasserstein.hpp"
#include "support/losscheck.hpp"

using namespace gan;
using testing::column;

namespace {
double sig(double x) {
  return 1 / (1 + std::exp(-x));
}

template <class L>
loss::DiscriminatorLoss d_loss(L l, const Tensor<double>& r, const Tensor<double>& f) {
  Tensor<double> a(r.shape()), b(f.shape());
  return l.discriminator(loss::Batch<double>{r.view(), r.view()},
                         loss::Batch<double>{f.view(), f.view()}, a.view(), b.view());
}
template <class L>
double g_loss(L l, const Tensor<double>& f) {
  Tensor<double> a(f.shape()), b(f.shape());
  return l.generator(loss::Batch<double>{f.view(), f.view()}, a.view(), b.view());
}
template <class L>
void check_all_gradients(const L& l) {
  Tensor<double> r = column({0.3, -1.2, 2.5, 0.01}), f = column({-0.7, 1.9, -3.0, 0.4, 0.2});
  testing::check_loss_gradients(l, r, r, f, f);
}
}  // namespace

TEST_CASE("Minimax: Goodfellow et al. eq. 1 on logits, saturating G loss") {
  Tensor<double> r = column({0.5, -1.0}), f = column({2.0});
  auto d = d_loss(loss::Minimax{}, r, f);
  double expect = -(std::log(sig(0.5)) + std::log(sig(-1.0))) / 2 - std::log(1 - sig(2.0));
  CHECK(d.value == doctest::Approx(expect).epsilon(1e-12));
  CHECK(d.real == doctest::Approx((sig(0.5) + sig(-1.0)) / 2));
  CHECK(g_loss(loss::Minimax{}, f) == doctest::Approx(std::log(1 - sig(2.0))).epsilon(1e-12));
  check_all_gradients(loss::Minimax{});
}

TEST_CASE("NonSaturating: smoothed real targets, G maximizes log D(G(z))") {
  Tensor<double> r = column({0.5}), f = column({-2.0});
  loss::NonSaturating ns({.smoothing = 0.1});
  auto d = d_loss(ns, r, f);
  double expect =
      -(0.9 * std::log(sig(0.5)) + 0.1 * std::log(1 - sig(0.5))) - std::log(1 - sig(-2.0));
  CHECK(d.value == doctest::Approx(expect).epsilon(1e-12));
  CHECK(g_loss(ns, f) == doctest::Approx(-std::log(sig(-2.0))).epsilon(1e-12));
  CHECK(loss::NonSaturating{}.options().smoothing == 0.1);
  check_all_gradients(ns);
  check_all_gradients(loss::NonSaturating({.smoothing = 0.0}));
  CHECK_THROWS_WITH_AS(loss::NonSaturating({.smoothing = 1.0}),
                       "NonSaturating: smoothing must be in [0, 1), got 1", Error);
}

TEST_CASE("sigmoid losses stay finite at extreme logits") {
  Tensor<double> r = column({800.0, -800.0}), f = column({-800.0, 800.0});
  for (double v : {d_loss(loss::NonSaturating{}, r, f).value, d_loss(loss::Minimax{}, r, f).value,
                   g_loss(loss::NonSaturating{}, f), g_loss(loss::Minimax{}, f)})
    CHECK(std::isfinite(v));
  CHECK(g_loss(loss::NonSaturating{}, column({-800.0})) == doctest::Approx(800.0));
}

TEST_CASE("LeastSquares: LSGAN eq. 2 with targets a, b, c") {
  Tensor<double> r = column({0.5, 2.0}), f = column({-1.0});
  loss::LeastSquares ls({.a = -1, .b = 1, .c = 0});
  auto d = d_loss(ls, r, f);
  CHECK(d.value == doctest::Approx(0.5 * ((0.25 + 1.0) / 2) + 0.0));
  CHECK(g_loss(ls, f) == doctest::Approx(0.5));
  auto def = d_loss(loss::LeastSquares{}, r, f);
  CHECK(def.value == doctest::Approx(0.5 * (0.25 + 1.0) / 2 + 0.5 * 1.0));
  check_all_gradients(ls);
  check_all_gradients(loss::LeastSquares{});
}

TEST_CASE("Wasserstein: critic difference and its estimate") {
  Tensor<double> r = column({3.0, 1.0}), f = column({-1.0, 0.0, 1.0});
  loss::Wasserstein w;
  auto d = d_loss(w, r, f);
  CHECK(d.value == doctest::Approx(0.0 - 2.0));
  CHECK(d.real == doctest::Approx(2.0));
  CHECK(d.fake == doctest::Approx(0.0));
  StepStats s;
  Tensor<double> a(r.shape()), b(f.shape());
  w.discriminator(loss::Batch<double>{r.view(), r.view()}, loss::Batch<double>{f.view(), f.view()},
                  a.view(), b.view());
  w.report(s);
  REQUIRE(s.wasserstein.has_value());
  CHECK(*s.wasserstein == doctest::Approx(2.0));
  CHECK(g_loss(w, f) == doctest::Approx(0.0));
  check_all_gradients(w);
}

TEST_CASE("Hinge: margins at ±1") {
  Tensor<double> r = column({0.5, 2.0}), f = column({-2.0, 0.0});
  auto d = d_loss(loss::Hinge{}, r, f);
  CHECK(d.value == doctest::Approx(0.25 + 0.5));
  CHECK(g_loss(loss::Hinge{}, f) == doctest::Approx(1.0));
  check_all_gradients(loss::Hinge{});
}
