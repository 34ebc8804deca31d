// What Conv2d and ConvTranspose2d share: their size arithmetic, their parameters, and
// ConvGemm, the three im2col + GEMM products that both are made of.
//
// A convolution with weight matrix Wm (m, C·k·k) relates an "image side" batch
// (N, C, H, W) to a "column side" batch (N, m, Ho, Wo), Ho×Wo being the patch positions of
// H×W (simd/im2col.hpp). ConvGemm computes
//
//     correlate          column side = Wm · im2col(image side)          (+ bias)
//     correlate_adjoint  image side  = col2im(Wmᵀ · column side)         (+ bias)
//     weight_gradient    dWm        += column side · im2col(image side)ᵀ
//
// Conv2d (W is (out, in, k, k): m = out, C = in) is correlate forwards, correlate_adjoint
// backwards. ConvTranspose2d (W is (in, out, k, k): m = in, C = out) is the adjoint of that
// Conv2d: correlate_adjoint forwards, correlate backwards. Both take their weight gradient
// from weight_gradient with the column side and image side in their places, and their
// penalty pass (layer/concept.hpp) from the same products with x replaced by u.
#pragma once

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <utility>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/layer/init.hpp"
#include "gan/simd/channel_stats.hpp"
#include "gan/simd/col2im.hpp"
#include "gan/simd/gemm.hpp"
#include "gan/simd/im2col.hpp"

namespace gan::layer {

/// Output size of nn.Conv2d along one axis: ⌊(size + 2p − k) / s⌋ + 1, or 0 (empty) when
/// the padded input is smaller than the kernel.
constexpr Index conv_output_size(Index size, Index kernel, Index stride, Index padding) {
  return simd::PatchGeometry{1, size, 1, kernel, stride, padding}.out_height();
}

/// Output size of nn.ConvTranspose2d along one axis: (size − 1)·s − 2p + k + output_padding
/// (≤ 0 means empty).
constexpr Index conv_transpose_output_size(Index size, Index kernel, Index stride, Index padding,
                                           Index output_padding) {
  return (size - 1) * stride - 2 * padding + kernel + output_padding;
}

namespace detail {

/// The im2col + GEMM products of a convolution (see the file comment). The batch sits in
/// the GEMM's column dimension, so the weight gradient is a single product with the batch
/// in its K dimension: it does not depend on how many threads run it, beyond what the GEMM
/// itself guarantees.
///
/// The patch matrix of a whole batch is large (W2: 12 MiB), so each product fills it in
/// parts of at most part_values values: a block of samples for the two correlations, a
/// block of channels (rows of the patch matrix) for the weight gradient. A part is a block
/// of M or N of the GEMM, never of K, and the GEMM computes every element of C with the
/// same operations however M and N are cut, so the parts change no result.
template <class T>
class ConvGemm {
 public:
  /// Values of the patch matrix filled at a time (4 MiB of float).
  static constexpr Index part_values = Index(1) << 20;

  /// out (N, m, Ho, Wo) = Wm (m, C·k·k) · im2col(image (N, C, H, W)) [+ bias (m)].
  void correlate(const simd::PatchGeometry& g, Index m, const T* w, const T* bias,
                 ConstView<T> image, TensorView<T> out) {
    const Index n = image.n(), l = g.positions(), kk = g.rows();
    const Index block = part_size(n, kk * l);
    for (Index first = 0; first < n; first += block) {
      const Index nb = std::min(block, n - first);
      T* col = scratch(Buffer::col, kk, nb * l);   // (C·k·k, nb·L)
      T* rows = scratch(Buffer::rows, m, nb * l);  // (m, nb·L)
      simd::im2col(g, nb, image.sample(first), col, workspace(g));
      simd::gemm(simd::Trans::N, simd::Trans::N, m, nb * l, kk, T(1), w, kk, col, nb * l, T(0),
                 rows, nb * l);
      simd::channels_to_batch(rows, nb, m, l, out.sample(first), bias);
    }
  }

