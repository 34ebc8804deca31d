// The Fréchet distance between two sets of features, each summarised by a Gaussian (FID
// when the features are Inception's; here those of any feature network).
#pragma once

// Eigen through gan/core/eigen.hpp, which carries the workaround for GCC 12 (see there).
#include "gan/core/eigen.hpp"
#include "gan/metric/samples.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"

namespace gan::metric {

/// Mean and covariance of a feature set: the summary the Fréchet distance compares.
/// Computed once for a reference set and reused against every generated set.
struct Gaussian {
  Eigen::VectorXd mean;        // (F)
  Eigen::MatrixXd covariance;  // (F, F), unbiased: Σ (x − μ)(x − μ)ᵀ / (n − 1)
  Index samples = 0;           ///< n, the points it was fitted to

  /// Whether the covariance is singular because there are too few points: its rank is at
  /// most n − 1, below the dimension when n ≤ F.
  bool rank_deficient() const { return samples <= mean.size(); }

  /// The mean and unbiased covariance of n ≥ 2 points (as numpy.cov, which the reference
  /// FID code uses). Throws gan::Error for fewer points or a non-finite value.
  static Gaussian fit(Samples points) {
    GAN_CHECK(points.n() >= 2, "Gaussian::fit: needs at least 2 points, got ", points.n());
    GAN_CHECK(points.features() >= 1, "Gaussian::fit: the points have no features");
    RowMatrix x = points.to_matrix();  // (n, F)
    Gaussian g;
    g.samples = x.rows();
    g.mean = x.colwise().mean().transpose();
    x.rowwise() -= g.mean.transpose();
    const Index f = x.cols();
    g.covariance = Eigen::MatrixXd::Zero(f, f);
    g.covariance.selfadjointView<Eigen::Lower>().rankUpdate(x.transpose(),
                                                            1.0 / double(x.rows() - 1));
    g.covariance.triangularView<Eigen::StrictlyUpper>() =
        g.covariance.triangularView<Eigen::StrictlyLower>().transpose();
    return g;
  }
};

/// The Fréchet distance and what to know about its reliability.
struct FrechetResult {
  double distance = 0;  ///< ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2 (Σ1^{1/2} Σ2 Σ1^{1/2})^{1/2}), ≥ 0
  bool rank_deficient = false;  ///< a covariance is singular for lack of points
  std::string warning;          ///< empty, or why the figure is unreliable
};

namespace detail {

/// Eigenvalues and vectors of a symmetric positive semi-definite matrix; eigenvalues
/// below zero (rounding of a singular covariance) are clamped to 0.
inline Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> psd_eigen(const Eigen::MatrixXd& m) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(m);
  GAN_CHECK(es.info() == Eigen::Success,
            "Fréchet distance: eigen-decomposition did not converge (non-finite covariance?)");
  return es;
}

/// S^{1/2} = V diag(√max(λ, 0)) Vᵀ for symmetric positive semi-definite S.
inline Eigen::MatrixXd psd_sqrt(const Eigen::MatrixXd& s) {
  const auto es = psd_eigen(s);
  const Eigen::VectorXd root = es.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return es.eigenvectors() * root.asDiagonal() * es.eigenvectors().transpose();
}

/// The distance between N(m1, Σ1) and N(m2, Σ2) given root1 = Σ1^{1/2}. The product
/// root1 Σ2 root1 is symmetric positive semi-definite and similar to Σ1 Σ2, so the trace
/// of its square root is Tr (Σ1 Σ2)^{1/2}, found from its eigenvalues by a symmetric
/// solver (no complex parts, unlike a general matrix square root of Σ1 Σ2).
inline double frechet_from_root(const Gaussian& g1, const Eigen::MatrixXd& root1,
                                const Gaussian& g2) {
  Eigen::MatrixXd product = root1 * g2.covariance * root1;
  product = 0.5 * (product + product.transpose()).eval();  // exactly symmetric
  const double trace_root = psd_eigen(product).eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
  const double d = (g1.mean - g2.mean).squaredNorm() + g1.covariance.trace() +
                   g2.covariance.trace() - 2 * trace_root;
  return std::max(d, 0.0);  // ≥ 0 in exact arithmetic; rounding may give −1e-13
}

inline void check_pair(const Gaussian& g1, const Gaussian& g2) {
  GAN_CHECK(g1.mean.size() == g2.mean.size() && g1.covariance.rows() == g1.mean.size() &&
                g1.covariance.cols() == g1.mean.size() && g2.covariance.rows() == g2.mean.size() &&
                g2.covariance.cols() == g2.mean.size(),
            "Fréchet distance: feature dimensions differ (", g1.mean.size(), " and ",
            g2.mean.size(), ") or a covariance is not square");
}

/// The rank warning for a pair of Gaussians (empty when both have enough points).
inline FrechetResult frechet_result(double distance, const Gaussian& g1, const Gaussian& g2) {
  FrechetResult r;
  r.distance = distance;
  const std::pair<const Gaussian*, const char*> sets[] = {{&g1, "first"}, {&g2, "second"}};
  for (const auto& [g, name] : sets) {
    if (!g->rank_deficient()) continue;
    r.rank_deficient = true;
    if (!r.warning.empty()) r.warning += "; ";
    r.warning += core::detail::concat("Fréchet distance: the ", name, " set has ", g->samples,
                                      " points for ", g->mean.size(),
                                      " features, so its covariance is singular (rank at most ",
                                      g->samples - 1, ") and the distance is unreliable");
  }
  return r;
}

}  // namespace detail

