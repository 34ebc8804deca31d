// Identity: y = x. A placeholder where a policy or a ready-made net leaves a slot empty
// (no normalization, a linear output).
#pragma once

#include <string>

#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"

namespace gan::layer {

/// y = x. No parameters, no curvature.
template <class T>
class Identity {
 public:
  using Scalar = T;
  static constexpr bool has_curvature = false;

  std::string name() const { return "Identity"; }
  Shape output_shape(Shape in) const { return in; }
  Index parameter_count() const { return 0; }
  void bind_parameters(T*, T*) {}
  void initialize(Rng&) {}

  void forward(ConstView<T> x, TensorView<T> y) { y.copy_from(x); }
  void backward(ConstView<T>, ConstView<T>, ConstView<T> dy, TensorView<T> dx) { dx.copy_from(dy); }
  void accumulate_grad(ConstView<T>, ConstView<T>) {}
  void backward_backward(ConstView<T>, ConstView<T>, ConstView<T>, ConstView<T> u,
                         TensorView<T> du_dy, TensorView<T>) {
    du_dy.copy_from(u);
  }
};

static_assert(TwiceDifferentiable<Identity<float>>);

}  // namespace gan::layer
