// update: the single pass an optimizer step makes over the gradient, the parameters and
// its state arrays, on xsimd batches with a scalar tail, split between threads.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>
#include "gan/core/xsimd.hpp"

#include "gan/core/parallel.hpp"
#include "gan/core/shape.hpp"

// GCC 12 reports the self-initialized placeholder inside the AVX-512 sqrt intrinsics
// (_mm512_undefined_ps) as maybe-uninitialized once they are inlined here (GCC bug
// 105593, a false positive: the placeholder is never read).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace gan::optim::detail {

/// Below this many values a step stays on one thread. Measured on the 2-core development
/// machine, busy with other builds: one thread ran an Adam step over 2^18 floats in about
/// 0.14 ms, while starting a two-thread team cost tens of µs (2^12 floats: 45 µs against
/// 1.5 µs on one thread).
inline constexpr Index parallel_threshold = Index(1) << 18;

/// g + decay·θ, the L2 penalty PyTorch adds to the gradient; g itself when the decay is
/// off (PyTorch then never reads θ, which matters only for θ = ±inf or NaN). The test is
/// loop-invariant.
template <class V, class T>
V decayed(const V& g, const V& p, T decay) {
  return decay == T(0) ? g : g + decay * p;
}

template <class V, class T>
V load_value(const T* p) {
  if constexpr (std::is_same_v<V, T>) {
    return *p;
  } else {
    return V::load_unaligned(p);
  }
}

template <class V, class T>
void store_value(T* p, const V& v) {
  if constexpr (std::is_same_v<V, T>) {
    *p = v;
  } else {
    v.store_unaligned(p);
  }
}

/// f(g, a[0][i..], a[1][i..], ...) on values of type V (a scalar or a batch) at position i.
template <class V, class F, class T, std::size_t N, std::size_t... K>
void update_at(F& f, Index i, const T* grad, const std::array<T*, N>& arrays,
               std::index_sequence<K...>) {
  // Qualified calls: with a batch argument, ADL would also search namespace xsimd (whose
  // xsimd::store is an aligned store).
  V v[N] = {detail::load_value<V>(arrays[K] + i)...};
  f(detail::load_value<V>(grad + i), v[K]...);
  (detail::store_value(arrays[K] + i, v[K]), ...);
}

/// For each position i < n, calls f(g, p, s...) with g = grad[i] and references p, s...
/// to arrays[0][i], arrays[1][i], ... (the parameter, then the state), which f updates.
/// f is written once on `auto` values and runs both on xsimd::batch<T, Arch> and on T
/// (the tail): use operators and xsimd::sqrt, which has scalar overloads.
///
/// The threads split [0, n) at whole batches and only the last n mod W positions take
/// the scalar path, so each position sees the same instructions whatever the thread
/// count: results do not depend on it (positions are independent).
template <class Arch = xsimd::default_arch, class T, class F, class... P>
void update(F&& f, Index n, const T* grad, P*... arrays) {
  static_assert((std::is_same_v<P, T> && ...), "update: state arrays hold the gradient's type");
  using B = xsimd::batch<T, Arch>;
  constexpr Index W = static_cast<Index>(B::size);
  constexpr std::size_t N = sizeof...(P);
  const std::array<T*, N> a = {arrays...};
  const auto ks = std::make_index_sequence<N>{};
  const Index body = n - n % W;
  auto run = [&](Index begin, Index end) {
    for (Index i = begin; i < end; i += W) update_at<B>(f, i, grad, a, ks);
  };
#if defined(_OPENMP)
  if (body >= parallel_threshold && core::num_threads() > 1) {
#pragma omp parallel
    {
      const core::Range r = core::split_range(body, core::thread_id(), core::team_size(), W);
      run(r.begin, r.end);
    }
  } else {
    run(0, body);
  }
#else
  run(0, body);
#endif
  for (Index i = body; i < n; ++i) update_at<T>(f, i, grad, a, ks);
}

}  // namespace gan::optim::detail

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
