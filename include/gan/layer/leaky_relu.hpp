// LeakyReLU: y = x for x > 0, slope·x otherwise (PyTorch's nn.LeakyReLU; slope 0.2 in
// DCGAN's discriminator, Radford et al. 2016).
#pragma once

#include <string>

#include "gan/core/error.hpp"
#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"
#include "gan/simd/elementwise.hpp"

namespace gan::layer {

/// Leaky rectifier with a fixed negative slope. No parameters.
template <class T>
class LeakyReLU {
 public:
  using Scalar = T;
  static constexpr bool has_curvature = false;  // piecewise linear
  static constexpr bool in_place = true;        // the mask x > 0 is y > 0 (slope ≥ 0)
  static constexpr bool leaky_rectifier = true;  // a layer before it may fuse its forward

  explicit LeakyReLU(double slope = 0.01) : m_slope(static_cast<T>(slope)) {
    GAN_CHECK(slope >= 0 && slope < 1, "LeakyReLU slope must be in [0, 1), got ", slope);
  }

  std::string name() const { return core::detail::concat("LeakyReLU(", m_slope, ")"); }
  T slope() const { return m_slope; }
  Shape output_shape(Shape in) const { return in; }
  Index parameter_count() const { return 0; }
  void bind_parameters(T*, T*) {}
  void initialize(Rng&) {}

  void forward(ConstView<T> x, TensorView<T> y) {
    simd::leaky_relu(x.data(), x.size(), m_slope, y.data());
  }
  // dx = dy where x > 0, slope·dy elsewhere (the kink at 0 takes the slope, as PyTorch).
  void backward(ConstView<T> x, ConstView<T>, ConstView<T> dy, TensorView<T> dx) {
    simd::leaky_relu_backward(x.data(), dy.data(), x.size(), m_slope, dx.data());
  }
  void accumulate_grad(ConstView<T>, ConstView<T>) {}
  // B(x, dy) = mask(x) ⊙ dy: its adjoint in dy is the same mask, and ∂B/∂x = 0 a.e.
  void backward_backward(ConstView<T> x, ConstView<T>, ConstView<T>, ConstView<T> u,
                         TensorView<T> du_dy, TensorView<T>) {
    simd::leaky_relu_backward(x.data(), u.data(), x.size(), m_slope, du_dy.data());
  }

 private:
  T m_slope;
};

static_assert(TwiceDifferentiable<LeakyReLU<float>>);

}  // namespace gan::layer
