// Sigmoid: y = 1 / (1 + e^−x). The losses work on logits, so D needs no Sigmoid; this is
// for outputs in (0, 1) and for classifiers.
#pragma once

#include <string>

#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"
#include "gan/simd/elementwise.hpp"

namespace gan::layer {

/// Logistic function. No parameters; has a curvature term in the penalty pass.
template <class T>
class Sigmoid {
 public:
  using Scalar = T;
  static constexpr bool has_curvature = true;
  static constexpr bool in_place = true;  // every pass reads y only

  std::string name() const { return "Sigmoid"; }
  Shape output_shape(Shape in) const { return in; }
  Index parameter_count() const { return 0; }
  void bind_parameters(T*, T*) {}
  void initialize(Rng&) {}

  void forward(ConstView<T> x, TensorView<T> y) {
    simd::sigmoid_forward(x.data(), x.size(), y.data());
  }
  // dx = y(1 − y) ⊙ dy
  void backward(ConstView<T>, ConstView<T> y, ConstView<T> dy, TensorView<T> dx) {
    simd::sigmoid_backward(y.data(), dy.data(), y.size(), dx.data());
  }
  void accumulate_grad(ConstView<T>, ConstView<T>) {}
  // du_dy = y(1 − y) ⊙ u;  curvature = y(1 − y)(1 − 2y) ⊙ u ⊙ dy
  void backward_backward(ConstView<T>, ConstView<T> y, ConstView<T> dy, ConstView<T> u,
                         TensorView<T> du_dy, TensorView<T> curvature) {
    simd::sigmoid_backward(y.data(), u.data(), y.size(), du_dy.data());
    simd::sigmoid_curvature(y.data(), u.data(), dy.data(), y.size(), curvature.data());
  }
};

static_assert(TwiceDifferentiable<Sigmoid<float>>);

}  // namespace gan::layer
