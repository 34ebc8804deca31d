// Reductions over batches: column sums (bias gradients) and per-channel statistics.
#pragma once

#include "gan/core/shape.hpp"

namespace gan::simd {

/// out[j] += Σ_i a[i·cols + j] for a rows×cols row-major matrix. Summation runs down the
/// rows in order, so the result does not depend on the thread count.
template <class T>
void add_column_sums(const T* a, Index rows, Index cols, T* out) {
  for (Index i = 0; i < rows; ++i) {
    const T* row = a + i * cols;
    for (Index j = 0; j < cols; ++j) out[j] += row[j];
  }
}

}  // namespace gan::simd
