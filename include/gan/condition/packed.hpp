// Packed: PacGAN (Lin, Khetan, Fanti & Oh, "PacGAN: The power of two samples in
// generative adversarial networks", NeurIPS 2018). D judges m samples at once, all real
// or all generated, so that a generator that puts too much mass on some modes and too
// little on others is told apart from the data by the company its samples keep.
#pragma once

#include <cstdint>
#include <span>

#include "gan/condition/concept.hpp"
#include "gan/core/error.hpp"

namespace gan::condition {

/// Packed<dynamic_pack> takes its pack size at run time.
inline constexpr Index dynamic_pack = 0;

/// An unconditional model whose D sees packs of m samples: a batch of N samples (N a
/// multiple of m) of shape (c, h, w) enters D as N/m samples of shape (m·c, h, w), the
/// m samples one after the other (for vectors: [x₁, …, x_m], m·F features; for images
/// the m images stacked as channels, as in the PacGAN paper). Both are the same memory,
/// so packing and unpacking copy nothing. G is unchanged; only D's input layer widens.
/// The penalties act on packs (an interpolate of a real and a generated pack).
/// m = Pack, or the constructor's size for Packed<dynamic_pack>.
template <Index Pack>
class Packed {
  static_assert(Pack == dynamic_pack || Pack >= 2, "Packed needs packs of at least two samples");

 public:
  static constexpr bool conditional = false;

  Packed() requires(Pack != dynamic_pack) : m_pack(Pack) {}
  explicit Packed(Index pack) requires(Pack == dynamic_pack) : m_pack(pack) {
    GAN_CHECK(pack >= 1, "Packed: the pack size must be >= 1, got ", pack);
  }

  /// Samples in one of D's inputs.
  Index pack() const { return m_pack; }
  Index classes() const { return 0; }
  Index generator_input_features(Index noise) const { return noise; }
  Shape discriminator_input_shape(Shape data) const { return packed(data, m_pack); }
  Index discriminator_data_features(Shape data) const { return m_pack * data.features(); }
  /// D's input must be m of G's outputs stacked.
  bool fits(Shape, Shape g_out, Shape d_in) const { return fits_with(m_pack, g_out, d_in); }
  static constexpr bool may_fit(Shape, Shape g_out, Shape d_in) {
    return Pack == dynamic_pack || fits_with(Pack, g_out, d_in);
  }

  template <class T>
  void encode_generator_input(std::span<const std::int32_t>, TensorView<T>, Index) const {}

  template <class T>
  ConstView<T> discriminator_input(ConstView<T> x, std::span<const std::int32_t>,
                                   Scratch<T>& s) const {
    GAN_CHECK(x.n() % m_pack == 0, "Packed: a batch of ", x.n(),
              " samples does not split into packs of ", m_pack);
    s.data_shape = x.shape();
    return {x.data(), packed(x.shape(), m_pack)};
  }
  template <class T>
  ConstView<T> data_gradient(ConstView<T> d_input_gradient, Scratch<T>& s) const {
    GAN_CHECK(d_input_gradient.shape() == packed(s.data_shape, m_pack),
              "Packed: a gradient of shape ", d_input_gradient.shape(), " for packs of ",
              s.data_shape);
    return {d_input_gradient.data(), s.data_shape};
  }

  void draw_labels(Rng&, std::span<std::int32_t>) const {}
  void check_labels(std::span<const std::int32_t>) const {}

 private:
  static constexpr Shape packed(Shape data, Index m) {
    return {data.n / m, m * data.c, data.h, data.w};
  }
  static constexpr bool fits_with(Index m, Shape g_out, Shape d_in) {
    return d_in.c == m * g_out.c && d_in.h == g_out.h && d_in.w == g_out.w;
  }

  Index m_pack;
};

static_assert(Condition<Packed<4>>);
static_assert(Condition<Packed<dynamic_pack>>);

}  // namespace gan::condition
