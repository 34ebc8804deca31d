// The toy data sets of the quality protocols: ring8 and grid25, the 2D mixtures of the
// PacGAN (Lin et al. 2018) and VEEGAN (Srivastava et al. 2017) experiments, and gauss1d,
// the 1D Gaussian N(4, 0.5) of Goodfellow et al. 2014, Figure 1.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <string_view>
#include <utility>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/data/dataset.hpp"
#include "gan/data/mixture.hpp"

namespace gan::data {

/// 8 Gaussians on the unit circle at angles 2πi/8, σ = 0.01.
inline Mixture ring8() {
  Mixture m{"ring8", 2, 0.01, {}};
  for (int i = 0; i < 8; ++i) {
    double angle = 2.0 * std::numbers::pi * i / 8.0;
    m.centres.push_back(std::cos(angle));
    m.centres.push_back(std::sin(angle));
  }
  return m;
}

/// 25 Gaussians at {−4, −2, 0, 2, 4}², σ = 0.05 (x varies slowest).
inline Mixture grid25() {
  Mixture m{"grid25", 2, 0.05, {}};
  for (int i = -2; i <= 2; ++i)
    for (int j = -2; j <= 2; ++j) {
      m.centres.push_back(2.0 * i);
      m.centres.push_back(2.0 * j);
    }
  return m;
}

/// One Gaussian N(4, 0.5) in one dimension (σ = 0.5).
inline Mixture gauss1d() {
  return Mixture{"gauss1d", 1, 0.5, {4.0}};
}

/// The toy mixture called `name` ("ring8", "grid25" or "gauss1d").
inline Mixture toy_mixture(std::string_view name) {
  if (name == "ring8") return ring8();
  if (name == "grid25") return grid25();
  if (name == "gauss1d") return gauss1d();
  core::fail("unknown toy data set '", name, "': expected ring8, grid25 or gauss1d");
}

/// Fills out (N×dim) with samples of m: each picks a component uniformly, then adds
/// N(0, σ²) noise to every coordinate of its centre. Draws from rng in sample order.
template <class T>
void sample_mixture(const Mixture& m, Rng& rng, TensorView<T> out) {
  m.validate();
  GAN_CHECK(out.features() == m.dim, "mixture ", m.name, " has dimension ", m.dim, ": output of ",
            out.shape());
  auto modes = static_cast<std::uint64_t>(m.modes());
  for (Index i = 0; i < out.n(); ++i) {
    auto c = m.centre(static_cast<Index>(rng.below(modes)));
    for (Index d = 0; d < m.dim; ++d) out(i, d) = static_cast<T>(rng.normal(c[d], m.sigma));
  }
}

/// n samples of m (n×dim).
template <class T>
Tensor<T> sample_mixture(const Mixture& m, Index n, Rng& rng) {
  GAN_CHECK(n >= 0, "mixture ", m.name, ": sample count ", n, ": expected >= 0");
  m.validate();
  Tensor<T> x(core::features(n, m.dim));
  sample_mixture(m, rng, x.view());
  return x;
}

/// An unlabeled data set of n samples of m, drawn from stream Stream::data of `seed`.
template <class T>
Dataset<T> toy_dataset(const Mixture& m, Index n, std::uint64_t seed) {
  Rng rng(seed, Stream::data);
  return Dataset<T>(m.name, sample_mixture<T>(m, n, rng));
}

}  // namespace gan::data
