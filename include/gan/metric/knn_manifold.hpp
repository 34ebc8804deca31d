// KnnManifold: a point set's support estimated by k-nearest-neighbour balls, the building
// block of improved precision and recall.
#pragma once

// Samples first: it brings Eigen through gan/core/eigen.hpp (GCC 12 workaround, see there).
#include "gan/metric/samples.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/metric/pairwise_distance.hpp"

namespace gan::metric {

/// The manifold estimate of Kynkäänniemi et al., "Improved Precision and Recall Metric for
/// Assessing Generative Models", NeurIPS 2019, Section 2: for points x_1 … x_n,
///
///   r_k(x_i) = ‖x_i − NN_k(x_i)‖₂, the distance to the k-th nearest other point
///              (x_i itself excluded by index; a duplicate of x_i counts, at distance 0)
///   manifold = ∪_i B(x_i, r_k(x_i)),   y ∈ manifold ⇔ ∃ i: ‖y − x_i‖₂ ≤ r_k(x_i)
///
/// All distances are exact (no approximate search), computed in double by blocked GEMMs
/// (pairwise_distance.hpp) on the OpenMP threads: O(n²·F) to build, O(n·m·F) to test m
/// queries, memory O((n + m)·F) plus one 4 MB block per thread.
class KnnManifold {
 public:
  /// Builds the balls of n ≥ k + 1 points; k ≥ 1 (the paper uses 3). Throws gan::Error
  /// for too few points, a bad k or a non-finite value.
  explicit KnnManifold(Samples points, Index k = 3) : m_set(points), m_k(k) {
    GAN_CHECK(k >= 1, "KnnManifold: k must be at least 1, got ", k);
    GAN_CHECK(m_set.size() >= k + 1, "KnnManifold: ", k, "-NN radii need at least ", k + 1,
              " points, got ", m_set.size());
    GAN_CHECK(m_set.features() >= 1, "KnnManifold: the points have no features");
    m_radii2 = kth_neighbour_squared_distances(m_set, k);
  }

  Index k() const { return m_k; }
  /// The points in double, with their squared norms.
  const PointSet& points() const { return m_set; }
  /// (n) r_k(x_i)².
  const Eigen::VectorXd& squared_radii() const { return m_radii2; }
  /// (n) r_k(x_i).
  Eigen::VectorXd radii() const { return m_radii2.cwiseSqrt(); }

  /// (m) 1 where query i lies in the manifold, else 0. Throws gan::Error when the
  /// queries' dimension differs or a value is not finite.
  std::vector<std::uint8_t> contains(Samples queries) const {
    const PointSet q(queries);
    std::vector<std::uint8_t> inside(static_cast<std::size_t>(q.size()), 0);
    for_each_distance_block(q, m_set, [&](Index row0, Index col0, const auto& d, int) {
      for (Index i = 0; i < d.rows(); ++i) {
        std::uint8_t& flag = inside[static_cast<std::size_t>(row0 + i)];
        for (Index j = 0; j < d.cols() && !flag; ++j) flag = d(i, j) <= m_radii2(col0 + j);
      }
    });
    return inside;
  }

  /// Fraction of the queries that lie in the manifold, in [0, 1] (0 for no queries).
  double coverage(Samples queries) const {
    const std::vector<std::uint8_t> inside = contains(queries);
    if (inside.empty()) return 0;
    return static_cast<double>(std::count(inside.begin(), inside.end(), 1)) /
           static_cast<double>(inside.size());
  }

 private:
  /// (n) squared distance from each point to its k-th nearest other point. Each row keeps
  /// its k smallest values sorted, so a new distance costs one comparison in the common
  /// case of not being among them.
  static Eigen::VectorXd kth_neighbour_squared_distances(const PointSet& s, Index k) {
    const Index n = s.size();
    RowMatrix nearest =  // (n, k) ascending
        RowMatrix::Constant(n, k, std::numeric_limits<double>::infinity());
    for_each_distance_block(s, s, [&](Index row0, Index col0, const auto& d, int) {
      for (Index i = 0; i < d.rows(); ++i) {
        double* best = nearest.data() + (row0 + i) * k;
        for (Index j = 0; j < d.cols(); ++j) {
          const double v = d(i, j);
          if (v >= best[k - 1] || row0 + i == col0 + j) continue;
          Index p = k - 1;
          for (; p > 0 && best[p - 1] > v; --p) best[p] = best[p - 1];
          best[p] = v;
        }
      }
    });
    return nearest.col(k - 1);
  }

  PointSet m_set;
  Index m_k;
  Eigen::VectorXd m_radii2;  // (n) r_k(x_i)²
};

}  // namespace gan::metric
