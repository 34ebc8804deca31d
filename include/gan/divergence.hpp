// Divergence: the error a training step throws when a loss or gradient is not finite.
#pragma once

#include "gan/core/error.hpp"

namespace gan {

/// Thrown when a step produces a non-finite loss or gradient; the optimizers have not
/// stepped, so the weights are those of the last good step.
class Divergence : public Error {
 public:
  using Error::Error;
};

}  // namespace gan
