// ModeCoverage: modes captured, high-quality fraction and reverse KL of samples from a
// mixture of isotropic Gaussians with known centres (the toy ring and grid protocol).
#pragma once

// Samples first: it brings Eigen through gan/core/eigen.hpp (GCC 12 workaround, see there).
#include "gan/metric/samples.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"

namespace gan::metric {

/// What ModeCoverage reports for one set of samples.
struct ModeCoverageScore {
  Index modes = 0;  ///< modes captured: nearest centre of at least one HQ sample
  double hq = 0;    ///< fraction of the samples that are high quality, in [0, 1]
  /// KL(HQ histogram ‖ uniform) in nats; NaN when no sample is HQ (there is no histogram).
  double reverse_kl = std::numeric_limits<double>::quiet_NaN();
  std::vector<Index> hq_counts;  ///< (K) HQ samples whose nearest centre is mode k
};

/// The mode-collapse yardstick of VEEGAN (Srivastava et al., "VEEGAN: Reducing Mode
/// Collapse in GANs using Implicit Variational Learning", NeurIPS 2017, Section 5.1) and
/// PacGAN (Lin et al., "PacGAN: The power of two samples in generative adversarial
/// networks", NeurIPS 2018, Section 4.1, Table 1), for data drawn from K isotropic
/// Gaussians N(c_k, σ²I) of equal weight. For each sample x:
///
///   nearest(x) = argmin_k ‖x − c_k‖₂        (ties: the lowest k)
///   HQ(x)      = ‖x − nearest(x)‖₂ ≤ 3σ     (the multiple 3 is a constructor argument)
///
/// modes = #{k : some HQ sample has nearest(x) = k}; hq = #HQ / n; with p_k the fraction of
/// the HQ samples whose nearest centre is k,
///
///   reverse_kl = KL(p ‖ uniform) = Σ_{k: p_k > 0} p_k · ln(p_k · K)      (natural log)
///
/// which is 0 for an even spread and ln(K / m) for an even spread over m modes. A perfect
/// sampler of a 2D mixture has hq ≈ 1 − e^{−4.5} = 98.89% (1D: 99.73%) once the modes are
/// far apart compared with σ.
class ModeCoverage {
 public:
  /// centres: K×D, one mode a row; sigma: the modes' standard deviation (> 0).
  ModeCoverage(Samples centres, double sigma, double hq_sigmas = 3.0)
      : m_centres(centres.to_matrix()), m_sigma(sigma), m_hq_sigmas(hq_sigmas) {
    GAN_CHECK(m_centres.rows() >= 1 && m_centres.cols() >= 1,
              "ModeCoverage: needs at least one centre of at least one dimension, got ",
              m_centres.rows(), "x", m_centres.cols());
    GAN_CHECK(sigma > 0 && std::isfinite(sigma), "ModeCoverage: sigma must be positive, got ",
              sigma);
    GAN_CHECK(hq_sigmas > 0 && std::isfinite(hq_sigmas),
              "ModeCoverage: the HQ radius in sigmas must be positive, got ", hq_sigmas);
  }

  /// Number of modes K.
  Index modes() const { return m_centres.rows(); }
  /// Dimension D of the points.
  Index dimension() const { return m_centres.cols(); }
  double sigma() const { return m_sigma; }
  /// The HQ radius, hq_sigmas · σ.
  double hq_radius() const { return m_hq_sigmas * m_sigma; }

  /// Scores n ≥ 1 samples of dimension D. Throws gan::Error for another dimension, no
  /// samples, or a non-finite value.
  ModeCoverageScore score(Samples samples) const {
    GAN_CHECK(samples.features() == dimension(), "ModeCoverage: samples have ", samples.features(),
              " features, the centres ", dimension());
    GAN_CHECK(samples.n() >= 1, "ModeCoverage: no samples to score");
    const RowMatrix x = samples.to_matrix();  // (n, D)
    const double radius2 = hq_radius() * hq_radius();
    ModeCoverageScore s;
    s.hq_counts.assign(static_cast<std::size_t>(modes()), 0);
    Index hq = 0;
    for (Index i = 0; i < x.rows(); ++i) {
      Index best = 0;
      double best2 = std::numeric_limits<double>::infinity();
      for (Index k = 0; k < modes(); ++k) {
        const double d2 = (x.row(i) - m_centres.row(k)).squaredNorm();
        if (d2 < best2) {
          best2 = d2;
          best = k;
        }
      }
      if (best2 <= radius2) {
        ++hq;
        ++s.hq_counts[static_cast<std::size_t>(best)];
      }
    }
    s.hq = static_cast<double>(hq) / static_cast<double>(x.rows());
    if (hq > 0) {
      s.reverse_kl = 0;
      for (Index c : s.hq_counts) {
        if (c == 0) continue;
        ++s.modes;
        const double p = static_cast<double>(c) / static_cast<double>(hq);
        s.reverse_kl += p * std::log(p * static_cast<double>(modes()));
      }
    }
    return s;
  }

 private:
  RowMatrix m_centres;  // (K, D)
  double m_sigma;
  double m_hq_sigmas;
};

}  // namespace gan::metric
