// OneHot: class-conditional GANs (Mirza & Osindero, "Conditional Generative Adversarial
// Nets", 2014): the one-hot label is joined to G's noise and to D's input.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

#include "gan/condition/concept.hpp"
#include "gan/core/error.hpp"
#include "gan/layer/join_labels.hpp"

namespace gan::condition {

/// Labels in [0, Classes) as one-hot vectors: G's input is [z, onehot(y)]; D's input is
/// [x, onehot(y)] for vector data and x with Classes constant feature maps for images
/// (layer::JoinLabels), as the conditional DCGANs of the survey's reference code.
template <Index Classes>
class OneHot {
  static_assert(Classes >= 2, "OneHot needs at least two classes");

 public:
  static constexpr bool conditional = true;
  static constexpr Index classes = Classes;

  Index generator_input_features(Index noise) const { return noise + Classes; }
  Shape discriminator_input_shape(Shape data) const {
    return layer::JoinLabels<float>::output_shape(data, Classes);
  }
  /// G needs room for noise beside the labels, and D's input must be G's output with
  /// one more channel (images) or feature (vectors) per class.
  static constexpr bool fits(Shape g_in, Shape g_out, Shape d_in) {
    return g_in.features() > Classes && d_in.c == g_out.c + Classes && d_in.h == g_out.h &&
           d_in.w == g_out.w;
  }

  template <class T>
  void encode_generator_input(std::span<const std::int32_t> labels, TensorView<T> g_in,
                              Index noise) const {
    check_labels(labels);
    GAN_CHECK(static_cast<Index>(labels.size()) == g_in.n(), "OneHot: ", labels.size(),
              " labels for a batch of ", g_in.n());
    for (Index i = 0; i < g_in.n(); ++i) {
      T* code = g_in.sample(i) + noise;
      std::fill(code, code + Classes, T(0));
      code[labels[i]] = T(1);
    }
  }

  template <class T>
  ConstView<T> discriminator_input(ConstView<T> x, std::span<const std::int32_t> labels,
                                   Scratch<T>& s) const {
    check_labels(labels);
    GAN_CHECK(static_cast<Index>(labels.size()) == x.n(), "OneHot: ", labels.size(),
              " labels for a batch of ", x.n());
    s.encoding.resize(core::features(x.n(), Classes));
    s.encoding.fill(T(0));
    for (Index i = 0; i < x.n(); ++i) s.encoding(i, labels[i]) = T(1);
    s.joined.resize(discriminator_input_shape(x.shape()));
    layer::JoinLabels<T>::join(x, s.encoding.view(), s.joined.view());
    return s.joined.view();
  }

  template <class T>
  ConstView<T> data_gradient(ConstView<T> d_input_gradient, Scratch<T>& s) const {
    Shape joined = d_input_gradient.shape();
    s.gradient.resize({joined.n, joined.c - Classes, joined.h, joined.w});
    layer::JoinLabels<T>::split_gradient(d_input_gradient, s.gradient.view());
    return s.gradient.view();
  }

  void draw_labels(Rng& rng, std::span<std::int32_t> labels) const {
    for (auto& l : labels) l = static_cast<std::int32_t>(rng.below(Classes));
  }
  void check_labels(std::span<const std::int32_t> labels) const {
    for (std::int32_t l : labels)
      GAN_CHECK(l >= 0 && l < Classes, "OneHot: label ", l, " is outside [0, ", Classes, ")");
  }
};

static_assert(Condition<OneHot<10>>);

}  // namespace gan::condition
