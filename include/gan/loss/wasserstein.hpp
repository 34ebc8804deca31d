// Wasserstein: the critic objective of WGAN (Arjovsky et al., "Wasserstein GAN",
// ICML 2017, Algorithm 1) and WGAN-GP (Gulrajani et al. 2017).
#pragma once

#include <optional>
#include <string_view>

#include "gan/loss/concept.hpp"
#include "gan/loss/elementwise.hpp"
#include "gan/recipe.hpp"

namespace gan::loss {

/// L_D = mean D(G(z)) − mean D(x),  L_G = −mean D(G(z)), on raw critic scores. The
/// critic must be kept Lipschitz by a penalty (WeightClip, GradientPenalty); −L_D then
/// estimates the Wasserstein-1 distance, reported as StepStats::wasserstein.
class Wasserstein {
 public:
  struct Options {};
  /// Training settings: none of its own: the penalty (WeightClip, GradientPenalty) brings the
  /// paper's.
  static constexpr Recipe recipe{};
  static constexpr bool autoencoder = false;

  explicit Wasserstein(Options = {}) {}

  template <class T>
  DiscriminatorLoss discriminator(Batch<T> real, Batch<T> fake, TensorView<T> d_real,
                                  TensorView<T> d_fake) {
    double lr = detail::mean_with_gradient(real.output, d_real, [](double x) {
      return std::pair{-x, -1.0};
    });
    double lf = detail::mean_with_gradient(fake.output, d_fake, [](double x) {
      return std::pair{x, 1.0};
    });
    m_estimate = -(lr + lf);
    return {lr + lf, -lr, lf};
  }

  template <class T>
  double generator(Batch<T> fake, TensorView<T> d_out, TensorView<T>) {
    return detail::mean_with_gradient(fake.output, d_out, [](double x) {
      return std::pair{-x, -1.0};
    });
  }

  void after_discriminator_step(const DiscriminatorLoss&) {}
  void report(StepStats& s) const { s.wasserstein = m_estimate; }
  template <class F>
  void for_each_state(F&&) {}

 private:
  double m_estimate = 0;  // of the last critic update
};

static_assert(Loss<Wasserstein>);

}  // namespace gan::loss
