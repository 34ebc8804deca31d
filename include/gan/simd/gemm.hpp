// gemm: the entry point every layer calls for a matrix product.
#pragma once

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/simd/gemm_reference.hpp"
#include "gan/simd/transpose.hpp"

namespace gan::simd {

/// C = alpha · op(A) · op(B) + beta · C on row-major matrices; see gemm_reference for
/// the operand layouts. beta = 0 never reads C.
template <class T>
void gemm(Trans ta, Trans tb, Index m, Index n, Index k, T alpha, const T* a, Index lda,
          const T* b, Index ldb, T beta, T* c, Index ldc) {
  GAN_CHECK(m >= 0 && n >= 0 && k >= 0, "gemm: negative size ", m, "x", n, "x", k);
  gemm_reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

}  // namespace gan::simd
