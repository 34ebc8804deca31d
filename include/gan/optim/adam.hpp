// Adam: adaptive moment estimation (Kingma & Ba, "Adam: A Method for Stochastic
// Optimization", ICLR 2015), with the semantics of PyTorch 1.13's torch.optim.Adam.
#pragma once

#include <cmath>
#include <span>
#include <string>
#include <string_view>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/optim/concept.hpp"
#include "gan/optim/state.hpp"
#include "gan/optim/update.hpp"

namespace gan::optim {

/// Adam, as torch.optim.Adam (amsgrad off). With g the gradient and t the step number
/// (from 1):
///
///     g ← g + weight_decay·θ                    (L2 penalty, added to the gradient)
///     m ← β₁·m + (1 − β₁)·g                     "exp_avg"
///     v ← β₂·v + (1 − β₂)·g²                    "exp_avg_sq"
///     θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
///
/// eps sits outside the root of the bias-corrected v̂, so the first step moves each
/// parameter by about lr·sign(g). DCGAN trains with lr 2e-4 and β₁ = 0.5 (Radford et al.
/// 2016); WGAN-GP with lr 1e-4, β₁ = 0, β₂ = 0.9 (Gulrajani et al. 2017).
template <class T>
class Adam {
 public:
  using Scalar = T;

  struct Options {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0;
  };

  /// Throws gan::Error naming the first option out of range.
  explicit Adam(Options o = {}) : m_options(o), m_state("Adam") {
    detail::check_positive("Adam", "lr", o.lr);
    detail::check_decay("Adam", "beta1", o.beta1);
    detail::check_decay("Adam", "beta2", o.beta2);
    detail::check_non_negative("Adam", "eps", o.eps);
    detail::check_non_negative("Adam", "weight_decay", o.weight_decay);
    m_state.add("exp_avg");
    m_state.add("exp_avg_sq");
  }

  std::string name() const {
    return core::detail::concat("Adam(lr=", m_options.lr, ", betas=(", m_options.beta1, ", ",
                                m_options.beta2, "))");
  }
  const Options& options() const { return m_options; }
  double learning_rate() const { return m_options.lr; }
  void set_learning_rate(double lr) {
    detail::check_positive("Adam", "lr", lr);
    m_options.lr = lr;
  }

  /// One step over a network's parameters with their gradients.
  void step(std::span<T> params, std::span<const T> grads) {
    m_state.prepare(params, grads);
    m_state.set_steps(m_state.steps() + 1);
    // The bias corrections in double, once per step, as PyTorch computes them.
    const double t = static_cast<double>(m_state.steps());
    const double bias1 = 1 - std::pow(m_options.beta1, t);
    const double bias2 = 1 - std::pow(m_options.beta2, t);
    const T b1 = static_cast<T>(m_options.beta1), c1 = static_cast<T>(1 - m_options.beta1);
    const T b2 = static_cast<T>(m_options.beta2), c2 = static_cast<T>(1 - m_options.beta2);
    // lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps) with √(1 − β₂ᵗ) moved into the step
    // and eps (Kingma & Ba's own rewriting, end of their Section 2): one division per
    // value instead of two. A division and a root take about 10 and 12 cycles per
    // AVX-512 register, so the dividers, not memory, bounded the step of an MLP GAN.
    const double root_bias2 = std::sqrt(bias2);
    const T eps = static_cast<T>(m_options.eps * root_bias2);
    const T neg_step = static_cast<T>(-m_options.lr * root_bias2 / bias1);
    const T decay = static_cast<T>(m_options.weight_decay);
    detail::update(
        [=](auto g, auto& p, auto& m, auto& v) {
          g = detail::decayed(g, p, decay);
          m = m * b1 + g * c1;
          v = v * b2 + c2 * g * g;
          p = p + neg_step * m / (xsimd::sqrt(v) + eps);
        },
        static_cast<Index>(params.size()), grads.data(), params.data(), m_state.data(0),
        m_state.data(1));
  }

  /// Steps taken (t in the bias corrections).
  Index step_count() const { return m_state.steps(); }
  void set_step_count(Index t) { m_state.set_steps(t); }
  /// Sizes the state for n parameters, zeroed, step count 0 (see State::reset).
  void reset(Index n) { m_state.reset(n); }
  /// f(name, span) on "exp_avg" then "exp_avg_sq" (empty before the first step or reset).
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

static_assert(Optimizer<Adam<float>>);
static_assert(Optimizer<Adam<double>>);

}  // namespace gan::optim
