// ColumnGroups: an untransposed GEMM operand B whose columns are not evenly spaced but lie
// in groups, such as a convolution's batch-first activations read as one matrix.
#pragma once

#include <limits>

#include "gan/core/shape.hpp"

namespace gan::simd {

/// The columns of a k×n operand B (Trans::N) in groups of `size` columns: column j is
/// column j mod size of group j div size, and group g starts g·stride values after B's
/// start. Row p of B is ldb values after row p − 1 within each group. A batch-first tensor
/// (N, C, L) is so the (C, N·L) matrix of its channels, with size L, stride C·L and ldb L,
/// and a GEMM reads it in place instead of after a copy into channel-major order.
///
/// size = 0 (the default) is an ordinary matrix: column j at j.
struct ColumnGroups {
  Index size = 0;    ///< columns per group; 0: not grouped
  Index stride = 0;  ///< values from the start of one group to the start of the next
  Index offset = 0;  ///< columns of the first group that come before B's column 0

  bool grouped() const { return size > 0; }

  /// Where column j of row 0 sits, from B's start: B(p, j) = b[p·ldb + at(j)].
  Index at(Index j) const {
    if (!grouped()) return j;
    const Index g = (j + offset) / size;
    return g * stride + (j + offset - g * size);
  }

  /// How many columns from column j on lie side by side in memory (j's group's rest).
  Index run(Index j) const {
    return grouped() ? size - (j + offset) % size : std::numeric_limits<Index>::max();
  }

  /// The same groups seen from column j: column 0 of the result is column j of this.
  ColumnGroups from(Index j) const { return {size, stride, offset + j}; }
};

}  // namespace gan::simd
