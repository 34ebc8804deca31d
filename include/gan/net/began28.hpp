// BEGAN's discriminator for 28×28 images: a convolutional autoencoder.
#pragma once

#include "gan/core/shape.hpp"
#include "gan/layer/conv2d.hpp"
#include "gan/layer/conv_transpose2d.hpp"
#include "gan/layer/dense.hpp"
#include "gan/layer/flatten.hpp"
#include "gan/layer/leaky_relu.hpp"
#include "gan/layer/reshape.hpp"
#include "gan/net/sequential.hpp"

namespace gan::net {

namespace detail {
template <class T>
using ConvAutoencoderBase =
    Sequential<layer::Conv2d<T>, layer::LeakyReLU<T>, layer::Conv2d<T>, layer::LeakyReLU<T>,
               layer::Flatten<T>, layer::Dense<T>, layer::Dense<T>, layer::LeakyReLU<T>,
               layer::Reshape<T>, layer::ConvTranspose2d<T>, layer::LeakyReLU<T>,
               layer::ConvTranspose2d<T>>;
}  // namespace detail

/// Encoder Conv(C→32, k4, s2, p1) LeakyReLU → Conv(32→64, k4, s2, p1) LeakyReLU →
/// Dense(64·7·7, Code); decoder Dense(Code, 64·7·7) LeakyReLU → reshape 64×7×7 →
/// ConvTranspose(64→32, k4, s2, p1) LeakyReLU → ConvTranspose(32→C, k4, s2, p1): the
/// reconstruction. Berthelot et al. 2017 (Figure 1) use the same encoder–embedding–decoder
/// layout with ELUs and upsampling; this one keeps to the library's layers and the W2
/// geometry.
template <class T, Index Channels = 1, Index Code = 64>
class ConvAutoencoder28 : public detail::ConvAutoencoderBase<T> {
 public:
  static constexpr bool autoencoder = true;
  static constexpr Shape fixed_input = core::images(1, Channels, 28, 28);
  static constexpr Shape fixed_output = fixed_input;

  explicit ConvAutoencoder28(double slope = 0.2, layer::Init init = layer::Init::dcgan())
      : detail::ConvAutoencoderBase<T>(
            fixed_input, layer::Conv2d<T>(Channels, 32, 4, 2, 1, init), layer::LeakyReLU<T>(slope),
            layer::Conv2d<T>(32, 64, 4, 2, 1, init), layer::LeakyReLU<T>(slope),
            layer::Flatten<T>(), layer::Dense<T>(64 * 7 * 7, Code, init),
            layer::Dense<T>(Code, 64 * 7 * 7, init), layer::LeakyReLU<T>(slope),
            layer::Reshape<T>(core::images(1, 64, 7, 7)),
            layer::ConvTranspose2d<T>(64, 32, 4, 2, 1, 0, init), layer::LeakyReLU<T>(slope),
            layer::ConvTranspose2d<T>(32, Channels, 4, 2, 1, 0, init)) {}
};

}  // namespace gan::net
