// ConvTranspose2d: the transposed ("fractionally strided") convolution with square kernels
// (PyTorch's nn.ConvTranspose2d; Dumoulin & Visin, "A guide to convolution arithmetic for
// deep learning", 2016): the generator's upsampling layers in DCGAN (Radford et al. 2016).
#pragma once

#include <string>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"
#include "gan/layer/conv_geometry.hpp"
#include "gan/layer/init.hpp"

namespace gan::layer {

/// The adjoint of Conv2d(out, in, k, s, p) applied to an (N, out, H', W') image, plus a
/// bias: input (N, in, H, W), output (N, out, H', W') with
/// H' = (H − 1)·s − 2p + k + output_padding (as W'). output_padding (0 ≤ op < s) picks
/// which of the s input sizes that the Conv2d maps to H the output has.
///
/// Parameters, in order: W (in, out, k, k) row-major — PyTorch's ConvTranspose2d layout,
/// the same array as the Conv2d it is the adjoint of — then b (out). Initialization uses
/// PyTorch's fans, read from W's dims 1 and 0: fan_in = out·k·k, fan_out = in·k·k.
///
/// Computed as col = Wᵀ · x over the whole batch, then col2im: no scatter with atomics.
template <class T>
class ConvTranspose2d : public detail::ConvParameters<T> {
  using Base = detail::ConvParameters<T>;

 public:
  using Scalar = T;
  static constexpr bool has_curvature = false;
  static constexpr bool reads_output = false;

  ConvTranspose2d(Index in_channels, Index out_channels, Index kernel, Index stride = 1,
                  Index padding = 0, Index output_padding = 0, Init init = Init::torch_default(),
                  bool bias = true)
      : Base(detail::conv_name("ConvTranspose2d", in_channels, out_channels, kernel, stride,
                               padding, output_padding),
             in_channels, out_channels, kernel, stride, padding, init, bias),
        m_output_padding(output_padding) {
    GAN_CHECK(output_padding >= 0 && output_padding < stride, this->m_name,
              ": output_padding must be in [0, stride)");
  }

  Index output_padding() const { return m_output_padding; }

  Shape output_shape(Shape in) const {
    simd::PatchGeometry g = geometry(in);
    return core::images(in.n, this->m_out, g.height, g.width);
  }

  void initialize(Rng& rng) {
    const Index area = this->m_kernel * this->m_kernel;
    this->initialize_with_fans(rng, this->m_out * area, this->m_in * area);
  }

  // y = col2im(Wᵀ · x) + b
  void forward(ConstView<T> x, TensorView<T> y) {
    this->m_gemm.correlate_adjoint(geometry(x.shape()), this->m_in, this->m_w, this->m_b, x, y);
  }

  // dx = W · im2col(dy): the Conv2d forward product.
  void backward(ConstView<T> x, ConstView<T>, ConstView<T> dy, TensorView<T> dx) {
    this->m_gemm.correlate(geometry(x.shape()), this->m_in, this->m_w, nullptr, dy, dx);
  }

  // dW += x · im2col(dy)ᵀ;  db += Σ dy over samples and pixels
  void accumulate_grad(ConstView<T> x, ConstView<T> dy) {
    this->m_gemm.weight_gradient(geometry(x.shape()), this->m_in, x, dy, this->m_dw);
    this->add_bias_gradient(dy);
  }

  // dx = B(W, dy) is linear in dy and in W and does not read x: the adjoint of dy is the
  // forward product of u without bias, and ∂P/∂W is the weight-gradient product of (u, dy).
  void backward_backward(ConstView<T>, ConstView<T>, ConstView<T> dy, ConstView<T> u,
                         TensorView<T> du_dy, TensorView<T>) {
    const simd::PatchGeometry g = geometry(u.shape());
    this->m_gemm.correlate_adjoint(g, this->m_in, this->m_w, nullptr, u, du_dy);
    this->m_gemm.weight_gradient(g, this->m_in, u, dy, this->m_dw);
  }

 private:
  // The image side of the lowered product is the output; its patch positions are the
  // input pixels, since ⌊((H − 1)·s + op) / s⌋ + 1 = H for 0 ≤ op < s.
  simd::PatchGeometry geometry(Shape in) const {
    const Index k = this->m_kernel, s = this->m_stride, p = this->m_padding;
    return this->check_input(in, this->m_in, this->m_out,
                             conv_transpose_output_size(in.h, k, s, p, m_output_padding),
                             conv_transpose_output_size(in.w, k, s, p, m_output_padding));
  }

  Index m_output_padding;
};

static_assert(TwiceDifferentiable<ConvTranspose2d<float>>);
static_assert(TwiceDifferentiable<ConvTranspose2d<double>>);

}  // namespace gan::layer
