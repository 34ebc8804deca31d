// The machinery every gradient penalty shares: D's input gradient at penalty points,
// its per-sample norm, and the exact parameter gradient of a function of that norm.
#pragma once

#include <cmath>
#include <utility>

#include "gan/core/tensor.hpp"
#include "gan/net/concept.hpp"
#include "gan/net/tape.hpp"

namespace gan::penalty {

/// Buffers a penalty works in, owned by the model (so penalties stay plain types and a
/// training loop allocates only in its first step).
template <class T>
struct Workspace {
  Tensor<T> points;   ///< (N, D's input): the penalty points x̂
  net::Tape<T> tape;  ///< D's pass over the points
  Tensor<T> ones;     ///< (N, D's output): ∂(Σ D)/∂out
  Tensor<T> grad;     ///< (N, D's input): g = ∇ₓ D
  Tensor<T> adjoint;  ///< (N, D's input): u = ∂P/∂g
  Tensor<T> norms;    ///< (N, 1): ‖g_n‖ of the last penalty
};

namespace detail {

/// Computes P = mean_n f(‖g_n‖) with g_n = ∇ₓ Σ D(x̂_n) over the first `data_features`
/// values of each penalty point x̂_n = ws.points, and adds ∂P/∂θ to D's gradients:
///   1. forward D on x̂, 2. backward from ∂D/∂out = 1 to get g,
///   3. u = ∂P/∂g = f'(‖g‖)·g/‖g‖ / N (zero on label features),
///   4. D.penalty_backward(u): the second-order pass (DESIGN.md).
/// ‖g‖ = √(Σg² + ε): the ε keeps the derivative finite at g = 0. `f(norm)` returns the
/// pair (f(norm), f'(norm)/norm).
template <class D, class F>
double gradient_norm_penalty(D& d, Workspace<typename D::Scalar>& ws, Index data_features,
                             double epsilon, F&& f) {
  static_assert(net::TwiceDifferentiableNetwork<D>,
                "a gradient penalty needs a critic whose every layer is TwiceDifferentiable");
  using T = typename D::Scalar;
  const Index n = ws.points.n();
  ConstView<T> out = d.forward(ws.points.view(), ws.tape);
  ws.ones.resize(out.shape());
  ws.ones.fill(T(1));
  ws.grad.resize(ws.points.shape());
  d.backward(ws.tape, ws.ones.view(), ws.grad.view(), net::Grad::input);
  ws.adjoint.resize(ws.points.shape());
  ws.adjoint.fill(T(0));
  ws.norms.resize(core::features(n, 1));
  double total = 0;
  for (Index i = 0; i < n; ++i) {
    const T* g = ws.grad.view().sample(i);
    double sq = 0;
    for (Index k = 0; k < data_features; ++k) sq += double(g[k]) * double(g[k]);
    const double norm = std::sqrt(sq + epsilon);
    ws.norms[i] = static_cast<T>(norm);
    auto [value, slope_over_norm] = f(norm);
    total += value;
    const T scale = static_cast<T>(slope_over_norm / static_cast<double>(n));
    T* u = ws.adjoint.view().sample(i);
    for (Index k = 0; k < data_features; ++k) u[k] = scale * g[k];
  }
  d.penalty_backward(ws.tape, ws.adjoint.view());
  return n > 0 ? total / static_cast<double>(n) : 0.0;
}

/// λ(‖g‖ − 1)², the two-sided penalty of WGAN-GP and DRAGAN.
inline auto unit_norm_penalty(double lambda) {
  return [lambda](double norm) {
    return std::pair{lambda * (norm - 1) * (norm - 1), 2 * lambda * (norm - 1) / norm};
  };
}

}  // namespace detail
}  // namespace gan::penalty
