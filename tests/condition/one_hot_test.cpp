#include "gan/condition/one_hot.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "gan/condition/none.hpp"

using namespace gan;

TEST_CASE("OneHot joins labels to G's noise and to D's vectors") {
  condition::OneHot<3> c;
  CHECK(c.classes() == 3);
  CHECK(c.generator_input_features(4) == 7);
  Tensor<float> g_in(core::features(2, 7), 9.0f);
  std::vector<std::int32_t> labels = {2, 0};
  c.encode_generator_input<float>(labels, g_in.view(), 4);
  CHECK(g_in(0, 3) == 9.0f);  // noise untouched
  CHECK(g_in(0, 4) == 0.0f);
  CHECK(g_in(0, 6) == 1.0f);
  CHECK(g_in(1, 4) == 1.0f);
  CHECK(g_in(1, 5) == 0.0f);

  Tensor<float> x(core::features(2, 2), 0.5f);
  condition::Scratch<float> s;
  ConstView<float> joined = c.discriminator_input<float>(x.view(), labels, s);
  CHECK(joined.shape() == core::features(2, 5));
  CHECK(joined(0, 1) == 0.5f);
  CHECK(joined(0, 4) == 1.0f);
  CHECK(joined(1, 2) == 1.0f);
  Tensor<float> grad(joined.shape());
  for (Index k = 0; k < grad.size(); ++k) grad[k] = static_cast<float>(k);
  ConstView<float> dx = c.data_gradient<float>(grad.view(), s);
  CHECK(dx.shape() == core::features(2, 2));
  CHECK(dx(1, 0) == 5.0f);
  CHECK(dx(1, 1) == 6.0f);
}

TEST_CASE("OneHot joins labels to images as constant maps") {
  condition::OneHot<2> c;
  CHECK(c.discriminator_input_shape(core::images(4, 1, 28, 28)) == core::images(4, 3, 28, 28));
  Tensor<float> x(core::images(1, 1, 2, 2), -1.0f);
  std::vector<std::int32_t> labels = {1};
  condition::Scratch<float> s;
  ConstView<float> joined = c.discriminator_input<float>(x.view(), labels, s);
  for (Index p = 0; p < 4; ++p) {
    CHECK(joined(0, 0, p / 2, p % 2) == -1.0f);
    CHECK(joined(0, 1, p / 2, p % 2) == 0.0f);
    CHECK(joined(0, 2, p / 2, p % 2) == 1.0f);
  }
}

TEST_CASE("OneHot checks labels and sizes; draws labels uniformly") {
  condition::OneHot<4> c;
  std::vector<std::int32_t> bad = {0, 4};
  CHECK_THROWS_WITH_AS(c.check_labels(bad), "OneHot: label 4 is outside [0, 4)", Error);
  std::vector<std::int32_t> negative = {-1};
  CHECK_THROWS_AS(c.check_labels(negative), Error);
  CHECK(c.fits(core::features(1, 8), core::features(1, 2), core::features(1, 6)));
  CHECK(!c.fits(core::features(1, 4), core::features(1, 2), core::features(1, 6)));  // no noise
  CHECK(!c.fits(core::features(1, 8), core::features(1, 2), core::features(1, 2)));  // no labels
  static_assert(!condition::OneHot<4>::may_fit(core::features(1, 8), core::features(1, 2),
                                               core::features(1, 2)));
  static_assert(condition::OneHot<condition::dynamic_classes>::may_fit(
      core::features(1, 8), core::features(1, 2), core::features(1, 2)));
  Rng rng(1, Stream::labels);
  std::vector<std::int32_t> drawn(4000);
  c.draw_labels(rng, drawn);
  std::vector<int> counts(4, 0);
  for (auto l : drawn) counts[l]++;
  for (int n : counts) CHECK(std::abs(n - 1000) < 120);
}

TEST_CASE("None passes data through") {
  condition::None c;
  CHECK(c.classes() == 0);
  Tensor<float> x(core::features(2, 3), 1.0f);
  condition::Scratch<float> s;
  ConstView<float> in = c.discriminator_input<float>(x.view(), {}, s);
  CHECK(in.data() == x.data());
  CHECK(c.fits(core::features(1, 5), core::features(1, 3), core::features(1, 3)));
  CHECK(!c.fits(core::features(1, 5), core::features(1, 3), core::features(1, 4)));
}
