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
};

}  // namespace gan
