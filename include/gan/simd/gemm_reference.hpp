// The naive GEMM: three loops, no blocking, no SIMD. It is the oracle the fast kernel is
// tested against and the fallback for scalar types the fast kernel does not cover.
#pragma once

#include "gan/core/shape.hpp"
#include "gan/simd/column_groups.hpp"
#include "gan/simd/transpose.hpp"

namespace gan::simd {

/// C = alpha · op(A) · op(B) + beta · C, row-major, with op(A) m×k and op(B) k×n.
/// A is m×k (lda ≥ k) for Trans::N and k×m (lda ≥ m) for Trans::T; B likewise k×n or n×k.
/// beta = 0 never reads C (so C may hold NaN), as in BLAS. bias (n values, or nullptr) is
/// added to every row. An untransposed B may have its columns in groups (ColumnGroups).
template <class T>
void gemm_reference(Trans ta, Trans tb, Index m, Index n, Index k, T alpha, const T* a, Index lda,
                    const T* b, Index ldb, T beta, T* c, Index ldc, const T* bias = nullptr,
                    const ColumnGroups& b_groups = {}) {
  for (Index i = 0; i < m; ++i) {
    for (Index j = 0; j < n; ++j) {
      T sum = 0;
      for (Index p = 0; p < k; ++p) {
        T av = ta == Trans::N ? a[i * lda + p] : a[p * lda + i];
        T bv = tb == Trans::N ? b[p * ldb + b_groups.at(j)] : b[j * ldb + p];
        sum += av * bv;
      }
      T& cij = c[i * ldc + j];
      cij = beta == T(0) ? alpha * sum : alpha * sum + beta * cij;
      if (bias != nullptr) cij += bias[j];
    }
  }
}

}  // namespace gan::simd
