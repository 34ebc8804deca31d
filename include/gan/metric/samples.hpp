// Samples: the read-only N×F set of points every metric scores, over float or double
// storage, so that the output of another framework (a NumPy or LibTorch buffer) is scored
// by the same code as ours. The metrics themselves work in double precision.
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <ranges>
#include <type_traits>
#include <vector>

#include "gan/core/eigen.hpp"
#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/core/tensor.hpp"

namespace gan::metric {

/// Row-major double matrix: a metric's working copy of a set, one row a point.
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The element types a set of samples may be stored in.
template <class T>
concept SampleScalar = std::same_as<T, float> || std::same_as<T, double>;

/// A non-owning, read-only view of n points of `features` values each, row-major (point i
/// at data + i·features), stored as float or double. Converts implicitly from gan::Tensor,
/// TensorView and ConstView of either type (an image batch counts as its flattened
/// features), from a contiguous range of values (one feature: a 1D sample), and from a
/// pointer with sizes. Like every view it must not outlive the storage.
class Samples {
 public:
  template <SampleScalar T>
  Samples(const T* data, Index n, Index features) : m_n(n), m_features(features) {
    GAN_CHECK(n >= 0 && features >= 0, "Samples: negative size ", n, "x", features);
    GAN_CHECK(data != nullptr || n * features == 0, "Samples: null data for ", n, "x", features,
              " values");
    if constexpr (std::is_same_v<T, float>) {
      m_float = data;
    } else {
      m_double = data;
    }
  }
  template <SampleScalar T>
  Samples(ConstView<T> v) : Samples(v.data(), v.n(), v.features()) {}
  template <SampleScalar T>
  Samples(TensorView<T> v) : Samples(v.data(), v.n(), v.features()) {}
  template <SampleScalar T>
  Samples(const Tensor<T>& t) : Samples(t.data(), t.n(), t.features()) {}
  /// A 1D sample: each value of the range is one point with one feature.
  template <std::ranges::contiguous_range R>
  requires SampleScalar<std::remove_cv_t<std::ranges::range_value_t<R>>> Samples(const R& values)
      : Samples(std::ranges::data(values), static_cast<Index>(std::ranges::size(values)), 1) {}

  /// Number of points.
  Index n() const { return m_n; }
  /// Values per point.
  Index features() const { return m_features; }
  /// Feature f of point i, as double.
  double operator()(Index i, Index f) const {
    const Index k = i * m_features + f;
    return m_double != nullptr ? m_double[k] : static_cast<double>(m_float[k]);
  }

  /// A double copy, n×features. Throws gan::Error naming the first non-finite value: a
  /// diverged generator's NaN must not turn into a plausible score.
  RowMatrix to_matrix() const {
    RowMatrix m(m_n, m_features);
    for (Index i = 0; i < m_n; ++i) {
      for (Index f = 0; f < m_features; ++f) m(i, f) = finite(i, f);
    }
    return m;
  }

  /// The values of a 1D sample (features() must be 1), as doubles. Throws gan::Error for
  /// more than one feature or a non-finite value.
  std::vector<double> to_values() const {
    GAN_CHECK(m_features == 1, "Samples: a 1D metric wants one feature per point, got ",
              m_features);
    std::vector<double> values(static_cast<std::size_t>(m_n));
    for (Index i = 0; i < m_n; ++i) values[static_cast<std::size_t>(i)] = finite(i, 0);
    return values;
  }

 private:
  double finite(Index i, Index f) const {
    const double v = (*this)(i, f);
    GAN_CHECK(std::isfinite(v), "Samples: non-finite value ", v, " at point ", i, ", feature ", f);
    return v;
  }

  const float* m_float = nullptr;    // set when the storage is float
  const double* m_double = nullptr;  // set when the storage is double
  Index m_n = 0;
  Index m_features = 0;
};

}  // namespace gan::metric
