// The speed workloads W1–W4 of WORKLOADS.md as ready-to-run objects, and the useful
// floating-point operations of each: the multiply-adds of the matrix products that one
// iteration needs at the least, counted from the layers' shapes. Counted the same way for
// every implementation, so that "useful GFLOP/s" compares work done, not work wasted.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/layer/conv2d.hpp"
#include "gan/layer/conv_transpose2d.hpp"
#include "gan/layer/dense.hpp"
#include "gan/net/tape.hpp"
#include "gan/variants.hpp"

namespace gan::bench {

/// Batch of the training workloads (W1–W3) and of the sampling workload (W4).
inline constexpr Index train_batch = 64;
inline constexpr Index sample_batch = 256;

namespace detail {

/// Multiply-adds of one sample through layer L, whose input has shape `in` (batch 1) and
/// output `out`: the product's size for Dense and the convolutions, 0 for everything else
/// (their work is linear in the activations and small beside the products).
template <class L>
double layer_macs(const L& l, Shape in, Shape out) {
  using T = typename L::Scalar;
  if constexpr (std::is_same_v<L, layer::Dense<T>>) {
    return double(l.in_features()) * double(l.out_features());
  } else if constexpr (std::is_same_v<L, layer::Conv2d<T>>) {
    // out·in·k·k per output pixel
    return double(out.size()) * double(l.in_channels() * l.kernel() * l.kernel());
  } else if constexpr (std::is_same_v<L, layer::ConvTranspose2d<T>>) {
    // in·out·k·k per input pixel (the adjoint of the Conv2d above)
    return double(in.size()) * double(l.out_channels() * l.kernel() * l.kernel());
  } else {
    (void)l, (void)in, (void)out;
    return 0;
  }
}

/// Shape of one sample entering layer I of a Sequential.
template <std::size_t I, class Net>
Shape layer_input_shape(const Net& net) {
  if constexpr (I == 0)
    return net.input_shape(1);
  else
    return net.layer_output_shape(I - 1, 1);
}

template <class Net, std::size_t... I>
std::pair<double, double> network_macs(Net& net, std::index_sequence<I...>) {
  const double each[] = {layer_macs(net.template layer<I>(), layer_input_shape<I>(net),
                                    net.layer_output_shape(I, 1))...};
  double total = 0, first = 0;
  bool seen = false;
  for (double m : each) {
    total += m;
    if (!seen && m > 0) first = m, seen = true;
  }
  return {total, first};
}

}  // namespace detail

/// Multiply-adds of one sample through a network's products: all of them, and those of
/// its first layer with a product (whose input gradient a step never needs when the
/// network's input is data or noise).
struct NetworkMacs {
  double total = 0;
  double first = 0;
};
template <class Net>
NetworkMacs network_macs(Net& net) {
  auto [total, first] = detail::network_macs(net, std::make_index_sequence<Net::depth>{});
  return {total, first};
}

/// Useful operations of one W1/W2 iteration at batch n: a discriminator step (G forward;
/// D forward, weight gradient and input gradient below its first layer on the real and
/// the fake batch), then a generator step (G forward; D forward and full input gradient;
/// G weight gradient and input gradient below its first layer). 2 operations per
/// multiply-add.
inline double gan_iteration_flops(NetworkMacs g, NetworkMacs d, Index n) {
  const double d_step = g.total + 2 * (d.total + d.total + (d.total - d.first));
  const double g_step = g.total + d.total + d.total + g.total + (g.total - g.first);
  return 2.0 * double(n) * (d_step + g_step);
}

/// Useful operations of one W3 iteration: n_critic critic steps, each with the gradient
/// penalty on one batch of interpolates (forward, full input gradient, then the second
/// pass: a forward-shaped and a weight-gradient-shaped product per layer), then one
/// generator step as in gan_iteration_flops.
inline double wgan_gp_iteration_flops(NetworkMacs g, NetworkMacs d, Index n, int n_critic) {
  const double critic = g.total + 2 * (d.total + d.total + (d.total - d.first)) + 4 * d.total;
  const double g_step = g.total + d.total + d.total + g.total + (g.total - g.first);
  return 2.0 * double(n) * (n_critic * critic + g_step);
}

/// Useful operations of generating n samples (W4): one forward pass.
inline double sampling_flops(NetworkMacs g, Index n) {
  return 2.0 * double(n) * g.total;
}

/// A GAN model with a fixed batch of random "real" data in [−1, 1]: step() is one
/// iteration of W1, W2 or W3.
template <class Model>
class TrainingWorkload {
 public:
  explicit TrainingWorkload(typename Model::Options o = Model::default_options())
      : m_model(typename Model::Generator(), typename Model::Discriminator(), o),
        m_real(m_model.generator().output_shape(train_batch)) {
    Rng rng(1, Stream::data);
    rng.fill_uniform(m_real.span(), -1.0, 1.0);
  }
  void step() { m_model.step(m_real.view()); }
  double flops() {
    const NetworkMacs g = network_macs(m_model.generator());
    const NetworkMacs d = network_macs(m_model.discriminator());
    if constexpr (Model::PenaltyPolicy::needs_second_order)
      return wgan_gp_iteration_flops(g, d, train_batch, m_model.options().n_critic);
    else
      return gan_iteration_flops(g, d, train_batch);
  }
  Model& model() { return m_model; }

 private:
  Model m_model;
  Tensor<typename Model::Scalar> m_real;  // (N, sample shape)
};

/// W4: a generator in evaluation mode (running statistics), fed a fixed noise batch;
/// step() makes sample_batch samples.
template <class G>
class SamplingWorkload {
 public:
  SamplingWorkload() : m_noise(m_g.input_shape(sample_batch)) {
    Rng rng(2, Stream::noise);
    rng.fill_normal(m_noise.span());
    m_g.set_training(false);
  }
  void step() { m_g.forward(m_noise.view(), m_tape); }
  double flops() { return sampling_flops(network_macs(m_g), sample_batch); }

 private:
  G m_g;
  Tensor<typename G::Scalar> m_noise;  // (N, noise)
  net::Tape<typename G::Scalar> m_tape;
};

/// The models of W1 (NSGAN on the MLPs), W2 (DCGAN on the 28×28 pair) and W3 (WGAN-GP on
/// the MLPs), and W4's two generators.
using W1 = TrainingWorkload<NSGAN<net::MlpGenerator<float>, net::MlpDiscriminator<float>>>;
using W2 = TrainingWorkload<DCGAN<net::DcganGenerator28<float>, net::DcganDiscriminator28<float>>>;
using W3 = TrainingWorkload<WGAN_GP<net::MlpGenerator<float>, net::MlpDiscriminator<float>>>;
using W4Mlp = SamplingWorkload<net::MlpGenerator<float>>;
using W4Dcgan = SamplingWorkload<net::DcganGenerator28<float>>;

}  // namespace gan::bench
