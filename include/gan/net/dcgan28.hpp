// The W2 networks (WORKLOADS.md): the InfoGAN-style DCGAN pair for 28×28 images that
// "Are GANs Created Equal?" (Lucic et al. 2018) trains on MNIST and Fashion-MNIST, and a
// critic of the same shape without BatchNorm for the gradient penalties.
#pragma once

#include "gan/core/shape.hpp"
#include "gan/layer/batch_norm.hpp"
#include "gan/layer/conv2d.hpp"
#include "gan/layer/conv_transpose2d.hpp"
#include "gan/layer/dense.hpp"
#include "gan/layer/flatten.hpp"
#include "gan/layer/layer_norm.hpp"
#include "gan/layer/leaky_relu.hpp"
#include "gan/layer/relu.hpp"
#include "gan/layer/reshape.hpp"
#include "gan/layer/tanh.hpp"
#include "gan/net/sequential.hpp"

namespace gan::net {

namespace detail {
template <class T>
using DcganGeneratorBase =
    Sequential<layer::Dense<T>, layer::BatchNorm<T>, layer::ReLU<T>, layer::Dense<T>,
               layer::BatchNorm<T>, layer::ReLU<T>, layer::Reshape<T>, layer::ConvTranspose2d<T>,
               layer::BatchNorm<T>, layer::ReLU<T>, layer::ConvTranspose2d<T>, layer::Tanh<T>>;
template <class T>
using DcganDiscriminatorBase =
    Sequential<layer::Conv2d<T>, layer::LeakyReLU<T>, layer::Conv2d<T>, layer::BatchNorm<T>,
               layer::LeakyReLU<T>, layer::Flatten<T>, layer::Dense<T>, layer::BatchNorm<T>,
               layer::LeakyReLU<T>, layer::Dense<T>>;
template <class T>
using DcganCriticBase =
    Sequential<layer::Conv2d<T>, layer::LeakyReLU<T>, layer::Conv2d<T>, layer::LayerNorm<T>,
               layer::LeakyReLU<T>, layer::Flatten<T>, layer::Dense<T>, layer::LayerNorm<T>,
               layer::LeakyReLU<T>, layer::Dense<T>>;
}  // namespace detail

/// z (Noise, classes appended by a condition) → Dense(·, 1024) BN ReLU
/// → Dense(1024, 128·7·7) BN ReLU → reshape 128×7×7 → ConvTranspose(128→64, k4, s2, p1)
/// BN ReLU → ConvTranspose(64→Channels, k4, s2, p1) Tanh: Channels×28×28 in [−1, 1].
/// Weights N(0, 0.02) as DCGAN (Radford et al. 2016).
template <class T, Index Noise = 62, Index Channels = 1>
class DcganGenerator28 : public detail::DcganGeneratorBase<T> {
 public:
  static constexpr Shape fixed_input = core::features(1, Noise);
  static constexpr Shape fixed_output = core::images(1, Channels, 28, 28);

  explicit DcganGenerator28(layer::Init init = layer::Init::dcgan())
      : detail::DcganGeneratorBase<T>(
            fixed_input, layer::Dense<T>(Noise, 1024, init), layer::BatchNorm<T>(1024),
            layer::ReLU<T>(), layer::Dense<T>(1024, 128 * 7 * 7, init),
            layer::BatchNorm<T>(128 * 7 * 7), layer::ReLU<T>(),
            layer::Reshape<T>(core::images(1, 128, 7, 7)),
            layer::ConvTranspose2d<T>(128, 64, 4, 2, 1, 0, init), layer::BatchNorm<T>(64),
            layer::ReLU<T>(), layer::ConvTranspose2d<T>(64, Channels, 4, 2, 1, 0, init),
            layer::Tanh<T>()) {}
};

/// Channels×28×28 → Conv(·→64, k4, s2, p1) LeakyReLU(0.2) → Conv(64→128, k4, s2, p1) BN
/// LeakyReLU(0.2) → flatten → Dense(6272, 1024) BN LeakyReLU(0.2) → Dense(1024, 1): one
/// logit a sample.
template <class T, Index Channels = 1>
class DcganDiscriminator28 : public detail::DcganDiscriminatorBase<T> {
 public:
  static constexpr Shape fixed_input = core::images(1, Channels, 28, 28);
  static constexpr Shape fixed_output = core::features(1, 1);

  explicit DcganDiscriminator28(layer::Init init = layer::Init::dcgan())
      : detail::DcganDiscriminatorBase<T>(
            fixed_input, layer::Conv2d<T>(Channels, 64, 4, 2, 1, init), layer::LeakyReLU<T>(0.2),
            layer::Conv2d<T>(64, 128, 4, 2, 1, init), layer::BatchNorm<T>(128),
            layer::LeakyReLU<T>(0.2), layer::Flatten<T>(), layer::Dense<T>(128 * 7 * 7, 1024, init),
            layer::BatchNorm<T>(1024), layer::LeakyReLU<T>(0.2), layer::Dense<T>(1024, 1, init)) {}
};

/// DcganDiscriminator28 with LayerNorm in place of BatchNorm: a critic for gradient
/// penalties, which cannot go through batch statistics (Gulrajani et al. 2017, sec. 4).
template <class T, Index Channels = 1>
class DcganCritic28 : public detail::DcganCriticBase<T> {
 public:
  static constexpr Shape fixed_input = core::images(1, Channels, 28, 28);
  static constexpr Shape fixed_output = core::features(1, 1);

  explicit DcganCritic28(layer::Init init = layer::Init::dcgan())
      : detail::DcganCriticBase<T>(
            fixed_input, layer::Conv2d<T>(Channels, 64, 4, 2, 1, init), layer::LeakyReLU<T>(0.2),
            layer::Conv2d<T>(64, 128, 4, 2, 1, init), layer::LayerNorm<T>(128 * 7 * 7),
            layer::LeakyReLU<T>(0.2), layer::Flatten<T>(), layer::Dense<T>(128 * 7 * 7, 1024, init),
            layer::LayerNorm<T>(1024), layer::LeakyReLU<T>(0.2), layer::Dense<T>(1024, 1, init)) {}
};

}  // namespace gan::net
