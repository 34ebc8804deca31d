// Transform: the per-feature affine map y = (x − shift) · scale that brings data into the
// generator's range, kept with the data set so that generated samples can be mapped back
// into the data's own units.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/tensor.hpp"
#include "gan/data/pixels.hpp"

namespace gan::data {

/// How a data set's values are scaled before training.
enum class Scaling {
  none,         ///< as read
  pixels,       ///< [0, 255] → [−1, 1]: x / 127.5 − 1, one map for every feature
  standardize,  ///< per feature: (x − mean) / standard deviation (population)
  min_max,      ///< per feature: [min, max] → [−1, 1]
};

/// y = (x − shift[f]) · scale[f] for feature f; a shift and scale of length 1 apply to
/// every feature. A feature that is constant in the data gets scale 1 (standardize: it
/// becomes 0; min_max: it becomes 0), so that no division by zero can occur.
class Transform {
 public:
  /// The identity.
  Transform() = default;
  /// A transform restored from its parts (as saved by a checkpoint).
  Transform(Scaling kind, std::vector<double> shift, std::vector<double> scale)
      : m_kind(kind), m_shift(std::move(shift)), m_scale(std::move(scale)) {
    GAN_CHECK(m_shift.size() == m_scale.size(), "transform: ", m_shift.size(), " shifts and ",
              m_scale.size(), " scales: expected as many of each");
    for (double s : m_scale)
      GAN_CHECK(std::isfinite(s) && s != 0.0, "transform: scale ", s,
                ": expected finite and non-zero");
    for (double s : m_shift)
      GAN_CHECK(std::isfinite(s), "transform: shift ", s, ": expected finite");
  }

  /// The pixel map [0, 255] → [−1, 1].
  static Transform pixels() {
    return {Scaling::pixels, {pixel_half_range}, {1.0 / pixel_half_range}};
  }

  /// Fits `kind` to the samples x (N×F, N ≥ 1).
  template <class T>
  static Transform fit(Scaling kind, ConstView<T> x) {
    if (kind == Scaling::none) return {};
    if (kind == Scaling::pixels) return pixels();
    GAN_CHECK(x.n() > 0, "transform: cannot fit to an empty data set");
    Index n = x.n(), f = x.features();
    std::vector<double> shift(f), scale(f);
    for (Index j = 0; j < f; ++j) {
      if (kind == Scaling::standardize) {
        double mean = 0;
        for (Index i = 0; i < n; ++i) mean += x(i, j);
        mean /= static_cast<double>(n);
        double var = 0;
        for (Index i = 0; i < n; ++i) var += (x(i, j) - mean) * (x(i, j) - mean);
        double sd = std::sqrt(var / static_cast<double>(n));
        shift[j] = mean;
        scale[j] = sd > 0 ? 1.0 / sd : 1.0;
      } else {
        double lo = x(0, j), hi = x(0, j);
        for (Index i = 1; i < n; ++i) {
          lo = std::min<double>(lo, x(i, j));
          hi = std::max<double>(hi, x(i, j));
        }
        shift[j] = 0.5 * (lo + hi);
        scale[j] = hi > lo ? 2.0 / (hi - lo) : 1.0;
      }
    }
    return {kind, std::move(shift), std::move(scale)};
  }

  Scaling kind() const { return m_kind; }
  std::span<const double> shift() const { return m_shift; }
  std::span<const double> scale() const { return m_scale; }
  bool identity() const { return m_shift.empty(); }

  /// x ← (x − shift) · scale, in place (N×F).
  template <class T>
  void apply(TensorView<T> x) const {
    map(x, [](double v, double shift, double scale) { return (v - shift) * scale; });
  }
  /// x ← x / scale + shift, in place: generated samples back into the data's units.
  template <class T>
  void invert(TensorView<T> x) const {
    map(x, [](double v, double shift, double scale) { return v / scale + shift; });
  }

 private:
  template <class T, class F>
  void map(TensorView<T> x, F f) const {
    if (identity()) return;
    Index width = static_cast<Index>(m_shift.size());
    GAN_CHECK(width == 1 || width == x.features(), "transform of ", width,
              " features applied to samples of ", x.features());
    for (Index i = 0; i < x.n(); ++i)
      for (Index j = 0; j < x.features(); ++j) {
        Index k = width == 1 ? 0 : j;
        x(i, j) = static_cast<T>(f(static_cast<double>(x(i, j)), m_shift[k], m_scale[k]));
      }
  }

  Scaling m_kind = Scaling::none;
  std::vector<double> m_shift;  // (F) or (1)
  std::vector<double> m_scale;  // (F) or (1)
};

}  // namespace gan::data
