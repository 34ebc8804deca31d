// Minimax: the original GAN objective (Goodfellow et al., "Generative Adversarial Nets",
// NIPS 2014, eq. 1), with the saturating generator loss.
#pragma once

#include <string_view>

#include "gan/loss/concept.hpp"
#include "gan/loss/elementwise.hpp"
#include "gan/loss/logistic.hpp"
#include "gan/recipe.hpp"

namespace gan::loss {

/// D maximizes E log σ(D(x)) + E log(1 − σ(D(G(z)))); G minimizes E log(1 − σ(D(G(z)))),
/// whose gradient vanishes when D rejects the fakes confidently (section 3 of the paper;
/// NonSaturating is the fix). On logits l:
///   L_D = mean softplus(−l_real) + mean softplus(l_fake),  L_G = −mean softplus(l_fake).
class Minimax {
 public:
  struct Options {};
  /// Training settings: Adam(2·10⁻⁴, β₁ = 0.5) as DCGAN (Radford et al. 2016) trains it.
  static constexpr Recipe recipe{.learning_rate = 2e-4, .beta1 = 0.5, .beta2 = 0.999};
  static constexpr bool autoencoder = false;

  explicit Minimax(Options = {}) {}

  template <class T>
  DiscriminatorLoss discriminator(Batch<T> real, Batch<T> fake, TensorView<T> d_real,
                                  TensorView<T> d_fake) {
    using detail::sigmoid, detail::softplus;
    double lr = detail::mean_with_gradient(real.output, d_real, [](double l) {
      return std::pair{softplus(-l), sigmoid(l) - 1};
    });
    double lf = detail::mean_with_gradient(fake.output, d_fake, [](double l) {
      return std::pair{softplus(l), sigmoid(l)};
    });
    return {lr + lf, detail::mean_of(real.output, sigmoid), detail::mean_of(fake.output, sigmoid)};
  }

  template <class T>
  double generator(Batch<T> fake, TensorView<T> d_out, TensorView<T>) {
    using detail::sigmoid, detail::softplus;
    return detail::mean_with_gradient(fake.output, d_out, [](double l) {
      return std::pair{-softplus(l), -sigmoid(l)};
    });
  }

  /// log p_data(x)/p_g(x) as D's logit l estimates it: the optimal D is
  /// p_data/(p_data + p_g) (Goodfellow et al. 2014, Proposition 1), so l = log p_data/p_g.
  /// RejectionSampler reads it.
  double log_density_ratio(double logit) const { return logit; }

  void after_discriminator_step(const DiscriminatorLoss&) {}
  void report(StepStats&) const {}
  template <class F>
  void for_each_state(F&&) {}
};

static_assert(Loss<Minimax>);

}  // namespace gan::loss
