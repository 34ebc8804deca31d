// Element-wise kernels for the activations.
#pragma once

#include <cmath>
#include <type_traits>
#include "gan/core/xsimd.hpp"

#include "gan/core/parallel.hpp"
#include "gan/core/shape.hpp"

namespace gan::simd::detail {

/// Values from which an element-wise pass is split between the threads: about 4 µs of
/// work on one core, a few times what opening a parallel region costs. A compare or a
/// multiply runs about 16 values a nanosecond from cache, tanh about 4.
inline constexpr Index parallel_cheap_min = Index(1) << 16;
inline constexpr Index parallel_transcendental_min = Index(1) << 14;

/// Runs f(begin, end) over [0, n), split between the threads from min_parallel values on,
/// in parts of whole cache lines: no two threads write the same line, and every part
/// starts on a multiple of the SIMD width, so the values fall in the same registers (and
/// the same scalar tail) as on one thread, and the result does not depend on the count.
template <class T, class F>
void for_each_part(Index n, Index min_parallel, F&& f) {
  core::parallel_ranges(n, Index(64 / sizeof(T)), min_parallel, f);
}

/// out[i] = f(x[i], v[i]...) with f written once on `auto`, run on xsimd batches of the
/// build's widest instruction set and on scalars for the tail (and for types xsimd has no
/// register for): the compiler would call libm once per value for the transcendental maps,
/// and leaves the loop scalar once it sits in a lambda. One or two inputs.
template <class T, class F, class... V>
void map_batches(Index n, Index min_parallel, T* out, F&& f, const T* x, const V*... v) {
  for_each_part<T>(n, min_parallel, [&](Index begin, Index end) {
    Index i = begin;
    if constexpr (std::is_floating_point_v<T> &&
                  xsimd::has_simd_register<T, xsimd::default_arch>::value) {
      using B = xsimd::batch<T>;
      constexpr Index W = Index(B::size);
      static_assert(64 % (W * Index(sizeof(T))) == 0, "a part must hold whole registers");
      for (const Index whole = begin + (end - begin) / W * W; i < whole; i += W) {
        f(B::load_unaligned(x + i), B::load_unaligned(v + i)...).store_unaligned(out + i);
      }
    }
    for (; i < end; ++i) out[i] = f(x[i], v[i]...);
  });
}

}  // namespace gan::simd::detail

namespace gan::simd {

namespace detail {
/// x > 0 ? v : slope·v, on a scalar or an xsimd batch.
template <class X, class T>
X leaky(const X& x, const X& v, T slope) {
  if constexpr (std::is_arithmetic_v<X>)
    return x > T(0) ? v : slope * v;
  else
    return xsimd::select(x > T(0), v, slope * v);
}
}  // namespace detail

/// y = x > 0 ? x : slope·x; y may be x (networks run it in place: each register is loaded
/// before it is stored).
template <class T>
void leaky_relu(const T* x, Index n, T slope, T* y) {
  detail::map_batches(
      n, detail::parallel_cheap_min, y,
      [slope](const auto& v) { return detail::leaky(v, v, slope); }, x);
}

/// dx = x > 0 ? dy : slope·dy
template <class T>
void leaky_relu_backward(const T* x, const T* dy, Index n, T slope, T* dx) {
  detail::map_batches(
      n, detail::parallel_cheap_min, dx,
      [slope](const auto& xi, const auto& dyi) { return detail::leaky(xi, dyi, slope); }, x, dy);
}

}  // namespace gan::simd

namespace gan::simd {

/// y = tanh(x), on SIMD batches (xsimd's tanh, within a few ulp of std::tanh): a libm call
/// per value was a fifth of an MLP GAN step (W1) whose generator ends in Tanh.
template <class T>
void tanh_forward(const T* x, Index n, T* y) {
  detail::map_batches(
      n, detail::parallel_transcendental_min, y,
      [](const auto& v) {
        using xsimd::tanh, std::tanh;
        return tanh(v);
      },
      x);
}

/// y = 1 / (1 + e^−x), computed without overflow for large |x|
template <class T>
void sigmoid_forward(const T* x, Index n, T* y) {
  for (Index i = 0; i < n; ++i) {
    T e = std::exp(-std::abs(x[i]));
    y[i] = x[i] >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
  }
}

/// out = f'(y) ⊙ v with f' written in terms of the output: tanh' = 1 − y², σ' = y(1 − y).
template <class T>
void tanh_backward(const T* y, const T* v, Index n, T* out) {
  detail::map_batches(
      n, detail::parallel_cheap_min, out,
      [](const auto& yi, const auto& vi) { return (T(1) - yi * yi) * vi; }, y, v);
}
template <class T>
void sigmoid_backward(const T* y, const T* v, Index n, T* out) {
  for (Index i = 0; i < n; ++i) out[i] = y[i] * (T(1) - y[i]) * v[i];
}

/// Curvature terms of the penalty pass: out = f''(x) ⊙ u ⊙ dy, with
/// tanh'' = −2y(1 − y²) and σ'' = y(1 − y)(1 − 2y).
template <class T>
void tanh_curvature(const T* y, const T* u, const T* dy, Index n, T* out) {
  for (Index i = 0; i < n; ++i) out[i] = T(-2) * y[i] * (T(1) - y[i] * y[i]) * u[i] * dy[i];
}
template <class T>
void sigmoid_curvature(const T* y, const T* u, const T* dy, Index n, T* out) {
  for (Index i = 0; i < n; ++i) out[i] = y[i] * (T(1) - y[i]) * (T(1) - T(2) * y[i]) * u[i] * dy[i];
}

}  // namespace gan::simd
