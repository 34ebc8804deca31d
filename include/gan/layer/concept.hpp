// The Layer and TwiceDifferentiable concepts: what a building block of a network must
// provide.
//
// A layer maps a batch x (N×C×H×W, see core/shape.hpp) to a batch y. It owns no parameter
// storage: the network that holds it allocates one flat array of parameter values and one
// of gradients, and hands each layer its slice with `bind_parameters`. That keeps the
// optimizers, weight clipping, checkpoints and gradient all-reduce single passes over one
// array. A layer keeps no state between calls that a pass depends on (BatchNorm recomputes
// its batch statistics in backward), so several batches can be in flight at once (the
// real and the fake batch of a discriminator step) with one activation tape each.
//
// Required members of a Layer L (T = L::Scalar, float or double):
//
//   std::string name() const
//       "Dense(784, 256)": used in error messages and network summaries.
//   Shape output_shape(Shape in) const
//       The output shape for input shape `in` (batch size carried through). Throws
//       gan::Error, saying what the layer expected, when `in` does not fit.
//   Index parameter_count() const
//       Number of trainable values (0 for activations).
//   void bind_parameters(T* values, T* grads)
//       The layer's slices of the network's flat value and gradient arrays, each
//       parameter_count() long. Called once, before initialize.
//   void initialize(Rng& rng)
//       Draws the initial parameter values (see layer/init.hpp).
//   void forward(ConstView<T> x, TensorView<T> y)
//       y = f(x). y is already shaped output_shape(x.shape()).
//   void backward(ConstView<T> x, ConstView<T> y, ConstView<T> dy, TensorView<T> dx)
//       Input gradient only: dx = (∂y/∂x)ᵀ dy, overwriting dx. No parameter gradient.
//   void accumulate_grad(ConstView<T> x, ConstView<T> dy)
//       Adds (∂y/∂θ)ᵀ dy to the bound gradient array. The discriminator sees a real and a
//       fake batch, and their gradients add up; the generator step needs D's input
//       gradient but never D's parameter gradient, which is why the two are apart.
//
// Optional: `void set_training(bool)` for layers that behave differently in evaluation
// (BatchNorm), and `Index buffer_count() const` + `void bind_buffers(T*)` for state that
// is saved but not trained (BatchNorm's running statistics).
//
// Optional, for speed: `void write_grad(ConstView<T> x, ConstView<T> dy)` sets the bound
// gradient array to (∂y/∂θ)ᵀ dy without reading it, as accumulate_grad into zeros would.
// A network's first backward pass of an update calls it (Grad::overwrite); for a layer
// without it, the network zeroes the layer's gradients and calls accumulate_grad. Worth
// writing where the gradient is large (Dense's weights).
//
// Optional, for speed: `void forward_leaky(ConstView<T> x, TensorView<T> y, T slope)` is
// forward followed, in the same pass, by y = y > 0 ? y : slope·y, bit for bit what a
// LeakyReLU or ReLU after the layer computes when it runs in place over y (see in_place
// below). A network calls it instead of the two forwards where such a pair runs in place
// (BatchNorm then ReLU: one pass over the activations instead of two; Dense then
// LeakyReLU: the activation applied to each tile of the product while in cache); the
// activation's backward pass then reads the same values as before. An activation offers
// itself to this by declaring `static constexpr bool leaky_rectifier = true` and
// `T slope() const`. Likewise `void forward_tanh(ConstView<T> x, TensorView<T> y)` for a
// Tanh after the layer, which declares `static constexpr bool tanh_activation = true`.
//
// Optional, for memory: a network keeps every layer's output for the backward pass, and
// three declarations let it keep fewer copies (net/sequential.hpp):
//
//   static constexpr bool reads_output = false
//       none of the layer's passes reads its output y (only x, dy and the parameters), so
//       the layer after it may overwrite y in place. Absent means true.
//   static constexpr bool in_place = true
//       an element-wise layer whose passes give the same results when handed its output y
//       in place of its input x (ReLU, LeakyReLU: y > 0 exactly where x > 0; Tanh and
//       Sigmoid read only y), and whose forward may write y over x.
//   static constexpr bool relabels = true
//       the output is the input's values in the same order under another shape (Reshape,
//       Flatten): the network passes a view of the input instead of a copy.
//
// A TwiceDifferentiable layer also has the second-order pass that gradient penalties use
// (DESIGN.md, "Gradient penalties without an autodiff tape"). Write the layer's input
// gradient as dx = B(x, θ, dy), linear in dy. A penalty P depends on dx; given
// u = ∂P/∂dx it needs the adjoints of everything B reads:
//
//   static constexpr bool has_curvature
//       false when ∂B/∂x = 0 (Dense, convolutions, piecewise-linear activations).
//   void backward_backward(ConstView<T> x, ConstView<T> y, ConstView<T> dy,
//                          ConstView<T> u, TensorView<T> du_dy, TensorView<T> curvature)
//       du_dy     = (∂B/∂dy)ᵀ u = (∂y/∂x) u, the adjoint of dy (a forward-mode product);
//                   overwritten; shaped like y.
//       curvature = (∂B/∂x)ᵀ u, overwritten; shaped like x. Layers with
//                   has_curvature == false never touch it (the network passes an empty
//                   view).
//       and adds (∂B/∂θ)ᵀ u to the bound gradient array.
//
// Layers that ship: Dense, Conv2d, ConvTranspose2d, BatchNorm (not twice
// differentiable: its batch statistics couple the samples that a per-sample gradient
// penalty treats apart), LayerNorm, ReLU, LeakyReLU, Tanh, Sigmoid, Identity, Reshape,
// Flatten. To write a new one, copy layer/leaky_relu.hpp (no parameters) or
// layer/dense.hpp (parameters), and add its gradient checks as in
// tests/layer/dense_test.cpp.
#pragma once

