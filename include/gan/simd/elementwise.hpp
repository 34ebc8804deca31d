// Element-wise kernels for the activations.
#pragma once

#include <algorithm>
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

/// Loads the count < W values at p into a register, the other lanes 0.
template <class B, class T>
B load_partial(const T* p, Index count) {
  alignas(64) T lanes[B::size] = {};
  std::copy_n(p, count, lanes);
  return B::load_aligned(lanes);
}

/// out[i] = f(x[i], v[i]...) for i in [begin, end), on the calling thread, with f written
/// once on `auto` and run on xsimd batches of the build's widest instruction set, the last
/// values through a zero-padded register: every value goes through the same instructions
/// wherever a range starts and ends, so that a map applied tile by tile (gemm's epilogue)
/// gives the bits of one pass over the whole array. Scalars only for types xsimd has no
/// register for: the compiler would call libm once per value for the transcendental maps,
/// and leaves the loop scalar once it sits in a lambda. One or two inputs.
template <class T, class F, class... V>
void map_range(Index begin, Index end, T* out, F&& f, const T* x, const V*... v) {
  Index i = begin;
  if constexpr (std::is_floating_point_v<T> &&
                xsimd::has_simd_register<T, xsimd::default_arch>::value) {
    using B = xsimd::batch<T>;
    constexpr Index W = Index(B::size);
    for (const Index whole = begin + (end - begin) / W * W; i < whole; i += W) {
      f(B::load_unaligned(x + i), B::load_unaligned(v + i)...).store_unaligned(out + i);
    }
    if (i < end) {
      alignas(64) T lanes[W];
      f(load_partial<B>(x + i, end - i), load_partial<B>(v + i, end - i)...).store_aligned(lanes);
      std::copy_n(lanes, end - i, out + i);
    }
    return;
  }
  for (; i < end; ++i) out[i] = f(x[i], v[i]...);
}

/// map_range over [0, n), split between the threads from min_parallel values on
/// (for_each_part).
template <class T, class F, class... V>
void map_batches(Index n, Index min_parallel, T* out, F&& f, const T* x, const V*... v) {
  for_each_part<T>(n, min_parallel,
                   [&](Index begin, Index end) { map_range(begin, end, out, f, x, v...); });
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

/// The activation maps, on a scalar or an xsimd batch: x > 0 ? x : slope·x, and tanh.
template <class T>
struct LeakyMap {
  T slope;
  template <class X>
  X operator()(const X& v) const {
    return leaky(v, v, slope);
  }
};
struct TanhMap {
  template <class X>
  X operator()(const X& v) const {
    using std::tanh, xsimd::tanh;
    return tanh(v);
  }
};
}  // namespace detail

/// y = x > 0 ? x : slope·x; y may be x (networks run it in place: each register is loaded
/// before it is stored).
template <class T>
void leaky_relu(const T* x, Index n, T slope, T* y) {
  detail::map_batches(n, detail::parallel_cheap_min, y, detail::LeakyMap<T>{slope}, x);
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
/// per value was a fifth of an MLP GAN step (W1) whose generator ends in Tanh. y may be x.
template <class T>
void tanh_forward(const T* x, Index n, T* y) {
  detail::map_batches(n, detail::parallel_transcendental_min, y, detail::TanhMap{}, x);
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
