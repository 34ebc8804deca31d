// Conv2d: 2-D cross-correlation with square kernels (PyTorch's nn.Conv2d), as
// im2col + one GEMM over the batch (Chellapilla et al. 2006); the discriminator's
// convolutions in DCGAN (Radford et al., "Unsupervised Representation Learning with Deep
// Convolutional Generative Adversarial Networks", ICLR 2016).
#pragma once

#include <string>

#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"
#include "gan/layer/conv_geometry.hpp"
#include "gan/layer/init.hpp"

namespace gan::layer {

/// y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c], with stride s and zero padding p on both axes.
/// Input (N, in, H, W), output (N, out, H', W') with H' = ⌊(H + 2p − k) / s⌋ + 1 (as W').
///
/// Parameters, in order: W (out, in, k, k) row-major, then b (out) when the layer has a
/// bias — PyTorch's layout, so weights load from a PyTorch state dict unchanged.
/// Initialization uses fan_in = in·k·k and fan_out = out·k·k, as PyTorch.
template <class T>
class Conv2d : public detail::ConvParameters<T> {
  using Base = detail::ConvParameters<T>;

 public:
  using Scalar = T;
  static constexpr bool has_curvature = false;
  static constexpr bool reads_output = false;

  Conv2d(Index in_channels, Index out_channels, Index kernel, Index stride = 1, Index padding = 0,
         Init init = Init::torch_default(), bool bias = true)
      : Base(detail::conv_name("Conv2d", in_channels, out_channels, kernel, stride, padding),
             in_channels, out_channels, kernel, stride, padding, init, bias) {}

  Shape output_shape(Shape in) const {
    simd::PatchGeometry g = geometry(in);
    return core::images(in.n, this->m_out, g.out_height(), g.out_width());
  }

  void initialize(Rng& rng) {
    const Index area = this->m_kernel * this->m_kernel;
    this->initialize_with_fans(rng, this->m_in * area, this->m_out * area);
  }

  void forward(ConstView<T> x, TensorView<T> y) {
    this->m_gemm.correlate(geometry(x.shape()), this->m_out, this->m_w, this->m_b, x, y);
  }

  // dx = col2im(Wᵀ · dy): the adjoint of the forward product.
  void backward(ConstView<T> x, ConstView<T>, ConstView<T> dy, TensorView<T> dx) {
    this->m_gemm.correlate_adjoint(geometry(x.shape()), this->m_out, this->m_w, nullptr, dy, dx);
  }

  // dW += dy · im2col(x)ᵀ;  db += Σ dy over samples and pixels
  void accumulate_grad(ConstView<T> x, ConstView<T> dy) {
    this->m_gemm.weight_gradient(geometry(x.shape()), this->m_out, dy, x, this->m_dw);
    this->add_bias_gradient(dy);
  }

  // dx = B(W, dy) is linear in dy and in W and does not read x: the adjoint of dy is the
  // forward product of u without bias, and ∂P/∂W is the weight-gradient product of (dy, u).
  void backward_backward(ConstView<T>, ConstView<T>, ConstView<T> dy, ConstView<T> u,
                         TensorView<T> du_dy, TensorView<T>) {
    const simd::PatchGeometry g = geometry(u.shape());
    this->m_gemm.correlate(g, this->m_out, this->m_w, nullptr, u, du_dy);
    this->m_gemm.weight_gradient(g, this->m_out, dy, u, this->m_dw);
  }

 private:
  // The image side of the lowered product is the input.
  simd::PatchGeometry geometry(Shape in) const {
    return this->check_input(in, this->m_in, this->m_in, in.h, in.w);
  }
};

static_assert(TwiceDifferentiable<Conv2d<float>>);
static_assert(TwiceDifferentiable<Conv2d<double>>);

}  // namespace gan::layer
