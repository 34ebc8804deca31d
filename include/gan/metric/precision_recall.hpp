// Improved precision and recall of a generated set against a real one.
#pragma once

// Samples first: it brings Eigen through gan/core/eigen.hpp (GCC 12 workaround, see there).
#include "gan/metric/samples.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/parallel.hpp"
#include "gan/core/shape.hpp"
#include "gan/metric/knn_manifold.hpp"
#include "gan/metric/pairwise_distance.hpp"

namespace gan::metric {

/// Precision and recall, each a fraction in [0, 1].
struct PrecisionRecall {
  double precision = 0;  ///< fraction of generated points inside the real manifold
  double recall = 0;     ///< fraction of real points inside the generated manifold
};

/// Improved precision and recall of Kynkäänniemi et al., "Improved Precision and Recall
/// Metric for Assessing Generative Models", NeurIPS 2019, Section 2, with the manifolds of
/// KnnManifold (k-th nearest other point, k = 3 in the paper; ‖·‖₂; a ball includes its
/// boundary):
///
///   precision = (1/M) Σ_j [ g_j ∈ manifold(real) ]
///   recall    = (1/N) Σ_i [ r_i ∈ manifold(generated) ]
///
/// Both come from one pass over the N×M real-to-generated distances. Build the real
/// manifold once and reuse it against each generated set: each call then costs one
/// M×M pass for the generated radii and the N×M cross pass. Throws gan::Error when the
/// dimensions or the k of the two manifolds differ.
inline PrecisionRecall precision_recall(const KnnManifold& real, const KnnManifold& generated) {
  GAN_CHECK(real.k() == generated.k(), "precision_recall: the manifolds use k = ", real.k(),
            " and k = ", generated.k());
  const PointSet& r = real.points();
  const PointSet& g = generated.points();
  const Eigen::VectorXd& r2 = real.squared_radii();
  const Eigen::VectorXd& g2 = generated.squared_radii();
  // Rows (real points) belong to one thread at a time; columns (generated points) are
  // visited by every thread, so each thread flags them in its own array.
  std::vector<std::uint8_t> real_covered(static_cast<std::size_t>(r.size()), 0);
  std::vector<std::vector<std::uint8_t>> generated_inside(
      static_cast<std::size_t>(core::num_threads()),
      std::vector<std::uint8_t>(static_cast<std::size_t>(g.size()), 0));
  for_each_distance_block(r, g, [&](Index row0, Index col0, const auto& d, int t) {
    std::uint8_t* inside = generated_inside[static_cast<std::size_t>(t)].data() + col0;
    for (Index i = 0; i < d.rows(); ++i) {
      const double ri = r2(row0 + i);
      std::uint8_t covered = real_covered[static_cast<std::size_t>(row0 + i)];
      for (Index j = 0; j < d.cols(); ++j) {
        inside[j] |= d(i, j) <= ri;
        covered |= d(i, j) <= g2(col0 + j);
      }
      real_covered[static_cast<std::size_t>(row0 + i)] = covered;
    }
  });
  Index precise = 0;
  for (Index j = 0; j < g.size(); ++j) {
    bool in = false;
    for (const auto& flags : generated_inside) in = in || flags[static_cast<std::size_t>(j)];
    precise += in;
  }
  const auto recalled = std::count(real_covered.begin(), real_covered.end(), 1);
  return {static_cast<double>(precise) / static_cast<double>(g.size()),
          static_cast<double>(recalled) / static_cast<double>(r.size())};
}

/// Precision and recall of `generated` against `real` with k-NN balls (k = 3 as in the
/// paper). Both sets need at least k + 1 points of the same dimension.
inline PrecisionRecall precision_recall(Samples real, Samples generated, Index k = 3) {
  return precision_recall(KnnManifold(real, k), KnnManifold(generated, k));
}

}  // namespace gan::metric
