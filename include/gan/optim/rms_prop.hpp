// RmsProp: divide the gradient by a running average of its recent magnitude (Tieleman &
// Hinton, "Lecture 6.5 - rmsprop", COURSERA: Neural Networks for Machine Learning, 2012),
// with the semantics of PyTorch 1.13's torch.optim.RMSprop.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/optim/concept.hpp"
#include "gan/optim/state.hpp"
#include "gan/optim/update.hpp"

namespace gan::optim {

/// RMSprop, as torch.optim.RMSprop. With g the gradient:
///
///     g ← g + weight_decay·θ                     (L2 penalty, added to the gradient)
///     s ← α·s + (1 − α)·g²                       "square_avg"
///     centered:  a ← α·a + (1 − α)·g             "grad_avg"
///                d ← √(s − a²) + eps
///     otherwise  d ← √s + eps                    (eps after the root, as PyTorch)
///     momentum > 0:  b ← momentum·b + g/d;  θ ← θ − lr·b   "momentum_buffer"
///     otherwise      θ ← θ − lr·g/d
///
/// WGAN trains its critic with RMSprop at lr 5e-5 (Arjovsky et al. 2017, Algorithm 1).
/// The state holds only the arrays the options use: "square_avg", then "momentum_buffer"
/// when momentum > 0, then "grad_avg" when centered.
template <class T>
class RmsProp {
 public:
  using Scalar = T;

  struct Options {
    double lr = 1e-2;
    double alpha = 0.99;
    double eps = 1e-8;
    double weight_decay = 0;
    double momentum = 0;
    bool centered = false;
  };

  /// Throws gan::Error naming the first option out of range.
  explicit RmsProp(Options o = {}) : m_options(o), m_state("RmsProp") {
    detail::check_positive("RmsProp", "lr", o.lr);
    detail::check_decay("RmsProp", "alpha", o.alpha);
    detail::check_non_negative("RmsProp", "eps", o.eps);
    detail::check_non_negative("RmsProp", "weight_decay", o.weight_decay);
    detail::check_non_negative("RmsProp", "momentum", o.momentum);
    m_state.add("square_avg");
    if (o.momentum > 0) m_state.add("momentum_buffer");
    if (o.centered) m_state.add("grad_avg");
  }

  std::string name() const {
    return core::detail::concat("RmsProp(lr=", m_options.lr, ", alpha=", m_options.alpha, ")");
  }
  const Options& options() const { return m_options; }
  double learning_rate() const { return m_options.lr; }
  void set_learning_rate(double lr) {
    detail::check_positive("RmsProp", "lr", lr);
    m_options.lr = lr;
  }

  /// One step over a network's parameters with their gradients.
  void step(std::span<T> params, std::span<const T> grads) {
    m_state.prepare(params, grads);
    m_state.set_steps(m_state.steps() + 1);
    const T a = static_cast<T>(m_options.alpha), c = static_cast<T>(1 - m_options.alpha);
    const T eps = static_cast<T>(m_options.eps), mu = static_cast<T>(m_options.momentum);
    const T neg_lr = static_cast<T>(-m_options.lr);
    const T decay = static_cast<T>(m_options.weight_decay);
    const Index n = static_cast<Index>(params.size());
    T* sq = m_state.data(0);
    // The four variants as separate passes, so that each touches only its arrays.
    if (m_options.centered && mu > T(0)) {
      detail::update(
          [=](auto g, auto& p, auto& s, auto& b, auto& avg) {
            g = detail::decayed(g, p, decay);
            s = s * a + c * g * g;
            avg = avg * a + g * c;
            b = b * mu + g / (xsimd::sqrt(s - avg * avg) + eps);
            p = p + neg_lr * b;
          },
          n, grads.data(), params.data(), sq, m_state.data(1), m_state.data(2));
    } else if (m_options.centered) {
      detail::update(
          [=](auto g, auto& p, auto& s, auto& avg) {
            g = detail::decayed(g, p, decay);
            s = s * a + c * g * g;
            avg = avg * a + g * c;
            p = p + neg_lr * g / (xsimd::sqrt(s - avg * avg) + eps);
          },
          n, grads.data(), params.data(), sq, m_state.data(1));
    } else if (mu > T(0)) {
      detail::update(
          [=](auto g, auto& p, auto& s, auto& b) {
            g = detail::decayed(g, p, decay);
            s = s * a + c * g * g;
            b = b * mu + g / (xsimd::sqrt(s) + eps);
            p = p + neg_lr * b;
          },
          n, grads.data(), params.data(), sq, m_state.data(1));
    } else {
      detail::update(
          [=](auto g, auto& p, auto& s) {
            g = detail::decayed(g, p, decay);
            s = s * a + c * g * g;
            p = p + neg_lr * g / (xsimd::sqrt(s) + eps);
          },
          n, grads.data(), params.data(), sq);
    }
  }

  Index step_count() const { return m_state.steps(); }
  void set_step_count(Index t) { m_state.set_steps(t); }
  /// Sizes the state for n parameters, zeroed, step count 0 (see State::reset).
  void reset(Index n) { m_state.reset(n); }
  /// f(name, span) on each state array (see the class comment for which ones).
  template <class F>
  void for_each_state(F&& f) {
    m_state.for_each(f);
  }
  template <class F>
  void for_each_state(F&& f) const {
    m_state.for_each(f);
  }

 private:
  Options m_options;
  State<T> m_state;
};

static_assert(Optimizer<RmsProp<float>>);
static_assert(Optimizer<RmsProp<double>>);

}  // namespace gan::optim
