// Tape: the activations and backward signals of one pass through a network.
#pragma once

#include <vector>

#include "gan/core/tensor.hpp"

namespace gan::net {

/// What a network keeps of one batch between its forward and backward passes. A network
/// keeps nothing of a batch itself, so one network can have several batches in flight
/// (the real and the fake batch of a discriminator step) with one tape each. Buffers keep
/// their capacity, so a training loop allocates only in its first step.
template <class T>
struct Tape {
  ConstView<T> input;  ///< the batch given to forward (not owned; keep it alive)
  /// outputs[i]: output of layer i, or empty when layer i wrote over the output before it
  /// or relabels it (Sequential::layer_output gives every layer's output)
  std::vector<Tensor<T>> outputs;
  /// deltas[i]: gradient with respect to the output of layer i, kept by networks with a
  /// penalty pass (Sequential::keeps_deltas)
  std::vector<Tensor<T>> deltas;
  std::vector<Tensor<T>> curvature;  ///< curvature terms of the penalty pass, per layer
  Tensor<T> adjoint[2];              ///< ping-pong buffers of the penalty pass
};

}  // namespace gan::net
