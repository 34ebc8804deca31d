// Finite-difference checks for layers, in double precision with central differences:
// the input gradient (Jacobian), the parameter gradient, and the second-order pass
// (backward_backward) against differences of a penalty of the input gradient.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"

namespace gan::testing {

/// A layer with its own parameter storage, for tests of one layer outside a network.
template <class L>
struct Bound {
  using T = typename L::Scalar;
  L layer;
  std::vector<T> values, grads, buffers;

  explicit Bound(L l, std::uint64_t seed = 1) : layer(std::move(l)) {
    values.assign(layer.parameter_count(), T(0));
    grads.assign(layer.parameter_count(), T(0));
    layer.bind_parameters(values.data(), grads.data());
    if constexpr (layer::HasBuffers<L>) {
      buffers.assign(layer.buffer_count(), T(0));
      layer.bind_buffers(buffers.data());
    }
    Rng rng(seed, Stream::init);
    layer.initialize(rng);
  }
  Bound(const Bound&) = delete;
  void zero_grad() { std::fill(grads.begin(), grads.end(), T(0)); }
  /// Moves every parameter a little off its initial value, so that checks do not sit on
  /// special points (BatchNorm's γ = 1, β = 0).
  void perturb(Rng& rng, double scale = 0.1) {
    for (auto& v : values) v += static_cast<T>(rng.uniform(-scale, scale));
  }
};

/// Values uniform in ±(margin, 1]: away from 0, where ReLU-like layers have a kink.
template <class T>
Tensor<T> random_tensor(Shape s, Rng& rng, double margin = 0.05) {
  Tensor<T> t(s);
  for (Index k = 0; k < t.size(); ++k) {
    double v = rng.uniform(-1, 1);
    t[k] = static_cast<T>(v + (v < 0 ? -margin : margin));
  }
  return t;
}

/// max |a − b| / max(max |b|, floor): a relative error that is not fooled by one tiny entry.
template <class A, class B>
double relative_error(const A& a, const B& b, double floor = 1e-3) {
  REQUIRE(a.size() == b.size());
  double diff = 0, scale = floor;
  for (std::size_t k = 0; k < static_cast<std::size_t>(a.size()); ++k) {
    diff = std::max(diff, std::abs(static_cast<double>(a[k]) - static_cast<double>(b[k])));
    scale = std::max(scale, std::abs(static_cast<double>(b[k])));
  }
  return diff / scale;
}

/// Central difference of f with respect to each value of `v` (changed in place, restored).
template <class T, class F>
std::vector<double> numeric_gradient(T* v, Index count, F&& f, double h = 1e-6) {
  std::vector<double> g(count);
  for (Index k = 0; k < count; ++k) {
    T saved = v[k];
    v[k] = saved + h;
    double plus = f();
    v[k] = saved - h;
    double minus = f();
    v[k] = saved;
    g[k] = (plus - minus) / (2 * h);
  }
  return g;
}

inline double dot(ConstView<double> a, ConstView<double> b) {
  double s = 0;
  for (Index k = 0; k < a.size(); ++k) s += a[k] * b[k];
  return s;
}

/// What each check reports, for messages.
struct Tolerance {
  double value = 1e-6;
};

/// Checks backward (input gradient) and accumulate_grad (parameter gradient) of a
/// double-precision layer on input shape `in`, against central differences of
/// f(x, θ) = <y(x, θ), r> with random r.
template <class L>
void check_gradients(Bound<L>& b, Shape in, std::uint64_t seed = 7, double tol = 1e-6) {
  static_assert(std::is_same_v<typename L::Scalar, double>, "gradient checks run in double");
  Rng rng(seed, Stream::user);
  Shape out = b.layer.output_shape(in);
  Tensor<double> x = random_tensor<double>(in, rng);
  Tensor<double> r = random_tensor<double>(out, rng, 0.0);
  Tensor<double> y(out), dx(in);

  auto f = [&] {
    b.layer.forward(x.view(), y.view());
    return dot(y.view(), r.view());
  };
  f();
  b.layer.backward(x.view(), y.view(), r.view(), dx.view());
  std::vector<double> numeric = numeric_gradient(x.data(), x.size(), f);
  CAPTURE(b.layer.name());
  CAPTURE(in);
  CHECK_MESSAGE(relative_error(dx.span(), numeric) < tol, "input gradient");

  if (b.layer.parameter_count() > 0) {
    f();
    b.zero_grad();
    b.layer.accumulate_grad(x.view(), r.view());
    std::vector<double> dtheta(b.grads.begin(), b.grads.end());
    b.zero_grad();
    b.layer.accumulate_grad(x.view(), r.view());
    b.layer.accumulate_grad(x.view(), r.view());
    std::vector<double> twice(b.grads.begin(), b.grads.end());
    for (auto& v : twice) v /= 2;
    CHECK_MESSAGE(relative_error(twice, dtheta) < 1e-12, "accumulate_grad adds up");
    std::vector<double> numeric_theta =
        numeric_gradient(b.values.data(), b.layer.parameter_count(), f);
    CHECK_MESSAGE(relative_error(dtheta, numeric_theta) < tol, "parameter gradient");
  }
}

/// Checks backward_backward against central differences of the penalty
/// P = Σ c ⊙ g², g = backward(x, y, r): the adjoint of r (du_dy), the parameter term
/// (added to the gradient array) and the curvature term ∂P/∂x.
template <class L>
void check_backward_backward(Bound<L>& b, Shape in, std::uint64_t seed = 11, double tol = 1e-6) {
  static_assert(layer::TwiceDifferentiable<L>);
  Rng rng(seed, Stream::user);
  Shape out = b.layer.output_shape(in);
  Tensor<double> x = random_tensor<double>(in, rng);
  Tensor<double> r = random_tensor<double>(out, rng, 0.0);
  Tensor<double> c(in);
  for (Index k = 0; k < c.size(); ++k) c[k] = rng.uniform(0.5, 1.5);
  Tensor<double> y(out), g(in), u(in), du_dy(out), curv(in);

  auto penalty = [&] {
    b.layer.forward(x.view(), y.view());
    b.layer.backward(x.view(), y.view(), r.view(), g.view());
    double p = 0;
    for (Index k = 0; k < g.size(); ++k) p += c[k] * g[k] * g[k];
    return p;
  };
  penalty();
  for (Index k = 0; k < g.size(); ++k) u[k] = 2 * c[k] * g[k];
  b.zero_grad();
  curv.fill(0);
  b.layer.backward_backward(x.view(), y.view(), r.view(), u.view(), du_dy.view(),
                            L::has_curvature ? curv.view() : TensorView<double>());

  CAPTURE(b.layer.name());
  CAPTURE(in);
  std::vector<double> n_r = numeric_gradient(r.data(), r.size(), penalty);
  CHECK_MESSAGE(relative_error(du_dy.span(), n_r) < tol, "adjoint of the output gradient");
  std::vector<double> dtheta(b.grads.begin(), b.grads.end());
  if (b.layer.parameter_count() > 0) {
    std::vector<double> n_theta =
        numeric_gradient(b.values.data(), b.layer.parameter_count(), penalty);
    CHECK_MESSAGE(relative_error(dtheta, n_theta) < tol, "parameter term of the penalty");
  }
  std::vector<double> n_x = numeric_gradient(x.data(), x.size(), penalty);
  if constexpr (L::has_curvature) {
    CHECK_MESSAGE(relative_error(curv.span(), n_x) < tol, "curvature term");
  } else {
    double worst = 0;
    for (double v : n_x) worst = std::max(worst, std::abs(v));
    CHECK_MESSAGE(worst < 1e-6, "a layer without curvature has dP/dx = 0");
  }
}

}  // namespace gan::testing
