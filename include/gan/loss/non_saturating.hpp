// NonSaturating: the GAN objective with the generator maximizing log D(G(z))
// (Goodfellow et al. 2014, section 3) and one-sided label smoothing on the real targets
// (Salimans et al., "Improved Techniques for Training GANs", NIPS 2016, section 3.4).
#pragma once

#include <cmath>
#include <limits>
#include <string_view>

#include "gan/core/error.hpp"
#include "gan/loss/concept.hpp"
#include "gan/loss/elementwise.hpp"
#include "gan/loss/logistic.hpp"
#include "gan/recipe.hpp"

namespace gan::loss {

/// Sigmoid cross-entropy on logits: D's real targets are 1 − s, its fake targets 0; G's
/// fake targets are 1. L_D = mean CE(l_real, 1 − s) + mean CE(l_fake, 0),
/// L_G = mean softplus(−l_fake). The default s = 0.1 is the seed survey's
/// `smooth = 0.1` (tf.nn.sigmoid_cross_entropy_with_logits with labels 1 − smooth); set 0
/// for the unsmoothed objective of the DCGAN paper.
class NonSaturating {
 public:
  struct Options {
    double smoothing = 0.1;  ///< s: real targets are 1 − s (one-sided)
  };
  /// Training settings: Adam(2·10⁻⁴, β₁ = 0.5), DCGAN's settings (Radford et al. 2016, section 4).
  static constexpr Recipe recipe{.learning_rate = 2e-4, .beta1 = 0.5, .beta2 = 0.999};
  static constexpr bool autoencoder = false;

  NonSaturating() : NonSaturating(Options{}) {}
  explicit NonSaturating(Options o) : m_options(o) {
    GAN_CHECK(o.smoothing >= 0 && o.smoothing < 1,
              "NonSaturating: smoothing must be in [0, 1), got ", o.smoothing);
  }
  const Options& options() const { return m_options; }

  template <class T>
  DiscriminatorLoss discriminator(Batch<T> real, Batch<T> fake, TensorView<T> d_real,
                                  TensorView<T> d_fake) {
    using detail::cross_entropy, detail::sigmoid;
    const double target = 1 - m_options.smoothing;
    double lr = detail::mean_with_gradient(real.output, d_real, [&](double l) {
      return std::pair{cross_entropy(l, target), sigmoid(l) - target};
    });
    double lf = detail::mean_with_gradient(fake.output, d_fake, [](double l) {
      return std::pair{cross_entropy(l, 0), sigmoid(l)};
    });
    return {lr + lf, detail::mean_of(real.output, sigmoid), detail::mean_of(fake.output, sigmoid)};
  }

  template <class T>
  double generator(Batch<T> fake, TensorView<T> d_out, TensorView<T>) {
    using detail::sigmoid, detail::softplus;
    return detail::mean_with_gradient(fake.output, d_out, [](double l) {
      return std::pair{softplus(-l), sigmoid(l) - 1};
    });
  }

  /// log p_data(x)/p_g(x) as D's logit l estimates it. With real targets 1 − s the
  /// optimal D is q = σ(l) = (1 − s)·p_data/(p_data + p_g), so p_data/p_g = q/(1 − s − q):
  /// log σ(l) − log(σ(−l) − s), +∞ where q ≥ 1 − s (more confident than the optimum),
  /// and l itself when s = 0. RejectionSampler reads it.
  double log_density_ratio(double logit) const {
    const double rest = detail::sigmoid(-logit) - m_options.smoothing;  // 1 − s − q
    if (rest <= 0) return std::numeric_limits<double>::infinity();
    return -detail::softplus(-logit) - std::log(rest);
  }

  void after_discriminator_step(const DiscriminatorLoss&) {}
  void report(StepStats&) const {}
  template <class F>
  void for_each_state(F&&) {}

 private:
  Options m_options;
};

static_assert(Loss<NonSaturating>);

}  // namespace gan::loss
