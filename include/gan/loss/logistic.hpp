// Numerically stable pieces of the sigmoid cross-entropy losses.
#pragma once

#include <cmath>

namespace gan::loss::detail {

/// softplus(x) = log(1 + eˣ), exact for large |x| in either direction.
inline double softplus(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

/// σ(x) = 1 / (1 + e⁻ˣ) without overflow.
inline double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x);
  return e / (1.0 + e);
}

/// Sigmoid cross-entropy of logit x with target t ∈ [0, 1]:
/// t·softplus(−x) + (1 − t)·softplus(x); its derivative is σ(x) − t.
inline double cross_entropy(double x, double t) {
  return t * softplus(-x) + (1 - t) * softplus(x);
}

}  // namespace gan::loss::detail
