// Trans: whether a GEMM operand is used as stored (N) or transposed (T).
#pragma once

namespace gan::simd {

/// How a row-major operand enters a product: as stored, or transposed.
enum class Trans { N, T };

}  // namespace gan::simd