  /// image (N, C, H, W) = col2im(Wmᵀ (C·k·k, m) · in (N, m, Ho, Wo)) [+ bias (C)].
  void correlate_adjoint(const simd::PatchGeometry& g, Index m, const T* w, const T* bias,
                         ConstView<T> in, TensorView<T> image) {
    const Index n = in.n(), l = g.positions(), kk = g.rows();
    const Index block = part_size(n, kk * l);
    for (Index first = 0; first < n; first += block) {
      const Index nb = std::min(block, n - first);
      T* col = scratch(Buffer::col, kk, nb * l);  // (C·k·k, nb·L)
      // The samples of `in` (nb, m, L) as the (m, nb·L) matrix of its channels, in place.
      simd::gemm(simd::Trans::T, simd::Trans::N, kk, nb * l, m, T(1), w, kk, in.sample(first), l,
                 T(0), col, nb * l, static_cast<const T*>(nullptr), simd::ColumnGroups{l, m * l});
      simd::col2im(g, nb, col, image.sample(first), bias);
    }
  }

  /// dWm (m, C·k·k) += in (N, m, Ho, Wo) · im2col(image (N, C, H, W))ᵀ, summed over the batch.
  void weight_gradient(const simd::PatchGeometry& g, Index m, ConstView<T> in, ConstView<T> image,
                       T* dw) {
    const Index n = in.n(), l = g.positions(), kk = g.rows(), area = g.kernel * g.kernel;
    T* rows = scratch(Buffer::rows, m, n * l);  // (m, N·L)
    simd::batch_to_channels(in.data(), n, m, l, rows);
    const Index block = part_size(g.channels, area * n * l);
    for (Index first = 0; first < g.channels; first += block) {
      simd::PatchGeometry part = g;
      part.channels = std::min(block, g.channels - first);
      T* col = scratch(Buffer::col, part.rows(), n * l);  // (channels·k·k, N·L)
      simd::im2col(part, n, image.data() + first * g.height * g.width, col, workspace(g),
                   g.image_size());
      simd::gemm(simd::Trans::N, simd::Trans::T, m, part.rows(), n * l, T(1), rows, n * l, col,
                 n * l, T(1), dw + first * area, kk);
    }
  }

 private:
  enum class Buffer {
    col,       // (C·k·k, N·Ho·Wo) or a part of it: the patches
    rows,      // (m, N·Ho·Wo) or a part of it: the column side, channel-major
    workspace  // (threads, (H + 2p)·(W + 2p)): see simd::im2col_workspace
  };

  /// Items in each of the equal parts into which `count` items of `size` patch values each
  /// are cut so that a part holds at most part_values values (one item at least).
  static Index part_size(Index count, Index size) {
    const Index parts = std::max<Index>(1, (count * size + part_values - 1) / part_values);
    return (count + parts - 1) / parts;
  }

  /// A rows×cols buffer of the calling thread. A buffer is live only during one product,
  /// so every convolution on the thread shares it, sized for the largest part, instead of
  /// each layer keeping its own (W2: 6 MiB instead of 35). It only grows, so a training
  /// step allocates nothing after the first.
  static T* scratch(Buffer which, Index rows, Index cols) {
    thread_local Tensor<T> buffers[3];
    Tensor<T>& b = buffers[static_cast<int>(which)];
    b.resize(core::features(rows, cols));
    return b.data();
  }
  static T* workspace(const simd::PatchGeometry& g) {
    return scratch(Buffer::workspace, 1, simd::im2col_workspace(g));
  }
};

/// "Conv2d(1, 64, k4, s2, p1)", with ", op1" when output_padding is not 0.
inline std::string conv_name(const char* kind, Index in, Index out, Index kernel, Index stride,
                             Index padding, Index output_padding = 0) {
  std::string name =
      core::detail::concat(kind, "(", in, ", ", out, ", k", kernel, ", s", stride, ", p", padding);
  if (output_padding != 0) name += core::detail::concat(", op", output_padding);
  return name + ")";
}

/// The parameters and settings both convolution layers have: W (out·in·k·k values, in the
/// layout of the layer), then b (out). Parameter binding, bias gradient and the checks of
/// the constructor arguments live here once.
template <class T>
class ConvParameters {
 public:
  std::string name() const { return m_name; }
  Index in_channels() const { return m_in; }
  Index out_channels() const { return m_out; }
  Index kernel() const { return m_kernel; }
  Index stride() const { return m_stride; }
  Index padding() const { return m_padding; }
  bool has_bias() const { return m_has_bias; }

