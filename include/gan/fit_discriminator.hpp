// fit_discriminator: a fresh discriminator trained against a trained, frozen generator,
// so that a RejectionSampler can read a density ratio where the model's own D gives none
// or a poor one (a packed PacGAN D judges packs, not samples; a D at the end of training
// is tuned to a G that kept moving).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <utility>

#include "gan/core/error.hpp"
#include "gan/batch.hpp"
#include "gan/loss/non_saturating.hpp"
#include "gan/model.hpp"
#include "gan/train/trainer.hpp"

namespace gan {

struct FitDiscriminatorOptions {
  Index steps = 40'000;  ///< discriminator updates
  /// The learning rate falls linearly to 0 over this last fraction of the steps.
  double decay = 0.5;
  double lr = 0;           ///< 0: the loss's recipe (Adam 2e-4 for NonSaturating)
  std::uint64_t seed = 0;  ///< the fitting model's noise stream
  /// Called after each update (step k of `steps`, D's loss; e.g. train::ProgressBar::update).
  std::function<void(const train::Progress&)> progress = {};
};

/// The model a fit returns: the trained model's generator, a D that judges one sample at
/// a time, and Loss (whose optimal D gives the density ratio the sampler reads).
template <class Model, class D, class Loss = loss::NonSaturating>
using FittedModel = GAN<typename Model::Generator, D, Loss>;

/// Trains `fresh` for o.steps updates, each on a real batch from `next()` (a
/// LabeledBatch<T>) against samples of `trained`'s sampling generator (its averaged
/// weights when EMA is on), which stays as it is, and returns the pair as a model for
/// RejectionSampler:
///
///     auto fitted = gan::fit_discriminator(pacgan, net::DeepMlpDiscriminator<float>(2, 512),
///                                          next_batch, {.steps = 40'000});
///     gan::RejectionSampler drs(fitted, {.quantile = 1.0});
///
/// The generator runs in training mode while D is fitted, as during training.
template <class Loss = loss::NonSaturating, class Model, class D, class Source>
FittedModel<Model, D, Loss> fit_discriminator(Model& trained, D fresh, Source&& next,
                                              FitDiscriminatorOptions o = {}) {
  static_assert(!Model::ConditionPolicy::conditional,
                "fit_discriminator: conditional models are not supported");
  using Fitted = FittedModel<Model, D, Loss>;
  GAN_CHECK(o.steps >= 1, "fit_discriminator: steps must be >= 1, got ", o.steps);
  GAN_CHECK(o.decay >= 0 && o.decay <= 1, "fit_discriminator: decay must be in [0, 1], got ",
            o.decay);
  auto options = Fitted::default_options();
  options.seed = o.seed;
  options.n_critic = 1;
  GAN_CHECK(o.lr >= 0, "fit_discriminator: lr must be >= 0, got ", o.lr);
  if (o.lr > 0) options.d_optimizer.lr = o.lr;
  typename Model::Generator g = trained.generator();
  if (auto* ema = trained.ema_generator()) {  // averaged weights, the running statistics of G
    auto from = ema->parameters();
    std::copy(from.begin(), from.end(), g.parameters().begin());
  }
  Fitted fitted(std::move(g), std::move(fresh), options);
  const double lr = fitted.discriminator_optimizer().learning_rate();
  const Index start = o.steps - static_cast<Index>(o.decay * static_cast<double>(o.steps));
  const auto started = std::chrono::steady_clock::now();
  for (Index k = 0; k < o.steps; ++k) {
    if (k >= start)  // linear from lr at `start` to lr/(decayed steps) at the last step
      fitted.discriminator_optimizer().set_learning_rate(
          lr * static_cast<double>(o.steps - k) / static_cast<double>(o.steps - start));
    const StepStats s = fitted.discriminator_step_from(next);
    if (o.progress) {
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      o.progress({.step = k + 1, .last_step = o.steps, .seconds = took.count(), .stats = s,
                  .generator = false});
    }
  }
  fitted.discriminator_optimizer().set_learning_rate(lr);
  return fitted;
}

}  // namespace gan