#include <concepts>
#include <string>

#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"

namespace gan::layer {

template <class L>
concept Layer = requires(L l, const L cl, Shape s, typename L::Scalar* p, Rng& rng,
                         ConstView<typename L::Scalar> x, TensorView<typename L::Scalar> y) {
  typename L::Scalar;
  { cl.name() } -> std::convertible_to<std::string>;
  { cl.output_shape(s) } -> std::same_as<Shape>;
  { cl.parameter_count() } -> std::same_as<Index>;
  l.bind_parameters(p, p);
  l.initialize(rng);
  l.forward(x, y);
  l.backward(x, x, x, y);
  l.accumulate_grad(x, x);
};

template <class L>
concept TwiceDifferentiable = Layer<L> &&
    requires(L l, ConstView<typename L::Scalar> x, TensorView<typename L::Scalar> y) {
  { L::has_curvature } -> std::convertible_to<bool>;
  l.backward_backward(x, x, x, x, y, y);
};

/// Layers that can set their parameter gradients without reading them (see the file
/// comment).
template <class L>
concept WritesGrad = Layer<L> && requires(L l, ConstView<typename L::Scalar> x) {
  l.write_grad(x, x);
};

/// Layers whose output the layer after them may overwrite (see the file comment).
template <class L>
concept OutputUnread = requires {
  requires !L::reads_output;
};

/// Element-wise layers that may write their output over their input (see the file comment).
template <class L>
concept InPlace = requires {
  requires L::in_place;
};

/// y = x > 0 ? x : slope·x activations (LeakyReLU, ReLU), which a FusesLeakyReLU layer
/// before them may apply in its own forward pass (see the file comment).
template <class L>
concept LeakyRectifier = requires(const L l) {
  requires L::leaky_rectifier;
  { l.slope() } -> std::convertible_to<typename L::Scalar>;
};

/// Layers whose forward pass can apply a LeakyRectifier to its output (see the file
/// comment).
template <class L>
concept FusesLeakyReLU = requires(L l, ConstView<typename L::Scalar> x,
                                  TensorView<typename L::Scalar> y, typename L::Scalar slope) {
  l.forward_leaky(x, y, slope);
};

/// y = tanh(x) (Tanh), which a FusesTanh layer before it may apply in its own forward pass
/// (see the file comment).
template <class L>
concept TanhActivation = requires {
  requires L::tanh_activation;
};

/// Layers whose forward pass can apply a TanhActivation to its output (see the file
/// comment).
template <class L>
concept FusesTanh = requires(L l, ConstView<typename L::Scalar> x,
                             TensorView<typename L::Scalar> y) {
  l.forward_tanh(x, y);
};

/// Layers whose output is a view of their input under another shape (see the file comment).
template <class L>
concept Relabels = requires {
  requires L::relabels;
};

/// Layers with a training and an evaluation mode (BatchNorm).
template <class L>
concept HasTrainingMode = requires(L l) {
  l.set_training(true);
};

/// Layers with saved, untrained state (BatchNorm's running statistics).
template <class L>
concept HasBuffers = requires(L l, const L cl, typename L::Scalar* p) {
  { cl.buffer_count() } -> std::same_as<Index>;
  l.bind_buffers(p);
};

}  // namespace gan::layer
