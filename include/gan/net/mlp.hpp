// The W1 multilayer perceptrons (WORKLOADS.md): a generator and a discriminator of two
// hidden LeakyReLU layers, as in the toy and MNIST experiments of the GAN literature.
#pragma once

#include "gan/core/shape.hpp"
#include "gan/layer/dense.hpp"
#include "gan/layer/identity.hpp"
#include "gan/layer/leaky_relu.hpp"
#include "gan/layer/tanh.hpp"
#include "gan/net/sequential.hpp"

namespace gan::net {

/// z → Dense(noise, hidden) LeakyReLU → Dense(hidden, hidden) LeakyReLU → Dense(hidden, out)
/// → Output (Tanh for data scaled to [−1, 1], Identity for unbounded data such as the
/// toy mixtures). W1's generator is MlpGenerator<float>(64, 256, 784).
template <class T, template <class> class Output = layer::Tanh>
class MlpGenerator : public Sequential<layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>,
                                       layer::LeakyReLU<T>, layer::Dense<T>, Output<T>> {
  using Base = Sequential<layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>,
                          layer::LeakyReLU<T>, layer::Dense<T>, Output<T>>;

 public:
  explicit MlpGenerator(Index noise = 64, Index hidden = 256, Index out = 784, double slope = 0.2,
                        layer::Init init = layer::Init::torch_default())
      : Base(core::features(1, noise), layer::Dense<T>(noise, hidden, init),
             layer::LeakyReLU<T>(slope), layer::Dense<T>(hidden, hidden, init),
             layer::LeakyReLU<T>(slope), layer::Dense<T>(hidden, out, init), Output<T>()) {}
};

/// x → Dense(in, hidden) LeakyReLU → Dense(hidden, hidden) LeakyReLU → Dense(hidden, 1):
/// one logit a sample. W1's discriminator is MlpDiscriminator<float>(784, 256).
template <class T>
class MlpDiscriminator : public Sequential<layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>,
                                           layer::LeakyReLU<T>, layer::Dense<T>> {
  using Base = Sequential<layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>,
                          layer::LeakyReLU<T>, layer::Dense<T>>;

 public:
  explicit MlpDiscriminator(Index in = 784, Index hidden = 256, double slope = 0.2,
                            layer::Init init = layer::Init::torch_default())
      : Base(core::features(1, in), layer::Dense<T>(in, hidden, init), layer::LeakyReLU<T>(slope),
             layer::Dense<T>(hidden, hidden, init), layer::LeakyReLU<T>(slope),
             layer::Dense<T>(hidden, 1, init)) {}
};

/// x → three Dense LeakyReLU layers of `hidden` units → Dense(hidden, 1): one logit a
/// sample. The density-ratio estimator of `fit_discriminator` on the toy mixtures: its
/// third hidden layer lets the ratio fall within a few σ of a narrow mode, which two
/// layers of the same width smooth over (grid25, PacGAN2's G after 40,000 steps, a D of
/// width 512 fitted for 40,000 steps, then rejection sampling, 10 seeds: 82.6% of the kept
/// samples within 3σ of a mode with two hidden layers, 94.4% with three as `gan train
/// --refit` fits them; README, Toy mixtures).
template <class T>
class DeepMlpDiscriminator
    : public Sequential<layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>, layer::LeakyReLU<T>,
                        layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>> {
  using Base =
      Sequential<layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>, layer::LeakyReLU<T>,
                 layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>>;

 public:
  explicit DeepMlpDiscriminator(Index in, Index hidden, double slope = 0.2,
                                layer::Init init = layer::Init::torch_default())
      : Base(core::features(1, in), layer::Dense<T>(in, hidden, init), layer::LeakyReLU<T>(slope),
             layer::Dense<T>(hidden, hidden, init), layer::LeakyReLU<T>(slope),
             layer::Dense<T>(hidden, hidden, init), layer::LeakyReLU<T>(slope),
             layer::Dense<T>(hidden, 1, init)) {}
};

/// BEGAN's discriminator for vectors: an autoencoder
/// x → Dense(in, hidden) LeakyReLU → Dense(hidden, code) → Dense(code, hidden) LeakyReLU
/// → Dense(hidden, in), whose output is the reconstruction of x (Berthelot et al. 2017
/// use a convolutional one; this is its MLP counterpart for vector data).
template <class T>
class MlpAutoencoder : public Sequential<layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>,
                                         layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>> {
  using Base = Sequential<layer::Dense<T>, layer::LeakyReLU<T>, layer::Dense<T>, layer::Dense<T>,
                          layer::LeakyReLU<T>, layer::Dense<T>>;

 public:
  static constexpr bool autoencoder = true;

  explicit MlpAutoencoder(Index in = 784, Index hidden = 256, Index code = 32, double slope = 0.2,
                          layer::Init init = layer::Init::torch_default())
      : Base(core::features(1, in), layer::Dense<T>(in, hidden, init), layer::LeakyReLU<T>(slope),
             layer::Dense<T>(hidden, code, init), layer::Dense<T>(code, hidden, init),
             layer::LeakyReLU<T>(slope), layer::Dense<T>(hidden, in, init)) {}
};

}  // namespace gan::net
