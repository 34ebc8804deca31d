// The shared shape of the per-output losses: a mean of ℓ(x) over the batch, with
// gradient ℓ'(x)/N written beside it.
#pragma once

#include <utility>

#include "gan/core/tensor.hpp"

namespace gan::loss::detail {

/// Returns mean ℓ(x) over all outputs and writes ℓ'(x)/count into grad; `f(x)` returns
/// the pair (ℓ(x), ℓ'(x)). Sums run in double, in order.
template <class T, class F>
double mean_with_gradient(ConstView<T> out, TensorView<T> grad, F&& f) {
  const Index count = out.size();
  double sum = 0;
  for (Index i = 0; i < count; ++i) {
    auto [value, slope] = f(static_cast<double>(out[i]));
    sum += value;
    grad[i] = static_cast<T>(slope / static_cast<double>(count));
  }
  return count > 0 ? sum / static_cast<double>(count) : 0.0;
}

/// Mean of f(x) over all outputs.
template <class T, class F>
double mean_of(ConstView<T> out, F&& f) {
  double sum = 0;
  for (Index i = 0; i < out.size(); ++i) sum += f(static_cast<double>(out[i]));
  return out.size() > 0 ? sum / static_cast<double>(out.size()) : 0.0;
}

/// The identity, for mean_of on raw scores.
inline double raw(double x) {
  return x;
}

}  // namespace gan::loss::detail
