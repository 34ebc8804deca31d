// ReLU: y = max(x, 0) (Nair & Hinton 2010), the generator's hidden activation in DCGAN.
#pragma once

#include <string>

#include "gan/layer/leaky_relu.hpp"

namespace gan::layer {

/// Rectifier: a LeakyReLU with slope 0 (the gradient at 0 is 0, as in PyTorch).
template <class T>
class ReLU : public LeakyReLU<T> {
 public:
  ReLU() : LeakyReLU<T>(0.0) {}
  std::string name() const { return "ReLU"; }
};

static_assert(TwiceDifferentiable<ReLU<float>>);

}  // namespace gan::layer
