// None: an unconditional model.
#pragma once

#include <cstdint>
#include <span>

#include "gan/condition/concept.hpp"

namespace gan::condition {

/// No labels: G's input is the noise, D's input is the data.
class None {
 public:
  static constexpr bool conditional = false;
  Index classes() const { return 0; }
  Index generator_input_features(Index noise) const { return noise; }
  Shape discriminator_input_shape(Shape data) const { return data; }
  Index discriminator_data_features(Shape data) const { return data.features(); }
  bool fits(Shape g_in, Shape g_out, Shape d_in) const { return may_fit(g_in, g_out, d_in); }
  static constexpr bool may_fit(Shape, Shape g_out, Shape d_in) { return g_out.same_sample(d_in); }

  template <class T>
  void encode_generator_input(std::span<const std::int32_t>, TensorView<T>, Index) const {}
  template <class T>
  ConstView<T> discriminator_input(ConstView<T> x, std::span<const std::int32_t>,
                                   Scratch<T>&) const {
    return x;
  }
  template <class T>
  ConstView<T> data_gradient(ConstView<T> d_input_gradient, Scratch<T>&) const {
    return d_input_gradient;
  }
  void draw_labels(Rng&, std::span<std::int32_t>) const {}
  void check_labels(std::span<const std::int32_t>) const {}
};

static_assert(Condition<None>);

}  // namespace gan::condition
