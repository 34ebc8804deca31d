// Flatten: N×C×H×W → N×(C·H·W), as PyTorch's nn.Flatten. The discriminator of DCGAN and
// InfoGAN turns its last feature maps into features for the dense output with it.
#pragma once

#include <string>

#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"
#include "gan/layer/reshape.hpp"

namespace gan::layer {

/// Reads each sample as one row of C·H·W features. Every pass is a copy (see
/// detail::Relabel in layer/reshape.hpp). No parameters.
template <class T>
class Flatten : public detail::Relabel<T> {
 public:
  std::string name() const { return "Flatten"; }
  Shape output_shape(Shape in) const { return core::features(in.n, in.features()); }
};

static_assert(TwiceDifferentiable<Flatten<float>>);

}  // namespace gan::layer
