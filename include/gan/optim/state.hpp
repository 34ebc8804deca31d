// State: the named per-parameter arrays and the step counter that an optimizer keeps for
// its one network, and the option checks the optimizers share.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/core/tensor.hpp"

namespace gan::optim {

/// The arrays an optimizer keeps per parameter (Adam's first and second moments, a
/// momentum buffer), each as long as the network's flat parameter array, and the number
/// of steps taken. The arrays are sized and zeroed on the first step; a later step over
/// another number of parameters throws gan::Error, because an optimizer belongs to one
/// network (G and D each have their own, unlike mlpack's shared optimizer, its issue
/// #1206).
template <class T>
class State {
 public:
  /// `owner` names the optimizer in error messages ("Adam").
  explicit State(std::string owner) : m_owner(std::move(owner)) {}

  /// Declares an array; called by the optimizer's constructor. Names are PyTorch's state
  /// keys ("exp_avg"), listed in the order a checkpoint stores them. `name` must outlive
  /// the state (a string literal).
  void add(std::string_view name) { m_arrays.push_back({name, Tensor<T>()}); }

  /// Whether the arrays have been sized (by a first step or by reset).
  bool sized() const { return m_size >= 0; }
  /// Number of parameters the arrays are sized for (0 before the first step).
  Index size() const { return m_size < 0 ? 0 : m_size; }
  /// Steps taken so far.
  Index steps() const { return m_steps; }
  void set_steps(Index k) {
    GAN_CHECK(k >= 0, m_owner, ": step count must be non-negative, got ", k);
    m_steps = k;
  }

  /// Sizes every array for n parameters, zero-filled, with the step count 0: the state of
  /// an optimizer that has not stepped yet. A checkpoint loader calls this and then fills
  /// the arrays through for_each.
  void reset(Index n) {
    GAN_CHECK(n >= 0, m_owner, ": negative parameter count ", n);
    for (auto& a : m_arrays) a.values = Tensor<T>(core::features(n, 1));
    m_size = n;
    m_steps = 0;
  }

  /// Checks a step's arrays: same lengths, and the length the state is sized for (sizing
  /// it on first use).
  void prepare(std::span<const T> params, std::span<const T> grads) {
    const auto n = static_cast<Index>(params.size());
    GAN_CHECK(grads.size() == params.size(), m_owner, ": step with ", n, " parameters but ",
              grads.size(), " gradients");
    if (!sized()) {
      const Index steps = m_steps;  // a restored count survives the sizing
      reset(n);
      m_steps = steps;
    }
    GAN_CHECK(n == m_size, m_owner, ": step over ", n, " parameters, but its state is sized for ",
              m_size, " (an optimizer belongs to one network)");
  }

  /// Values of array k (in the order of add), size() long.
  T* data(std::size_t k) { return m_arrays[k].values.data(); }

  /// Calls f(name, span) on each array, in the order of add.
  template <class F>
  void for_each(F&& f) {
    for (auto& a : m_arrays) f(a.name, std::span<T>(a.values.data(), a.values.size()));
  }
  template <class F>
  void for_each(F&& f) const {
    for (const auto& a : m_arrays) f(a.name, std::span<const T>(a.values.data(), a.values.size()));
  }

 private:
  struct Array {
    std::string_view name;
    Tensor<T> values;  // (size, 1)
  };
  std::string m_owner;
  std::vector<Array> m_arrays;
  Index m_size = -1;  // -1 until sized: a network may have no parameters at all
  Index m_steps = 0;
};

namespace detail {

/// Throws gan::Error "Adam: beta1 must be in [0, 1), got 1" unless `ok`.
inline void check_option(bool ok, std::string_view owner, std::string_view option, double value,
                         std::string_view wanted) {
  GAN_CHECK(ok, owner, ": ", option, " must be ", wanted, ", got ", value);
}
/// Finite and > 0 (learning rates).
inline void check_positive(std::string_view owner, std::string_view option, double v) {
  check_option(std::isfinite(v) && v > 0, owner, option, v, "positive and finite");
}
/// Finite and >= 0 (eps, weight decay, momentum).
inline void check_non_negative(std::string_view owner, std::string_view option, double v) {
  check_option(std::isfinite(v) && v >= 0, owner, option, v, "non-negative and finite");
}
/// In [0, 1) (decay rates of running averages: 1 would never forget the zero start).
inline void check_decay(std::string_view owner, std::string_view option, double v) {
  check_option(v >= 0 && v < 1, owner, option, v, "in [0, 1)");
}

}  // namespace detail

}  // namespace gan::optim