  Index parameter_count() const { return weight_count() + (m_has_bias ? m_out : 0); }
  void bind_parameters(T* values, T* grads) {
    m_w = values;
    m_dw = grads;
    m_b = m_has_bias ? values + weight_count() : nullptr;
    m_db = m_has_bias ? grads + weight_count() : nullptr;
  }

  /// W, row-major in the layer's layout.
  std::span<T> weights() const { return {m_w, static_cast<std::size_t>(weight_count())}; }
  /// b (out values; empty without bias).
  std::span<T> bias() const { return {m_b, static_cast<std::size_t>(m_has_bias ? m_out : 0)}; }

 protected:
  ConvParameters(std::string name, Index in, Index out, Index kernel, Index stride, Index padding,
                 Init init, bool bias)
      : m_name(std::move(name)),
        m_in(in),
        m_out(out),
        m_kernel(kernel),
        m_stride(stride),
        m_padding(padding),
        m_init(init),
        m_has_bias(bias) {
    GAN_CHECK(in > 0 && out > 0, m_name, ": channel counts must be positive");
    GAN_CHECK(kernel > 0, m_name, ": kernel size must be positive");
    GAN_CHECK(stride > 0, m_name, ": stride must be positive");
    GAN_CHECK(padding >= 0, m_name, ": padding must not be negative");
  }

  Index weight_count() const { return m_out * m_in * m_kernel * m_kernel; }

  /// Draws W and b with PyTorch's fans (taken from W's dims 1 and 0 times k·k).
  void initialize_with_fans(Rng& rng, Index fan_in, Index fan_out) {
    m_init.apply(weights(), bias(), fan_in, fan_out, rng);
  }

  /// Throws unless `in` has the expected channel count; gives the patch geometry of `image`
  /// (the layer's image side, see ConvGemm) and throws when it has no patch position.
  simd::PatchGeometry check_input(Shape in, Index channels, Index image_channels,
                                  Index image_height, Index image_width) const {
    GAN_CHECK(in.c == channels, m_name, " expects ", channels, " input channels, got ", in.c,
              " (shape ", in, ")");
    simd::PatchGeometry g{image_channels, image_height, image_width, m_kernel, m_stride, m_padding};
    GAN_CHECK(in.h > 0 && in.w > 0 && image_height > 0 && image_width > 0 && g.positions() > 0,
              m_name, " gives an empty output for input ", in);
    return g;
  }

  /// db (out) += Σ over samples and pixels of dy (N, out, H, W), in double and in a fixed
  /// order (simd::channel_sums), so the result does not depend on the thread count.
  void add_bias_gradient(ConstView<T> dy) {
    if (!m_has_bias) return;
    const T* g = dy.data();
    simd::channel_sums<1>(
        dy.shape(), [g](auto at, Index) { return std::array{at(g)}; },
        [this](Index c, const std::array<double, 1>& sum) { m_db[c] += static_cast<T>(sum[0]); });
  }

  std::string m_name;
  Index m_in, m_out, m_kernel, m_stride, m_padding;
  Init m_init;
  bool m_has_bias;
  T* m_w = nullptr;
  T* m_dw = nullptr;
  T* m_b = nullptr;
  T* m_db = nullptr;
  ConvGemm<T> m_gemm;
};

}  // namespace detail
}  // namespace gan::layer
