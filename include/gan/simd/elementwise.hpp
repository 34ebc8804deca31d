// Element-wise kernels for the activations.
#pragma once

#include <cmath>
#include <type_traits>
#include "gan/core/xsimd.hpp"

#include "gan/core/shape.hpp"

namespace gan::simd::detail {

/// y[i] = f(x[i]) with f written once on `auto`, run on xsimd batches of the build's
/// widest instruction set and on scalars for the tail (and for types xsimd has no register
/// for). For the transcendental maps, where the compiler would call libm once per value.
template <class T, class F>
void map_batches(const T* x, Index n, T* y, F&& f) {
  Index i = 0;
  if constexpr (std::is_floating_point_v<T> &&
                xsimd::has_simd_register<T, xsimd::default_arch>::value) {
    using B = xsimd::batch<T>;
    constexpr Index W = Index(B::size);
    for (; i + W <= n; i += W) f(B::load_unaligned(x + i)).store_unaligned(y + i);
  }
  for (; i < n; ++i) y[i] = f(x[i]);
}

}  // namespace gan::simd::detail

namespace gan::simd {

/// y = x > 0 ? x : slope·x; y may be x (networks run it in place). On explicit batches:
/// the compiler's vectorized loop checks that x and y do not overlap and runs scalar code
/// when they are the same array.
template <class T>
void leaky_relu(const T* x, Index n, T slope, T* y) {
  detail::map_batches(x, n, y, [slope](const auto& v) {
    if constexpr (std::is_arithmetic_v<std::remove_cvref_t<decltype(v)>>)
      return v > T(0) ? v : slope * v;
    else
      return xsimd::select(v > T(0), v, slope * v);
  });
}

/// dx = x > 0 ? dy : slope·dy
template <class T>
void leaky_relu_backward(const T* x, const T* dy, Index n, T slope, T* dx) {
  for (Index i = 0; i < n; ++i) dx[i] = x[i] > T(0) ? dy[i] : slope * dy[i];
}

}  // namespace gan::simd

namespace gan::simd {

/// y = tanh(x), on SIMD batches (xsimd's tanh, within a few ulp of std::tanh): a libm call
/// per value was a fifth of an MLP GAN step (W1) whose generator ends in Tanh.
template <class T>
void tanh_forward(const T* x, Index n, T* y) {
  detail::map_batches(x, n, y, [](const auto& v) {
    using xsimd::tanh, std::tanh;
    return tanh(v);
  });
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
  for (Index i = 0; i < n; ++i) out[i] = (T(1) - y[i] * y[i]) * v[i];
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
