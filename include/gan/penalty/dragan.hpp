// Dragan: DRAGAN's penalty (Kodali et al., "On Convergence and Stability of GANs", 2017),
// as "Are GANs Created Equal?" (Lucic et al. 2018) ran it: λ = 10 around the data.
#pragma once

#include <cmath>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/penalty/gradient_norm.hpp"
#include "gan/recipe.hpp"

namespace gan::penalty {

/// λ·E[(‖∇D(x̂)‖₂ − 1)²] at x̂ = x + α·δ, δ = c·std(x)·U[0, 1) per value and α ~ U[0, 1)
/// per sample (std over the whole real batch, c = 0.5): the gradient is kept at 1 in a
/// neighbourhood of the data rather than between data and fakes.
class Dragan {
 public:
  struct Options {
    double lambda = 10.0;    ///< λ
    double spread = 0.5;     ///< c, the perturbation's scale in units of std(x)
    double epsilon = 1e-12;  ///< inside the norm's square root
  };
  static constexpr Recipe recipe{.learning_rate = 1e-4, .beta1 = 0.5, .beta2 = 0.9};
  static constexpr bool needs_second_order = true;

  Dragan() : Dragan(Options{}) {}
  explicit Dragan(Options o) : m_options(o) {
    GAN_CHECK(o.lambda >= 0, "Dragan: lambda must be >= 0, got ", o.lambda);
    GAN_CHECK(o.spread > 0, "Dragan: spread must be > 0, got ", o.spread);
  }
  const Options& options() const { return m_options; }

  template <class D, class T = typename D::Scalar>
  double apply(D& d, ConstView<T> real, ConstView<T>, Index data_features, Rng& rng,
               Workspace<T>& ws) {
    const double scale = m_options.spread * standard_deviation(real, data_features);
    ws.points.resize(real.shape());
    for (Index i = 0; i < real.n(); ++i) {
      const double alpha = rng.uniform();
      const T* x = real.sample(i);
      T* p = ws.points.view().sample(i);
      for (Index k = 0; k < data_features; ++k)
        p[k] = static_cast<T>(x[k] + alpha * scale * rng.uniform());
      for (Index k = data_features; k < real.features(); ++k) p[k] = x[k];  // labels
    }
    return detail::gradient_norm_penalty(d, ws, data_features, m_options.epsilon,
                                         detail::unit_norm_penalty(m_options.lambda));
  }
  template <class D>
  void after_step(D&) {}
  /// 32-bit random values apply() draws for n samples: 1 + data_features uniforms (two
  /// values each) a sample, in sample order, so that ranks can each draw their rows' part.
  static Index random_values(Index n, Index data_features) { return 2 * n * (1 + data_features); }

 private:
  /// Population standard deviation of the data values of the batch (numpy's x.std()).
  template <class T>
  static double standard_deviation(ConstView<T> x, Index data_features) {
    double sum = 0, sq = 0;
    const double count = static_cast<double>(x.n() * data_features);
    for (Index i = 0; i < x.n(); ++i)
      for (Index k = 0; k < data_features; ++k) sum += x.sample(i)[k];
    const double mean = sum / count;
    for (Index i = 0; i < x.n(); ++i)
      for (Index k = 0; k < data_features; ++k) {
        double dv = x.sample(i)[k] - mean;
        sq += dv * dv;
      }
    return std::sqrt(sq / count);
  }

  Options m_options;
};

}  // namespace gan::penalty
