// ModelOptions: the run-time hyperparameters of a GAN.
#pragma once

#include <cstdint>

namespace gan {

/// Everything a sweep may change without recompiling. GAN::default_options() fills it
/// with the papers' values.
template <class OptimizerOptions, class LossOptions, class PenaltyOptions>
struct ModelOptions {
  OptimizerOptions g_optimizer{};  ///< G's optimizer (its own instance and state)
  OptimizerOptions d_optimizer{};  ///< D's optimizer
  LossOptions loss{};
  PenaltyOptions penalty{};
  int n_critic = 1;        ///< discriminator updates per generator update
  std::uint64_t seed = 0;  ///< seeds the noise, penalty and label streams
  double ema_decay = 0;    ///< weight averaging of G for sampling; 0 = off (e.g. 0.999)
  /// G and D keep their gradients in one array, which a step is done with for D before it
  /// fills it for G: less memory, and after a step D's gradients() hold G's values. Off:
  /// each network keeps its own, and D's gradients of the step's last critic update.
  bool share_gradients = true;
};

}  // namespace gan
