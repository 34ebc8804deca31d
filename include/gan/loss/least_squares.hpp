// LeastSquares: the LSGAN objective (Mao et al., "Least Squares Generative Adversarial
// Networks", ICCV 2017, eq. 2).
#pragma once

#include <cmath>
#include <limits>
#include <string_view>

#include "gan/core/error.hpp"

#include "gan/loss/concept.hpp"
#include "gan/loss/elementwise.hpp"
#include "gan/recipe.hpp"

namespace gan::loss {

/// L_D = ½ mean (D(x) − b)² + ½ mean (D(G(z)) − a)²,  L_G = ½ mean (D(G(z)) − c)²,
/// on raw outputs. Defaults a = 0, b = 1, c = 1 (the paper's eq. 9 choice b − c = 0 gives
/// samples near the decision boundary; a = −1, b = 1, c = 0 satisfies its Pearson χ²
/// condition b − c = 1, b − a = 2).
class LeastSquares {
 public:
  struct Options {
    double a = 0;  ///< target of D on fakes
    double b = 1;  ///< target of D on reals
    double c = 1;  ///< the value G wants D to give its fakes
  };
  /// Training settings: Adam(2·10⁻⁴, β₁ = 0.5) as the LSGAN paper.
  static constexpr Recipe recipe{.learning_rate = 2e-4, .beta1 = 0.5, .beta2 = 0.999};
  static constexpr bool autoencoder = false;

  LeastSquares() : LeastSquares(Options{}) {}
  explicit LeastSquares(Options o) : m_options(o) {}
  const Options& options() const { return m_options; }

 private:
  // Defined before its uses: clang does not deduce a return type from a later definition.
  /// ℓ(x) = ½(x − t)², ℓ'(x) = x − t
  static auto square_to(double t) {
    return [t](double x) { return std::pair{0.5 * (x - t) * (x - t), x - t}; };
  }

 public:
  template <class T>
  DiscriminatorLoss discriminator(Batch<T> real, Batch<T> fake, TensorView<T> d_real,
                                  TensorView<T> d_fake) {
    double lr = detail::mean_with_gradient(real.output, d_real, square_to(m_options.b));
    double lf = detail::mean_with_gradient(fake.output, d_fake, square_to(m_options.a));
    return {lr + lf, detail::mean_of(real.output, detail::raw),
            detail::mean_of(fake.output, detail::raw)};
  }

  template <class T>
  double generator(Batch<T> fake, TensorView<T> d_out, TensorView<T>) {
    return detail::mean_with_gradient(fake.output, d_out, square_to(m_options.c));
  }

  /// log p_data(x)/p_g(x) as D's output v estimates it. The optimal D is
  /// (b·p_data + a·p_g)/(p_data + p_g) (Mao et al. 2017, Proposition 1), so with
  /// t = (v − a)/(b − a), p_data/p_g = t/(1 − t): −∞ for t ≤ 0, +∞ for t ≥ 1.
  /// RejectionSampler reads it.
  double log_density_ratio(double output) const {
    GAN_CHECK(m_options.a != m_options.b, "LeastSquares: targets a and b are equal (", m_options.a,
              "): D's output says nothing about the density ratio");
    const double t = (output - m_options.a) / (m_options.b - m_options.a);
    if (t <= 0) return -std::numeric_limits<double>::infinity();
    if (t >= 1) return std::numeric_limits<double>::infinity();
    return std::log(t) - std::log1p(-t);
  }

  void after_discriminator_step(const DiscriminatorLoss&) {}
  void report(StepStats&) const {}
  template <class F>
  void for_each_state(F&&) {}

 private:
  Options m_options;
};

static_assert(Loss<LeastSquares>);

}  // namespace gan::loss
