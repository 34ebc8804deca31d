// WeightClip: WGAN's Lipschitz constraint (Arjovsky et al., "Wasserstein GAN", ICML 2017,
// Algorithm 1: RMSProp α = 5·10⁻⁵, c = 0.01, n_critic = 5).
#pragma once

#include <algorithm>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/penalty/gradient_norm.hpp"
#include "gan/recipe.hpp"

namespace gan::penalty {

/// Clamps every parameter of D to [−c, c] after each critic optimizer step (all of them,
/// normalization scales included, as the authors' code clamps netD.parameters()).
class WeightClip {
 public:
  struct Options {
    double clip = 0.01;  ///< c
  };
  static constexpr Recipe recipe{.learning_rate = 5e-5, .n_critic = 5};
  static constexpr bool needs_second_order = false;

  WeightClip() : WeightClip(Options{}) {}
  explicit WeightClip(Options o) : m_options(o) {
    GAN_CHECK(o.clip > 0, "WeightClip: clip must be > 0, got ", o.clip);
  }
  const Options& options() const { return m_options; }

  template <class D, class T = typename D::Scalar>
  double apply(D&, ConstView<T>, ConstView<T>, Index, Rng&, Workspace<T>&) {
    return 0.0;
  }
  template <class D>
  void after_step(D& d) {
    using T = typename D::Scalar;
    const T c = static_cast<T>(m_options.clip);
    for (T& v : d.parameters()) v = std::clamp(v, -c, c);
  }

 private:
  Options m_options;
};

}  // namespace gan::penalty
