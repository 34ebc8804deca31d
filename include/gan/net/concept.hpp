// The Network concept: what the GAN model needs of a generator or a discriminator.
//
// Required members of a Network N (T = N::Scalar):
//
//   Shape input_shape(Index n) const, Shape output_shape(Index n) const
//       Shapes of a batch of n inputs and outputs.
//   ConstView<T> forward(ConstView<T> x, Tape<T>& tape)
//       Runs the batch, keeps what backward needs in `tape`, returns the output (a view
//       into the tape, valid until the tape's next forward).
//   void backward(Tape<T>& tape, ConstView<T> dy, TensorView<T> dx, Grad what)
//       From the gradient dy of the output: the input gradient into dx (when `what` has
//       Grad::input; dx may be empty otherwise) and/or the parameter gradient added to
//       gradients() (when `what` has Grad::parameters). A TwiceDifferentiableNetwork
//       leaves the per-layer backward signals in the tape for a penalty pass.
//   std::span<T> parameters(), std::span<T> gradients()
//       The flat arrays of all trainable values and their gradients (same order).
//   std::span<T> buffers()
//       Saved, untrained state (running statistics); may be empty.
//   void zero_grad(), void initialize(Rng&), void set_training(bool)
//   std::string describe() const
//       One line per layer with its output shape and parameter count.
//
// A TwiceDifferentiableNetwork also has
//   void penalty_backward(Tape<T>& tape, ConstView<T> u)
//       after forward and backward(dy = ∂D/∂out) on penalty points: given u, the
//       gradient of a penalty P with respect to the input gradient, adds ∂P/∂θ to
//       gradients() (DESIGN.md, "Gradient penalties without an autodiff tape").
//
// Optional compile-time facts a network type may declare:
//   static constexpr Shape fixed_input, fixed_output   (FixedShape: sample shapes, batch 1)
//       lets the model check a conditioning policy's sizes at compile time;
//   static constexpr bool autoencoder = true           (Autoencoder)
//       D reconstructs its input (BEGAN); its output is shaped like its input.
//   static constexpr bool overwrites_gradients = true  (OverwritesGradients)
//       backward honours Grad::overwrite: with Grad::parameters | Grad::overwrite it sets
//       gradients() to the pass's parameter gradient instead of adding to it, without
//       reading the old values. The first backward pass of an update then needs no
//       zero_grad: the model skips a pass over every gradient (26 MB a network in W2)
//       and the weight-gradient products write their result without reading it. The
//       model zeroes and adds for networks that do not declare it.
//
// The network that ships is Sequential<Layers...> (net/sequential.hpp), with ready-made
// ones in net/mlp.hpp and net/dcgan28.hpp.
#pragma once

#include <concepts>
#include <span>
#include <string>

#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/net/tape.hpp"

namespace gan::net {

/// Which gradients a backward pass computes.
/// Grad::overwrite modifies Grad::parameters: set the gradients rather than add to them
/// (networks that are OverwritesGradients).
enum class Grad { input = 1, parameters = 2, both = 3, overwrite = 4 };
constexpr Grad operator|(Grad a, Grad b) {
  return static_cast<Grad>(static_cast<int>(a) | static_cast<int>(b));
}
constexpr bool has(Grad what, Grad flag) {
  return (static_cast<int>(what) & static_cast<int>(flag)) != 0;
}

template <class N>
concept Network = requires(N net, const N cnet, Index n, ConstView<typename N::Scalar> x,
                           TensorView<typename N::Scalar> dx, Tape<typename N::Scalar>& tape,
                           Rng& rng) {
  typename N::Scalar;
  { cnet.input_shape(n) } -> std::same_as<Shape>;
  { cnet.output_shape(n) } -> std::same_as<Shape>;
  { net.forward(x, tape) } -> std::same_as<ConstView<typename N::Scalar>>;
  net.backward(tape, x, dx, Grad::both);
  { net.parameters() } -> std::same_as<std::span<typename N::Scalar>>;
  { net.gradients() } -> std::same_as<std::span<typename N::Scalar>>;
  { net.buffers() } -> std::same_as<std::span<typename N::Scalar>>;
  net.zero_grad();
  net.initialize(rng);
  net.set_training(true);
  { cnet.describe() } -> std::convertible_to<std::string>;
};

template <class N>
concept TwiceDifferentiableNetwork = Network<N> &&
    requires(N net, Tape<typename N::Scalar>& tape, ConstView<typename N::Scalar> u) {
  net.penalty_backward(tape, u);
};

/// Sample shapes known at compile time.
template <class N>
concept FixedShape = requires {
  { N::fixed_input } -> std::convertible_to<Shape>;
  { N::fixed_output } -> std::convertible_to<Shape>;
};

/// Sample shapes a network fixes at compile time (empty when it does not).
template <class N>
constexpr Shape fixed_input_of() {
  if constexpr (FixedShape<N>)
    return N::fixed_input;
  else
    return {};
}
template <class N>
constexpr Shape fixed_output_of() {
  if constexpr (FixedShape<N>)
    return N::fixed_output;
  else
    return {};
}

/// A network whose backward can set the parameter gradients (Grad::overwrite) instead of
/// adding to them.
template <class N>
concept OverwritesGradients = Network<N> && requires {
  requires N::overwrites_gradients;
};

/// The first backward pass of an update, parameters only: the gradients of (tape, dy)
/// replace the network's, written over them where the network can (OverwritesGradients),
/// else zeroed and added.
template <Network N>
void backward_first(N& network, Tape<typename N::Scalar>& tape, ConstView<typename N::Scalar> dy) {
  if constexpr (OverwritesGradients<N>) {
    network.backward(tape, dy, {}, Grad::parameters | Grad::overwrite);
  } else {
    network.zero_grad();
    network.backward(tape, dy, {}, Grad::parameters);
  }
}

/// A network that reconstructs its input (BEGAN's discriminator).
template <class N>
concept Autoencoder = Network<N> && requires {
  requires N::autoencoder;
};

}  // namespace gan::net
