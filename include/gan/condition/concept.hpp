// The Condition concept: how class labels enter G and D.
//
// Required members of a Condition C (T = the networks' scalar):
//
//   static constexpr bool conditional
//       Whether the model's step and sample take labels.
//   Index classes() const
//       Number of classes (0 when not conditional).
//   Index generator_input_features(Index noise) const
//       Features of G's input for `noise` noise values a sample.
//   Shape discriminator_input_shape(Shape data) const
//       D's input shape for data of shape `data` (labels joined, or samples packed).
//   Index discriminator_data_features(Shape data) const
//       Values of each of D's input samples that are data, for data of shape `data`:
//       the first ones; the rest are labels. The penalties perturb only these.
//   bool fits(Shape g_in, Shape g_out, Shape d_in) const
//       Whether networks of these sample shapes have room for the labels; the model
//       checks it at construction.
//   static constexpr bool may_fit(Shape g_in, Shape g_out, Shape d_in)
//       false only when the sample shapes certainly leave no room (a class count fixed
//       at compile time); the model static_asserts it when both networks fix their
//       shapes at compile time.
//   void encode_generator_input(std::span<const std::int32_t> labels, TensorView<T> g_in,
//                               Index noise) const
//       Writes the label encoding into G's input after the first `noise` values of each
//       sample (the model has drawn the noise there).
//   ConstView<T> discriminator_input(ConstView<T> x, std::span<const std::int32_t> labels,
//                                    Scratch<T>& s) const
//       D's input for data x: x itself, x joined with the labels in s, or x packed.
//   ConstView<T> data_gradient(ConstView<T> d_input_gradient, Scratch<T>& s) const
//       The part of a gradient with respect to D's input that belongs to the data.
//   void draw_labels(Rng& rng, std::span<std::int32_t> labels) const
//       Uniform labels, for generator updates and for sampling without given labels.
//   void check_labels(std::span<const std::int32_t> labels) const
//       Throws gan::Error for a label outside [0, classes).
//
// Conditions that ship: None, OneHot<Classes> (CGAN; OneHot<dynamic_classes> takes
// the class count at run time) and Packed<Pack> (PacGAN: D judges packs of samples).
#pragma once

#include <concepts>
#include <cstdint>
#include <span>

#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"

namespace gan::condition {

/// Buffers of one conditioned batch, owned by the model.
template <class T>
struct Scratch {
  Tensor<T> encoding;  ///< (N, K) label encoding
  Tensor<T> joined;    ///< D's input: data with the labels joined
  Tensor<T> gradient;  ///< the data part of a gradient with respect to D's input
  Shape data_shape;    ///< the data's shape, where D's input is a reshaping of it
};

template <class C>
concept Condition = requires(const C c, Shape s, Index n, std::span<const std::int32_t> labels,
                             std::span<std::int32_t> out, TensorView<float> v, ConstView<float> cv,
                             Scratch<float>& scratch, Rng& rng) {
  { C::conditional } -> std::convertible_to<bool>;
  { c.classes() } -> std::same_as<Index>;
  { c.generator_input_features(n) } -> std::same_as<Index>;
  { c.discriminator_input_shape(s) } -> std::same_as<Shape>;
  { c.discriminator_data_features(s) } -> std::same_as<Index>;
  { c.fits(s, s, s) } -> std::same_as<bool>;
  { C::may_fit(s, s, s) } -> std::same_as<bool>;
  c.encode_generator_input(labels, v, n);
  { c.discriminator_input(cv, labels, scratch) } -> std::same_as<ConstView<float>>;
  { c.data_gradient(cv, scratch) } -> std::same_as<ConstView<float>>;
  c.draw_labels(rng, out);
  c.check_labels(labels);
};

}  // namespace gan::condition
