// Tanh: y = tanh(x), the generator's output layer in DCGAN (Radford et al. 2016).
#pragma once

#include <string>

#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"
#include "gan/simd/elementwise.hpp"

namespace gan::layer {

/// Hyperbolic tangent. No parameters; its input gradient depends on x, so the penalty
/// pass has a curvature term.
template <class T>
class Tanh {
 public:
  using Scalar = T;
  static constexpr bool has_curvature = true;
  static constexpr bool in_place = true;         // every pass reads y only
  static constexpr bool tanh_activation = true;  // a layer before it may fuse its forward

  std::string name() const { return "Tanh"; }
  Shape output_shape(Shape in) const { return in; }
  Index parameter_count() const { return 0; }
  void bind_parameters(T*, T*) {}
  void initialize(Rng&) {}

  void forward(ConstView<T> x, TensorView<T> y) {
    simd::tanh_forward(x.data(), x.size(), y.data());
  }
  // dx = (1 − y²) ⊙ dy
  void backward(ConstView<T>, ConstView<T> y, ConstView<T> dy, TensorView<T> dx) {
    simd::tanh_backward(y.data(), dy.data(), y.size(), dx.data());
  }
  void accumulate_grad(ConstView<T>, ConstView<T>) {}
  // du_dy = (1 − y²) ⊙ u;  curvature = −2y(1 − y²) ⊙ u ⊙ dy
  void backward_backward(ConstView<T>, ConstView<T> y, ConstView<T> dy, ConstView<T> u,
                         TensorView<T> du_dy, TensorView<T> curvature) {
    simd::tanh_backward(y.data(), u.data(), y.size(), du_dy.data());
    simd::tanh_curvature(y.data(), u.data(), dy.data(), y.size(), curvature.data());
  }
};

static_assert(TwiceDifferentiable<Tanh<float>>);

}  // namespace gan::layer
