// Squared Euclidean distances between all pairs of two point sets, in blocks: the whole
// M×N matrix is never stored (10k × 10k doubles would be 800 MB), only one block per
// thread. Each block is one GEMM, ‖a‖² + ‖b‖² − 2 a·b, in double.
#pragma once

// Samples first: it brings Eigen through gan/core/eigen.hpp (GCC 12 workaround, see there).
#include "gan/metric/samples.hpp"

#include <algorithm>
#include <exception>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/shape.hpp"
#include "gan/simd/gemm.hpp"
#include "gan/simd/transpose.hpp"

namespace gan::metric {

/// A point set in double with each point's squared norm, ready for distance blocks.
struct PointSet {
  RowMatrix points;       // (n, F)
  Eigen::VectorXd norms;  // (n) ‖x_i‖²

  PointSet() = default;
  /// Copies the points to double. Throws gan::Error for a non-finite value.
  explicit PointSet(Samples s) : points(s.to_matrix()), norms(points.rowwise().squaredNorm()) {}

  Index size() const { return points.rows(); }
  Index features() const { return points.cols(); }
};

/// Block sizes of for_each_distance_block: a block of 256 × 2048 doubles is 4 MB per
/// thread, and 256 rows give the GEMM a full M panel to amortise packing B over.
inline constexpr Index distance_block_rows = 256;
inline constexpr Index distance_block_cols = 2048;

/// Calls visit(row0, col0, block, thread) for every block of the squared distances
/// D(i, j) = max(‖a_i‖² + ‖b_j‖² − 2 a_i·b_j, 0) (the clamp removes rounding below 0).
/// `block` is an Eigen::Map<const RowMatrix> of rows × cols (at most distance_block_rows ×
/// distance_block_cols) holding D(row0 + i, col0 + j). Row blocks are shared out between
/// the OpenMP threads and one thread visits all column blocks of its row block in order,
/// so per-row state needs no locking; `thread` (below gan::num_threads()) indexes
/// per-thread state for columns. visit must not throw. Throws gan::Error when the feature
/// dimensions differ.
template <class Visit>
void for_each_distance_block(const PointSet& a, const PointSet& b, Visit&& visit) {
  GAN_CHECK(a.features() == b.features(), "pairwise distances: the sets have ", a.features(),
            " and ", b.features(), " features");
  const Index m = a.size(), n = b.size(), f = a.features();
  if (m == 0 || n == 0) return;
  const Index block_rows = std::min(m, distance_block_rows);
  const Index block_cols = std::min(n, distance_block_cols);
  const Index row_blocks = (m + block_rows - 1) / block_rows;
  const int threads = static_cast<int>(std::min<Index>(core::num_threads(), row_blocks));
  std::vector<RowMatrix> buffers(static_cast<std::size_t>(threads));  // (rows, cols) each
  for (auto& buf : buffers) buf.resize(block_rows, block_cols);
  std::exception_ptr error;
#if defined(_OPENMP)
#pragma omp parallel for num_threads(threads) schedule(dynamic)
#endif
  for (Index rb = 0; rb < row_blocks; ++rb) {
    const int t = core::thread_id();
    const Index row0 = rb * block_rows, rows = std::min(block_rows, m - row0);
    RowMatrix& buf = buffers[static_cast<std::size_t>(t)];
    try {
      for (Index col0 = 0; col0 < n; col0 += block_cols) {
        const Index cols = std::min(block_cols, n - col0);
        // −2 A Bᵀ; the GEMM stays on this thread inside the parallel region.
        simd::gemm<double>(simd::Trans::N, simd::Trans::T, rows, cols, f, -2.0,
                           a.points.data() + row0 * f, f, b.points.data() + col0 * f, f, 0.0,
                           buf.data(), cols);
        double* d = buf.data();
        for (Index i = 0; i < rows; ++i) {
          const double ai = a.norms(row0 + i);
          const double* bn = b.norms.data() + col0;
          for (Index j = 0; j < cols; ++j)
            d[i * cols + j] = std::max(d[i * cols + j] + ai + bn[j], 0.0);
        }
        visit(row0, col0, Eigen::Map<const RowMatrix>(d, rows, cols), t);
      }
    } catch (...) {
#if defined(_OPENMP)
#pragma omp critical(gan_metric_distance_error)
#endif
      error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace gan::metric
