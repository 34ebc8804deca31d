// Recipe: the training hyperparameters a paper prescribes for its loss or penalty.
#pragma once

#include <optional>

namespace gan {

/// What a policy's paper used to train, applied by the model to its default options
/// (the penalty's recipe over the loss's). Values left empty keep the optimizer's own
/// defaults. A sweep changes these at run time, without recompiling.
struct Recipe {
  std::optional<double> learning_rate{};
  std::optional<double> beta1{};  ///< Adam's β₁ (ignored by other optimizers)
  std::optional<double> beta2{};  ///< Adam's β₂
  std::optional<int> n_critic{};  ///< discriminator updates per generator update
};

}  // namespace gan
