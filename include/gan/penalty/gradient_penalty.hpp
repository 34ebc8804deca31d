// GradientPenalty: WGAN-GP (Gulrajani et al., "Improved Training of Wasserstein GANs",
// NIPS 2017, Algorithm 1: λ = 10, n_critic = 5, Adam α = 10⁻⁴, β₁ = 0, β₂ = 0.9).
#pragma once

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/penalty/gradient_norm.hpp"
#include "gan/recipe.hpp"

namespace gan::penalty {

/// λ·E[(‖∇D(x̂)‖₂ − 1)²] at x̂ = εx + (1 − ε)G(z), with one ε ~ U[0, 1) per sample.
/// The recipe takes Adam's betas from the paper's Algorithm 1 (0, 0.9); the authors'
/// MNIST code used (0.5, 0.9): set beta1 in the options to follow it.
class GradientPenalty {
 public:
  struct Options {
    double lambda = 10.0;    ///< λ
    double epsilon = 1e-12;  ///< inside the norm's square root
  };
  static constexpr Recipe recipe{.learning_rate = 1e-4, .beta1 = 0.0, .beta2 = 0.9, .n_critic = 5};
  static constexpr bool needs_second_order = true;

  GradientPenalty() : GradientPenalty(Options{}) {}
  explicit GradientPenalty(Options o) : m_options(o) {
    GAN_CHECK(o.lambda >= 0, "GradientPenalty: lambda must be >= 0, got ", o.lambda);
  }
  const Options& options() const { return m_options; }

  template <class D, class T = typename D::Scalar>
  double apply(D& d, ConstView<T> real, ConstView<T> fake, Index data_features, Rng& rng,
               Workspace<T>& ws) {
    GAN_CHECK(real.shape() == fake.shape(), "GradientPenalty: real batch ", real.shape(),
              " and fake batch ", fake.shape(), " differ");
    ws.points.resize(real.shape());
    for (Index i = 0; i < real.n(); ++i) {
      const T eps = static_cast<T>(rng.uniform());
      const T* x = real.sample(i);
      const T* g = fake.sample(i);
      T* p = ws.points.view().sample(i);
      for (Index k = 0; k < data_features; ++k) p[k] = eps * x[k] + (T(1) - eps) * g[k];
      for (Index k = data_features; k < real.features(); ++k) p[k] = x[k];  // labels
    }
    return detail::gradient_norm_penalty(d, ws, data_features, m_options.epsilon,
                                         detail::unit_norm_penalty(m_options.lambda));
  }
  template <class D>
  void after_step(D&) {}
  /// 32-bit random values apply() draws for n samples: one uniform (two) a sample, in
  /// sample order, so that ranks can each draw their rows' part (model.hpp).
  static Index random_values(Index n, Index) { return 2 * n; }

 private:
  Options m_options;
};

}  // namespace gan::penalty
