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

/// OneHot<dynamic_classes> takes its class count at run time.
inline constexpr Index dynamic_classes = 0;

/// Labels in [0, K) as one-hot vectors: G's input is [z, onehot(y)]; D's input is
/// [x, onehot(y)] for vector data and x with K constant feature maps for images
/// (layer::JoinLabels), as the conditional DCGANs of the survey's reference code.
/// K = Classes, or the constructor's count for OneHot<dynamic_classes>.
template <Index Classes>
class OneHot {
  static_assert(Classes == dynamic_classes || Classes >= 2, "OneHot needs at least two classes");

 public:
  static constexpr bool conditional = true;

  OneHot() requires(Classes != dynamic_classes) : m_classes(Classes) {}
  explicit OneHot(Index classes) requires(Classes == dynamic_classes) : m_classes(classes) {
    GAN_CHECK(classes >= 2, "OneHot: at least two classes are needed, got ", classes);
  }

  Index classes() const { return m_classes; }
  Index generator_input_features(Index noise) const { return noise + m_classes; }
  Shape discriminator_input_shape(Shape data) const {
    return layer::JoinLabels<float>::output_shape(data, m_classes);
  }
  Index discriminator_data_features(Shape data) const { return data.features(); }
  /// G needs room for noise beside the labels, and D's input must be G's output with
  /// one more channel (images) or feature (vectors) per class.
  bool fits(Shape g_in, Shape g_out, Shape d_in) const {
    return fits_with(m_classes, g_in, g_out, d_in);
  }
  static constexpr bool may_fit(Shape g_in, Shape g_out, Shape d_in) {
    return Classes == dynamic_classes || fits_with(Classes, g_in, g_out, d_in);
  }

  template <class T>
  void encode_generator_input(std::span<const std::int32_t> labels, TensorView<T> g_in,
                              Index noise) const {
    check_labels(labels);
    GAN_CHECK(static_cast<Index>(labels.size()) == g_in.n(), "OneHot: ", labels.size(),
              " labels for a batch of ", g_in.n());
    for (Index i = 0; i < g_in.n(); ++i) {
      T* code = g_in.sample(i) + noise;
      std::fill(code, code + m_classes, T(0));
      code[labels[i]] = T(1);
    }
  }

  template <class T>
  ConstView<T> discriminator_input(ConstView<T> x, std::span<const std::int32_t> labels,
                                   Scratch<T>& s) const {
    check_labels(labels);
    GAN_CHECK(static_cast<Index>(labels.size()) == x.n(), "OneHot: ", labels.size(),
              " labels for a batch of ", x.n());
    s.encoding.resize(core::features(x.n(), m_classes));
    s.encoding.fill(T(0));
    for (Index i = 0; i < x.n(); ++i) s.encoding(i, labels[i]) = T(1);
    s.joined.resize(discriminator_input_shape(x.shape()));
    layer::JoinLabels<T>::join(x, s.encoding.view(), s.joined.view());
    return s.joined.view();
  }

  template <class T>
  ConstView<T> data_gradient(ConstView<T> d_input_gradient, Scratch<T>& s) const {
    Shape joined = d_input_gradient.shape();
    s.gradient.resize({joined.n, joined.c - m_classes, joined.h, joined.w});
    layer::JoinLabels<T>::split_gradient(d_input_gradient, s.gradient.view());
    return s.gradient.view();
  }

  void draw_labels(Rng& rng, std::span<std::int32_t> labels) const {
    for (auto& l : labels)
      l = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(m_classes)));
  }
  void check_labels(std::span<const std::int32_t> labels) const {
    for (std::int32_t l : labels)
      GAN_CHECK(l >= 0 && l < m_classes, "OneHot: label ", l, " is outside [0, ", m_classes, ")");
  }

 private:
  static constexpr bool fits_with(Index k, Shape g_in, Shape g_out, Shape d_in) {
    return g_in.features() > k && d_in.c == g_out.c + k && d_in.h == g_out.h && d_in.w == g_out.w;
  }

  Index m_classes;
};

static_assert(Condition<OneHot<10>>);
static_assert(Condition<OneHot<dynamic_classes>>);

}  // namespace gan::condition
