// unroll<N>(f): a loop the compiler unrolls for certain, for the GEMM's register tiles.
#pragma once

#include <type_traits>
#include <utility>

namespace gan::simd::detail {

/// Calls f(std::integral_constant<int, 0>{}) … f(std::integral_constant<int, N − 1>{}).
/// Arrays of registers indexed only through it stay in registers: GCC at -O2 does not
/// unroll a plain loop, and then keeps such an array in memory.
template <int N, class F>
inline void unroll(F&& f) {
  [&]<int... I>(std::integer_sequence<int, I...>) {
    (f(std::integral_constant<int, I>{}), ...);
  }
  (std::make_integer_sequence<int, N>{});
}

}  // namespace gan::simd::detail
