// Sgd: stochastic gradient descent with optional heavy-ball momentum (Polyak, "Some
// methods of speeding up the convergence of iteration methods", 1964) or Nesterov momentum
// (Sutskever, Martens, Dahl & Hinton, "On the importance of initialization and momentum in
// deep learning", ICML 2013), with the semantics of PyTorch 1.13's torch.optim.SGD.
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

/// SGD, as torch.optim.SGD. With g the gradient and μ the momentum:
///
///     g ← g + weight_decay·θ                     (L2 penalty, added to the gradient)
///     μ > 0:  b ← g on the first step,           "momentum_buffer"
///             b ← μ·b + (1 − dampening)·g after it
///             d ← g + μ·b (nesterov) or d ← b
///     μ = 0:  d ← g
///     θ ← θ − lr·d
///
/// The state is the momentum buffer when μ > 0, and nothing otherwise.
template <class T>
class Sgd {
 public:
  using Scalar = T;

  struct Options {
    double lr = 1e-2;
    double momentum = 0;
    double dampening = 0;
    double weight_decay = 0;
    bool nesterov = false;
  };

  /// Throws gan::Error naming the first option out of range.
  explicit Sgd(Options o = {}) : m_options(o), m_state("Sgd") {
    detail::check_positive("Sgd", "lr", o.lr);
    detail::check_non_negative("Sgd", "momentum", o.momentum);
    detail::check_option(o.dampening >= 0 && o.dampening <= 1, "Sgd", "dampening", o.dampening,
                         "in [0, 1]");
    detail::check_non_negative("Sgd", "weight_decay", o.weight_decay);
    GAN_CHECK(!o.nesterov || (o.momentum > 0 && o.dampening == 0),
              "Sgd: nesterov needs momentum > 0 and dampening 0, got momentum ", o.momentum,
              " and dampening ", o.dampening);
    if (o.momentum > 0) m_state.add("momentum_buffer");
  }

  std::string name() const {
    return core::detail::concat("Sgd(lr=", m_options.lr, ", momentum=", m_options.momentum,
                                m_options.nesterov ? ", nesterov" : "", ")");
  }
  const Options& options() const { return m_options; }
  double learning_rate() const { return m_options.lr; }
  void set_learning_rate(double lr) {
    detail::check_positive("Sgd", "lr", lr);
    m_options.lr = lr;
  }

  /// One step over a network's parameters with their gradients.
  void step(std::span<T> params, std::span<const T> grads) {
    m_state.prepare(params, grads);
    const bool first = m_state.steps() == 0;  // PyTorch: no buffer yet
    m_state.set_steps(m_state.steps() + 1);
    const T neg_lr = static_cast<T>(-m_options.lr), mu = static_cast<T>(m_options.momentum);
    const T keep = static_cast<T>(1 - m_options.dampening);
    const T decay = static_cast<T>(m_options.weight_decay);
    const Index n = static_cast<Index>(params.size());
    if (m_options.momentum == 0) {
      detail::update([=](auto g, auto& p) { p = p + neg_lr * detail::decayed(g, p, decay); }, n,
                     grads.data(), params.data());
      return;
    }
    const bool nesterov = m_options.nesterov;
    detail::update(
        [=](auto g, auto& p, auto& b) {
          g = detail::decayed(g, p, decay);
          b = first ? g : b * mu + keep * g;
          p = p + neg_lr * (nesterov ? g + mu * b : b);
        },
        n, grads.data(), params.data(), m_state.data(0));
  }

  /// Steps taken; the first step (count 0) starts the momentum buffer at g.
  Index step_count() const { return m_state.steps(); }
  void set_step_count(Index t) { m_state.set_steps(t); }
  /// Sizes the state for n parameters, zeroed, step count 0 (see State::reset).
  void reset(Index n) { m_state.reset(n); }
  /// f(name, span) on "momentum_buffer" when momentum > 0; on nothing otherwise.
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

static_assert(Optimizer<Sgd<float>>);
static_assert(Optimizer<Sgd<double>>);

}  // namespace gan::optim
