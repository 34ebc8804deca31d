// BoundaryEquilibrium: the BEGAN objective (Berthelot et al., "BEGAN: Boundary
// Equilibrium Generative Adversarial Networks", 2017, section 3.3).
#pragma once

#include <algorithm>
#include <cmath>
#include <string_view>

#include "gan/core/error.hpp"
#include "gan/loss/concept.hpp"
#include "gan/recipe.hpp"

namespace gan::loss {

/// D is an autoencoder; L(v) = mean |v − D(v)| is its reconstruction loss (η = 1).
///   L_D = L(x) − k_t·L(G(z)),   L_G = L(G(z)),
///   k_{t+1} = clip(k_t + λ_k (γ L(x) − L(G(z))), 0, 1)  after each discriminator update,
///   M_global = L(x) + |γ L(x) − L(G(z))|  (the convergence measure of section 3.4.1).
/// Defaults γ = 0.75, λ_k = 0.001, k_0 = 0. At v = D(v) the subgradient 0 is used.
class BoundaryEquilibrium {
 public:
  struct Options {
    double gamma = 0.75;      ///< diversity ratio γ = E[L(G(z))] / E[L(x)] at equilibrium
    double lambda_k = 0.001;  ///< proportional gain of the k_t controller
    double k0 = 0.0;          ///< initial k
  };
  /// Training settings: Adam(10⁻⁴) as the BEGAN paper (section 4.1), β₁ = 0.5.
  static constexpr Recipe recipe{.learning_rate = 1e-4, .beta1 = 0.5, .beta2 = 0.999};
  static constexpr bool autoencoder = true;

  BoundaryEquilibrium() : BoundaryEquilibrium(Options{}) {}
  explicit BoundaryEquilibrium(Options o) : m_options(o), m_k(o.k0) {
    GAN_CHECK(o.gamma > 0 && o.gamma <= 1, "BoundaryEquilibrium: gamma must be in (0, 1], got ",
              o.gamma);
    GAN_CHECK(o.lambda_k >= 0, "BoundaryEquilibrium: lambda_k must be >= 0, got ", o.lambda_k);
    GAN_CHECK(o.k0 >= 0 && o.k0 <= 1, "BoundaryEquilibrium: k0 must be in [0, 1], got ", o.k0);
  }
  const Options& options() const { return m_options; }
  /// k_t, the weight of the fake reconstruction loss in L_D.
  double k() const { return m_k; }

  template <class T>
  DiscriminatorLoss discriminator(Batch<T> real, Batch<T> fake, TensorView<T> d_real,
                                  TensorView<T> d_fake) {
    double lx = reconstruction(real, d_real, 1.0, {});
    double lg = reconstruction(fake, d_fake, -m_k, {});
    return {lx - m_k * lg, lx, lg};
  }

  template <class T>
  double generator(Batch<T> fake, TensorView<T> d_out, TensorView<T> d_in) {
    return reconstruction(fake, d_out, 1.0, d_in);
  }

  void after_discriminator_step(const DiscriminatorLoss& l) {
    double balance = m_options.gamma * l.real - l.fake;
    m_k = std::clamp(m_k + m_options.lambda_k * balance, 0.0, 1.0);
    m_m_global = l.real + std::abs(balance);
  }
  void report(StepStats& s) const {
    s.k = m_k;
    s.m_global = m_m_global;
  }
  template <class F>
  void for_each_state(F&& f) {
    f(std::string_view("k"), m_k);
    f(std::string_view("m_global"), m_m_global);
  }

 private:
  /// Returns L(v) = mean |v − D(v)|; writes scale·∂L/∂D(v) into d_out and, when d_in is
  /// not empty, scale·∂L/∂v (the direct path) into d_in.
  template <class T>
  static double reconstruction(Batch<T> b, TensorView<T> d_out, double scale, TensorView<T> d_in) {
    const Index count = b.output.size();
    GAN_CHECK(b.input.size() == count, "BoundaryEquilibrium: D's output (", b.output.shape(),
              ") is not shaped like its input (", b.input.shape(), ")");
    double sum = 0;
    const double step = scale / static_cast<double>(count);
    for (Index i = 0; i < count; ++i) {
      double diff = static_cast<double>(b.output[i]) - static_cast<double>(b.input[i]);
      sum += std::abs(diff);
      double s = diff > 0 ? step : (diff < 0 ? -step : 0.0);
      d_out[i] = static_cast<T>(s);
      if (!d_in.empty()) d_in[i] = static_cast<T>(-s);
    }
    return sum / static_cast<double>(count);
  }

  Options m_options;
  double m_k;
  double m_m_global = 0;
};

static_assert(Loss<BoundaryEquilibrium>);

}  // namespace gan::loss
