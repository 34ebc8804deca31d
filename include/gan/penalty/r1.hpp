// R1: the zero-centred gradient penalty on real data (Mescheder et al., "Which Training
// Methods for GANs do actually Converge?", ICML 2018, eq. 9).
#pragma once

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/penalty/gradient_norm.hpp"
#include "gan/recipe.hpp"

namespace gan::penalty {

/// γ/2 · E[‖∇D(x)‖²] on the real batch.
class R1 {
 public:
  struct Options {
    double gamma = 10.0;  ///< γ
  };
  static constexpr Recipe recipe{};
  static constexpr bool needs_second_order = true;

  R1() : R1(Options{}) {}
  explicit R1(Options o) : m_options(o) {
    GAN_CHECK(o.gamma >= 0, "R1: gamma must be >= 0, got ", o.gamma);
  }
  const Options& options() const { return m_options; }

  template <class D, class T = typename D::Scalar>
  double apply(D& d, ConstView<T> real, ConstView<T>, Index data_features, Rng&, Workspace<T>& ws) {
    ws.points.resize(real.shape());
    ws.points.view().copy_from(real);
    const double gamma = m_options.gamma;
    // f(‖g‖) = γ/2 ‖g‖², f'(‖g‖)/‖g‖ = γ; no ε is needed, so none is added.
    return detail::gradient_norm_penalty(d, ws, data_features, 0.0, [gamma](double norm) {
      return std::pair{0.5 * gamma * norm * norm, gamma};
    });
  }
  template <class D>
  void after_step(D&) {}

 private:
  Options m_options;
};

}  // namespace gan::penalty
