// Checks every optimizer test shares: minimizing a quadratic, saving and restoring the
// state with a bit-identical continuation, and the size errors of step.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/shape.hpp"
#include "gan/optim/concept.hpp"

namespace gan::testing {

/// f(θ) = ½ Σ a_i (θ_i − c_i)² with curvatures a_i in [0.5, 4] (an ill-conditioned bowl)
/// and centres c_i in [−1, 1].
template <class T>
struct Quadratic {
  std::vector<T> a, c;
  explicit Quadratic(Index n, std::uint64_t seed = 5) : a(n), c(n) {
    Rng rng(seed, Stream::user);
    for (Index i = 0; i < n; ++i) {
      a[i] = static_cast<T>(rng.uniform(0.5, 4.0));
      c[i] = static_cast<T>(rng.uniform(-1.0, 1.0));
    }
  }
  void gradient(std::span<const T> theta, std::span<T> g) const {
    for (std::size_t i = 0; i < a.size(); ++i) g[i] = a[i] * (theta[i] - c[i]);
  }
  /// max_i |θ_i − c_i|: the distance to the minimum.
  double distance(std::span<const T> theta) const {
    double d = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
      d = std::max(d, std::abs(static_cast<double>(theta[i]) - static_cast<double>(c[i])));
    return d;
  }
};

/// Runs `steps` steps from θ = 0, multiplying the learning rate by `lr_decay` after each
/// (a schedule through set_learning_rate), and returns the distance to the minimum.
template <optim::Optimizer O>
double minimize_quadratic(O& opt, Index n, int steps, double lr_decay = 1.0) {
  using T = typename O::Scalar;
  Quadratic<T> q(n);
  std::vector<T> theta(n, T(0)), g(n);
  for (int k = 0; k < steps; ++k) {
    q.gradient(theta, g);
    opt.step(theta, g);
    opt.set_learning_rate(opt.learning_rate() * lr_decay);
  }
  return q.distance(theta);
}

/// Gradient of step k at θ: the quadratic's plus noise drawn from (seed k), so that two
/// runs from equal θ see equal gradients.
template <class T>
void noisy_gradient(const Quadratic<T>& q, std::span<const T> theta, int k, std::span<T> g) {
  q.gradient(theta, g);
  Rng rng(static_cast<std::uint64_t>(k), Stream::user);
  for (auto& v : g) v += static_cast<T>(rng.normal(0, 0.3));
}

/// An optimizer's state as a checkpoint holds it: every array by name, and the step count.
template <class T>
struct SavedState {
  std::vector<std::pair<std::string, std::vector<T>>> arrays;
  Index steps = 0;
};

template <optim::Optimizer O>
SavedState<typename O::Scalar> save_state(const O& opt) {
  SavedState<typename O::Scalar> s;
  opt.for_each_state([&](std::string_view name, auto values) {
    s.arrays.emplace_back(std::string(name), std::vector(values.begin(), values.end()));
  });
  s.steps = opt.step_count();
  return s;
}

/// Restores as a checkpoint loader does: reset, arrays by name, then the step count. An
/// optimizer saved before its first step has empty arrays; reset's zeros stand for them.
template <optim::Optimizer O>
void restore_state(O& opt, const SavedState<typename O::Scalar>& s, Index n) {
  opt.reset(n);
  std::size_t k = 0;
  opt.for_each_state([&](std::string_view name, auto values) {
    REQUIRE(k < s.arrays.size());
    REQUIRE(name == s.arrays[k].first);
    REQUIRE(values.size() == static_cast<std::size_t>(n));
    if (s.arrays[k].second.empty()) {  // saved before the first step: reset's zeros stand
      CHECK(s.steps == 0);
    } else {
      REQUIRE(values.size() == s.arrays[k].second.size());
      std::copy(s.arrays[k].second.begin(), s.arrays[k].second.end(), values.begin());
    }
    ++k;
  });
  REQUIRE(k == s.arrays.size());
  opt.set_step_count(s.steps);
}

/// Runs `before` steps, saves the state and θ, runs `after` more; then a fresh optimizer
/// from make() restored from the save runs the same `after` steps. Parameters and state
/// must agree bit for bit. Returns the names of the state arrays.
template <class Make>
std::vector<std::string> check_restore_is_exact(Make make, Index n, int before, int after) {
  auto a = make();
  using T = typename decltype(a)::Scalar;
  Quadratic<T> q(n);
  std::vector<T> theta(n, T(0.25)), g(n);
  for (int k = 0; k < before; ++k) {
    noisy_gradient<T>(q, theta, k, g);
    a.step(theta, g);
  }
  const auto saved = save_state(a);
  std::vector<T> theta_b = theta;
  for (int k = before; k < before + after; ++k) {
    noisy_gradient<T>(q, theta, k, g);
    a.step(theta, g);
  }
  auto b = make();
  restore_state(b, saved, n);
  CHECK(b.step_count() == before);
  for (int k = before; k < before + after; ++k) {
    noisy_gradient<T>(q, theta_b, k, g);
    b.step(theta_b, g);
  }
  CHECK(theta_b == theta);
  const auto end_a = save_state(a), end_b = save_state(b);
  CHECK(end_b.steps == end_a.steps);
  CHECK(end_b.arrays == end_a.arrays);
  std::vector<std::string> names;
  for (const auto& [name, values] : end_a.arrays) {
    CHECK(values.size() == static_cast<std::size_t>(n));
    names.push_back(name);
  }
  return names;
}

/// step rejects grads of another length, and a second network's arrays of another size.
template <optim::Optimizer O>
void check_size_errors(O opt, const std::string& who) {
  using T = typename O::Scalar;
  std::vector<T> p(10, T(1)), g(10, T(0.5)), g9(9, T(0.5)), p11(11, T(1)), g11(11, T(0.5));
  CHECK_THROWS_WITH_AS(opt.step(p, g9), (who + ": step with 10 parameters but 9 gradients").c_str(),
                       gan::Error);
  opt.step(p, g);
  CHECK_THROWS_WITH_AS(
      opt.step(p11, g11),
      (who + ": step over 11 parameters, but its state is sized for 10 (an optimizer belongs "
             "to one network)")
          .c_str(),
      gan::Error);
  opt.step(p, g);  // still usable on its own network
  CHECK(opt.step_count() == 2);
}

}  // namespace gan::testing
