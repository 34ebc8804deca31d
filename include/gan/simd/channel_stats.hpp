// Per-channel kernels on an N×C×H×W batch (dense N×F is N×F×1×1): the statistics and the
// channel-wise affine maps of batch normalization (layer/batch_norm.hpp).
//
// Channel c of a batch is the N planes x[i, c, :, :], each H·W contiguous values apart by
// C·H·W. Reductions give each channel to one thread and add its values in a fixed order,
// so results do not depend on the thread count.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>

#include "gan/core/shape.hpp"
#include "gan/simd/elementwise.hpp"
#include "gan/simd/reduce.hpp"

namespace gan::simd {

namespace detail {
/// Below this many values a kernel stays on one thread: starting a team costs more.
inline constexpr Index channel_parallel_threshold = Index(1) << 15;
/// Channels a dense reduction accumulates together: one accumulator row each on the stack.
inline constexpr Index channel_block = 64;
}  // namespace detail

/// For each channel c, the K sums Σ term(at_k, c)[·] over the flat indices k of channel c's
/// values, handed to sink(c, std::array<double, K>). term(at, c) reads value k of an array
/// p as at(p) and returns a std::array of K values (see lane_sums, which may hand it a
/// block of values at once). The planes of the samples go in order through one set of
/// add_lane_sums accumulators. Dense batches (H = W = 1) run across the rows instead,
/// vectorized over a block of channels.
template <std::size_t K, class Term, class Sink>
void channel_sums(core::Shape s, Term&& term, Sink&& sink) {
  const Index n = s.n, channels = s.c, plane = s.plane();
  [[maybe_unused]] const bool parallel = s.size() >= detail::channel_parallel_threshold;
  if (plane == 1) {
    constexpr Index B = detail::channel_block;
    const Index blocks = (channels + B - 1) / B;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (parallel)
#endif
    for (Index block = 0; block < blocks; ++block) {
      const Index c0 = block * B, width = std::min(B, channels - c0);
      double acc[K][B] = {};
      for (Index i = 0; i < n; ++i) {
        for (Index c = 0; c < width; ++c) {
          const std::array<double, K> t = term(ValueAt{i * channels + c0 + c}, c0 + c);
          for (std::size_t k = 0; k < K; ++k) acc[k][c] += t[k];
        }
      }
      for (Index c = 0; c < width; ++c) {
        std::array<double, K> total;
        for (std::size_t k = 0; k < K; ++k) total[k] = acc[k][c];
        sink(c0 + c, total);
      }
    }
  } else {
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (parallel)
#endif
    for (Index c = 0; c < channels; ++c) {
      // One set of partial sums across the samples, added up once: a 7×7 plane is only
      // six blocks of lanes.
      LaneSums<K> sums;
      for (Index i = 0; i < n; ++i) {
        const Index base = (i * channels + c) * plane;
        add_lane_sums<K>(sums, plane, [&](auto at) { return term(at + base, c); });
      }
      sink(c, sums.totals());
    }
  }
}

/// mean[c] and var[c]: mean and biased variance of channel c over N, H and W. Shifted by
/// the channel's first value before squaring (see simd::shifted_moments), summed in double.
template <class T>
void channel_moments(const T* x, core::Shape s, T* mean, T* var) {
  const Index plane = s.plane();
  const double count = static_cast<double>(s.n * plane);
  channel_sums<2>(
      s,
      [&](auto at, Index c) {
        const auto d = at(x) - static_cast<double>(x[c * plane]);
        return std::array{d, d * d};
      },
      [&](Index c, const std::array<double, 2>& sums) {
        const Moments m = shifted_moments(sums[0], sums[1], x[c * plane], count);
        mean[c] = static_cast<T>(m.mean);
        var[c] = static_cast<T>(m.variance);
      });
}

/// sum_dy[c] = Σ dy and sum_dy_x[c] = Σ dy·(x − shift[c]) over channel c: the two sums a
/// normalization's backward pass needs (shift = the mean the input was centred with).
template <class T>
void channel_dot_sums(const T* dy, const T* x, core::Shape s, const T* shift, T* sum_dy,
                      T* sum_dy_x) {
  channel_sums<2>(
      s,
      [&](auto at, Index c) {
        const auto g = at(dy);
        return std::array{g, g * (at(x) - static_cast<double>(shift[c]))};
      },
      [&](Index c, const std::array<double, 2>& sums) {
        sum_dy[c] = static_cast<T>(sums[0]);
        sum_dy_x[c] = static_cast<T>(sums[1]);
      });
}

/// The statistics of x and the sums of dy that batch normalization's backward pass needs,
/// in one pass over both: mean[c] and var[c] as channel_moments, sum_dy[c] = Σ dy and
/// sum_dy_x[c] = Σ dy·(x − mean[c]). The four sums share the shift x₀ of channel_moments;
/// Σdy(x − μ) = Σdy(x − x₀) − (μ − x₀)Σdy, where μ − x₀ is of the order of the spread.
template <class T>
void channel_moments_dot_sums(const T* dy, const T* x, core::Shape s, T* mean, T* var, T* sum_dy,
                              T* sum_dy_x) {
  const Index plane = s.plane();
  const double count = static_cast<double>(s.n * plane);
  channel_sums<4>(
      s,
      [&](auto at, Index c) {
        const auto d = at(x) - static_cast<double>(x[c * plane]);
        const auto g = at(dy);
        return std::array{d, d * d, g, g * d};
      },
      [&](Index c, const std::array<double, 4>& sums) {
        const double shift = static_cast<double>(x[c * plane]);
        const Moments m = shifted_moments(sums[0], sums[1], shift, count);
        mean[c] = static_cast<T>(m.mean);
        var[c] = static_cast<T>(m.variance);
        sum_dy[c] = static_cast<T>(sums[2]);
        sum_dy_x[c] = static_cast<T>(sums[3] - (m.mean - shift) * sums[2]);
      });
}

namespace detail {
/// Runs, for every sample i, plane(begin, c) on the H·W contiguous values of each channel
/// c from index begin (H·W > 1), or row(begin) on its C values, one per channel (dense
/// N×F). Element-wise, split between the threads by sample: every value goes through the
/// same instructions whatever the thread count.
template <class Plane, class Row>
void for_each_channel_run(core::Shape s, Plane&& plane, Row&& row) {
  const Index n = s.n, channels = s.c, size = s.plane();
  [[maybe_unused]] const bool parallel = s.size() >= channel_parallel_threshold;
#if defined(_OPENMP)
#pragma omp parallel for schedule(static) if (parallel)
#endif
  for (Index i = 0; i < n; ++i) {
    if (size == 1) {
      row(i * channels);
    } else {
      for (Index c = 0; c < channels; ++c) plane((i * channels + c) * size, c);
    }
  }
}
}  // namespace detail

/// The identity, as channel_normalize's default `then`.
struct Unchanged {
  template <class X>
  X operator()(const X& v) const {
    return v;
  }
};

/// out = then(a[c]·(x − shift[c]) + b[c]) on channel c: the normalization itself, and an
/// element-wise map of its result in the same pass (BatchNorm's fused LeakyReLU; `then`
/// takes a scalar or an xsimd batch). Centring before scaling keeps float precision when
/// the mean is large against the spread. On SIMD registers with no branch per value: along
/// each plane with the coefficients broadcast, or along each row of channels with them
/// loaded as vectors. out may alias x.
template <class T, class Then = Unchanged>
void channel_normalize(const T* x, core::Shape s, const T* shift, const T* a, const T* b, T* out,
                       Then then = {}) {
  const auto f = [&](auto v, auto sv, auto av, auto bv) { return then(av * (v - sv) + bv); };
  detail::for_each_channel_run(
      s,
      [&](Index begin, Index c) {
        detail::map_range(
            Index(0), s.plane(), out + begin,
            [&](auto v) {
              using B = decltype(v);
              return f(v, B(shift[c]), B(a[c]), B(b[c]));
            },
            x + begin);
      },
      [&](Index begin) { detail::map_range(Index(0), s.c, out + begin, f, x + begin, shift, a, b); });
}

/// out = a[c]·u + p[c]·(v − shift[c]) + d[c] on channel c: batch normalization's input
/// gradient, with u = dy, v = x and shift = μ; vectorized as channel_normalize. out may
/// alias u or v.
template <class T>
void channel_combine(const T* u, const T* v, core::Shape s, const T* a, const T* p, const T* shift,
                     const T* d, T* out) {
  const auto f = [](auto ub, auto vb, auto ab, auto pb, auto sb, auto db) {
    return ab * ub + pb * (vb - sb) + db;
  };
  detail::for_each_channel_run(
      s,
      [&](Index begin, Index c) {
        detail::map_range(
            Index(0), s.plane(), out + begin,
            [&](auto ub, auto vb) {
              using B = decltype(ub);
              return f(ub, vb, B(a[c]), B(p[c]), B(shift[c]), B(d[c]));
            },
            u + begin, v + begin);
      },
      [&](Index begin) {
        detail::map_range(Index(0), s.c, out + begin, f, u + begin, v + begin, a, p, shift, d);
      });
}

}  // namespace gan::simd