/// The Fréchet distance of Heusel et al., "GANs Trained by a Two Time-Scale Update Rule
/// Converge to a Local Nash Equilibrium", NeurIPS 2017 (the FID), between the Gaussians
/// fitted to two feature sets (Gaussian::fit: mean and unbiased covariance):
///
///   d² = ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2 (Σ1^{1/2} Σ2 Σ1^{1/2})^{1/2})
///
/// in double precision: Σ1^{1/2} by a symmetric eigen-decomposition, then the trace of the
/// square root of the symmetric product from its eigenvalues; eigenvalues below 0 are
/// clamped to 0, and so is the result. It is symmetric in its arguments. Reported, as is
/// customary, without a square root. With fewer points than features (n ≤ F) a covariance
/// is singular: the result then carries a warning (the library prints nothing).
inline FrechetResult frechet_distance(const Gaussian& g1, const Gaussian& g2) {
  detail::check_pair(g1, g2);
  return detail::frechet_result(detail::frechet_from_root(g1, detail::psd_sqrt(g1.covariance), g2),
                                g1, g2);
}

/// The Fréchet distance between the Gaussians fitted to two point sets.
inline FrechetResult frechet_distance(Samples a, Samples b) {
  return frechet_distance(Gaussian::fit(a), Gaussian::fit(b));
}

/// A Fréchet yardstick bound to a reference set: its Gaussian and the square root of its
/// covariance are computed once, then each generated set costs one fit and one symmetric
/// eigen-decomposition. frechet(x).distance equals frechet_distance(reference, x).
class FrechetDistance {
 public:
  explicit FrechetDistance(Gaussian reference)
      : m_reference(std::move(reference)), m_root(detail::psd_sqrt(m_reference.covariance)) {}
  explicit FrechetDistance(Samples reference) : FrechetDistance(Gaussian::fit(reference)) {}

  const Gaussian& reference() const { return m_reference; }

  FrechetResult operator()(const Gaussian& generated) const {
    detail::check_pair(m_reference, generated);
    return detail::frechet_result(detail::frechet_from_root(m_reference, m_root, generated),
                                  m_reference, generated);
  }
  FrechetResult operator()(Samples generated) const { return (*this)(Gaussian::fit(generated)); }

 private:
  Gaussian m_reference;
  Eigen::MatrixXd m_root;  // (F, F) Σ_ref^{1/2}, the costly half of every distance
};

}  // namespace gan::metric
