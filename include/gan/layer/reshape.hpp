// Reshape: gives each sample another c×h×w shape with the same number of values, as
// PyTorch's x.view(N, C, H, W). The generator of DCGAN and InfoGAN turns its dense
// projection of z into the first feature maps with it.
#pragma once

#include <string>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"

namespace gan::layer {

namespace detail {
/// The passes of a layer that only renames the shape of its input (Reshape, Flatten): the
/// values keep their order, so every pass is a copy. No parameters, no curvature.
template <class T>
class Relabel {
 public:
  using Scalar = T;
  static constexpr bool has_curvature = false;  // linear
  static constexpr bool relabels = true;

  Index parameter_count() const { return 0; }
  void bind_parameters(T*, T*) {}
  void initialize(Rng&) {}

  void forward(ConstView<T> x, TensorView<T> y) { y.copy_from(x); }
  void backward(ConstView<T>, ConstView<T>, ConstView<T> dy, TensorView<T> dx) { dx.copy_from(dy); }
  void accumulate_grad(ConstView<T>, ConstView<T>) {}
  // dx = dy renamed: the adjoint of dy is u renamed, and nothing depends on x.
  void backward_backward(ConstView<T>, ConstView<T>, ConstView<T>, ConstView<T> u,
                         TensorView<T> du_dy, TensorView<T>) {
    du_dy.copy_from(u);
  }
};
}  // namespace detail

/// Output samples of shape c×h×w (the batch size is carried through); the input may have
/// any shape with c·h·w values a sample.
template <class T>
class Reshape : public detail::Relabel<T> {
 public:
  /// `sample` is the shape of one output sample; its n is ignored.
  explicit Reshape(Shape sample) : m_sample(sample.with_batch(1)) {
    GAN_CHECK(sample.c > 0 && sample.h > 0 && sample.w > 0, "Reshape(", sample.c, ", ", sample.h,
              ", ", sample.w, "): sizes must be positive");
  }

  std::string name() const {
    return core::detail::concat("Reshape(", m_sample.c, ", ", m_sample.h, ", ", m_sample.w, ")");
  }
  /// The output sample shape (batch 1).
  Shape sample() const { return m_sample; }

  Shape output_shape(Shape in) const {
    GAN_CHECK(in.features() == m_sample.features(), name(), " expects ", m_sample.features(),
              " features per sample, got ", in.features(), " (shape ", in, ")");
    return m_sample.with_batch(in.n);
  }

 private:
  Shape m_sample;
};

static_assert(TwiceDifferentiable<Reshape<float>>);

}  // namespace gan::layer
