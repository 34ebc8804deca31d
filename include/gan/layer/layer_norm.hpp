// LayerNorm: layer normalization (Ba, Kiros & Hinton, "Layer Normalization", 2016), as
// PyTorch's nn.LayerNorm([C, H, W]) with an element-wise affine map. Gulrajani et al.
// ("Improved Training of Wasserstein GANs", 2017) use it in the WGAN-GP critic in place of
// BatchNorm, whose batch statistics a per-sample gradient penalty cannot go through.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"
#include "gan/simd/reduce.hpp"

namespace gan::layer {

/// Normalizes each sample over all its F = C·H·W values, then scales and shifts each
/// value: y = γ ⊙ (x − μ) / √(σ² + ε) + β, with μ and the biased σ² of the sample.
/// Takes any input with F features (a dense N×F batch or images N×C×H×W with C·H·W = F).
///
/// Parameters, in order: γ (F, initialized to 1), then β (F, initialized to 0).
///
/// Twice differentiable, with a curvature term (its input gradient depends on x).
template <class T>
class LayerNorm {
 public:
  using Scalar = T;
  static constexpr bool has_curvature = true;
  static constexpr bool reads_output = false;

  explicit LayerNorm(Index features, double eps = 1e-5) : m_features(features), m_eps(eps) {
    GAN_CHECK(features > 0, "LayerNorm(", features, "): feature count must be positive");
    GAN_CHECK(eps > 0, "LayerNorm(", features, "): eps must be positive, got ", eps);
  }

  std::string name() const { return core::detail::concat("LayerNorm(", m_features, ")"); }
  Index features() const { return m_features; }
  double eps() const { return m_eps; }

  Shape output_shape(Shape in) const {
    GAN_CHECK(in.features() == m_features, name(), " expects ", m_features,
              " features per sample, got ", in.features(), " (shape ", in, ")");
    return in;
  }

  Index parameter_count() const { return 2 * m_features; }
  void bind_parameters(T* values, T* grads) {
    m_values = values;
    m_grads = grads;
  }
  void initialize(Rng&) {
    std::fill(m_values, m_values + m_features, T(1));
    std::fill(m_values + m_features, m_values + 2 * m_features, T(0));
  }

  std::span<T> gamma() const { return {m_values, size()}; }
  std::span<T> beta() const { return {m_values + m_features, size()}; }

  void forward(ConstView<T> x, TensorView<T> y) {
    const T* gamma = m_values;
    const T* beta = m_values + m_features;
    for_samples(x.n(), [&](Index i) {
      const Stats s = stats(x.sample(i));
      const T* xi = x.sample(i);
      T* yi = y.sample(i);
      for (Index k = 0; k < m_features; ++k) yi[k] = gamma[k] * ((xi[k] - s.mean) * s.r) + beta[k];
    });
  }

  // With x̂ = (x − μ) r, r = 1/√(σ² + ε), ⟨·⟩ the mean over the F values of a sample:
  //   ∂x̂/∂x = r Π,  Π = I − 11ᵀ/F − x̂x̂ᵀ/F  (symmetric),
  // so with g = γ ⊙ dy:  dx = r Π g = r (g − ⟨g⟩ − x̂ ⟨g x̂⟩).
  // One pass for the sums (the moments of x with them), one for dx.
  void backward(ConstView<T> x, ConstView<T>, ConstView<T> dy, TensorView<T> dx) {
    const T* gamma = m_values;
    const double f = static_cast<double>(m_features);
    for_samples(x.n(), [&](Index i) {
      const T* xi = x.sample(i);
      const T* gi = dy.sample(i);
      const double x0 = xi[0];
      // Σd, Σd², Σg, Σg d with d = x − x₀
      const auto sums = simd::lane_sums<4>(m_features, [&](auto at) {
        const auto d = at(xi) - x0, g = at(gamma) * at(gi);
        return std::array{d, d * d, g, g * d};
      });
      const Stats s = stats(sums[0], sums[1], x0);
      const double centre = static_cast<double>(s.mean) - x0;
      const T g_mean = static_cast<T>(sums[2] / f);
      const T gx_mean = static_cast<T>(s.r * (sums[3] - centre * sums[2]) / f);
      T* out = dx.sample(i);
      for (Index k = 0; k < m_features; ++k) {
        const T xhat = (xi[k] - s.mean) * s.r;
        out[k] = s.r * (gamma[k] * gi[k] - g_mean - xhat * gx_mean);
      }
    });
  }

  /// dγ += Σ_n dy ⊙ x̂, dβ += Σ_n dy; samples in order.
  void accumulate_grad(ConstView<T> x, ConstView<T> dy) {
    T* dgamma = m_grads;
    T* dbeta = m_grads + m_features;
    for (Index i = 0; i < x.n(); ++i) {
      const T* xi = x.sample(i);
      const T* gi = dy.sample(i);
      const Stats s = stats(xi);  // a pass of its own: the update below needs μ and r
      for (Index k = 0; k < m_features; ++k) {
        dgamma[k] += gi[k] * ((xi[k] - s.mean) * s.r);
        dbeta[k] += gi[k];
      }
    }
  }

  // The input gradient is B(x, γ, dy) = r Π g with g = γ ⊙ dy (see backward). Given
  // u = ∂P/∂B, per sample, with w = r Π u = r (u − ⟨u⟩ − x̂ ⟨u x̂⟩) and dx = B:
  //   du_dy = (∂B/∂dy)ᵀ u = γ ⊙ r Π u = γ ⊙ w   (Π symmetric; the forward-mode product
  //           (∂y/∂x) u without β);
  //   ∂P/∂γ = dy ⊙ w                              (B reads γ only through g; β not at all);
  //   curvature = ∂(uᵀ B)/∂x with g held fixed. From uᵀB = r (Σug − F⟨u⟩⟨g⟩ − F⟨ux̂⟩⟨gx̂⟩),
  //           ∂r/∂x = −r² x̂/F and ∂⟨v x̂⟩/∂x = r Π v / F:
  //           curvature = −r ( (u·dx)/F · x̂ + ⟨g x̂⟩ w + ⟨u x̂⟩ dx ),
  //           u·dx = r (Σug − F⟨u⟩⟨g⟩ − F⟨ux̂⟩⟨gx̂⟩).
  // The γ term runs over the samples in order, so this pass stays on one thread. Per
  // sample: one pass for the sums, one for the outputs.
  void backward_backward(ConstView<T> x, ConstView<T>, ConstView<T> dy, ConstView<T> u,
                         TensorView<T> du_dy, TensorView<T> curvature) {
    const T* gamma = m_values;
    T* dgamma = m_grads;
    const double f = static_cast<double>(m_features);
    for (Index i = 0; i < x.n(); ++i) {
      const T* xi = x.sample(i);
      const T* gi = dy.sample(i);
      const T* ui = u.sample(i);
      const double x0 = xi[0];
      // Σd, Σd², Σg, Σg d, Σu, Σu d, Σu g with d = x − x₀
      const auto sums = simd::lane_sums<7>(m_features, [&](auto at) {
        const auto d = at(xi) - x0, g = at(gamma) * at(gi), uk = at(ui);
        return std::array{d, d * d, g, g * d, uk, uk * d, uk * g};
      });
      const Stats s = stats(sums[0], sums[1], x0);
      const double r = s.r, centre = static_cast<double>(s.mean) - x0;
      const double g_mean = sums[2] / f, gx_mean = r * (sums[3] - centre * sums[2]) / f;
      const double u_mean = sums[4] / f, ux_mean = r * (sums[5] - centre * sums[4]) / f;
      const double u_dot_dx = r * (sums[6] - f * u_mean * g_mean - f * ux_mean * gx_mean);
      const T c_xhat = static_cast<T>(-r * u_dot_dx / f);
      const T c_w = static_cast<T>(-r * gx_mean), c_dx = static_cast<T>(-r * ux_mean);
      const T tg_mean = static_cast<T>(g_mean), tgx_mean = static_cast<T>(gx_mean);
      const T tu_mean = static_cast<T>(u_mean), tux_mean = static_cast<T>(ux_mean);
      T* adj = du_dy.sample(i);
      T* curv = curvature.sample(i);
      for (Index k = 0; k < m_features; ++k) {
        const T xhat = (xi[k] - s.mean) * s.r;
        const T w = s.r * (ui[k] - tu_mean - xhat * tux_mean);
        const T dxk = s.r * (gamma[k] * gi[k] - tg_mean - xhat * tgx_mean);
        adj[k] = gamma[k] * w;
        dgamma[k] += gi[k] * w;
        curv[k] = c_xhat * xhat + c_w * w + c_dx * dxk;
      }
    }
  }

 private:
  /// μ and r = 1/√(σ² + ε) of one sample.
  struct Stats {
    T mean;
    T r;
  };
  Stats stats(const T* x) const { return from_moments(simd::moments(x, m_features)); }
  /// The same from the sums Σd and Σd² of d = x − x₀ that a fused pass collected.
  Stats stats(double sum, double sum_sq, double x0) const {
    return from_moments(simd::shifted_moments(sum, sum_sq, x0, static_cast<double>(m_features)));
  }
  Stats from_moments(simd::Moments m) const {
    return {static_cast<T>(m.mean), static_cast<T>(1.0 / std::sqrt(m.variance + m_eps))};
  }

  std::size_t size() const { return static_cast<std::size_t>(m_features); }

  /// Runs f(i) for each sample; samples are independent, so any split between threads
  /// gives the same result.
  template <class F>
  void for_samples(Index n, F&& f) const {
    [[maybe_unused]] const bool parallel = n * m_features >= (Index(1) << 15);
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (parallel)
#endif
    for (Index i = 0; i < n; ++i) f(i);
  }

  Index m_features;
  double m_eps;
  T* m_values = nullptr;  // γ (F), β (F)
  T* m_grads = nullptr;   // dγ (F), dβ (F)
};

static_assert(TwiceDifferentiable<LayerNorm<float>>);

}  // namespace gan::layer
