// The Optimizer concept: what turns a network's gradients into a parameter update.
//
// A network (net/sequential.hpp) keeps all its trainable values in one flat array and
// their gradients in another of the same length and order (parameters(), gradients()).
// An optimizer makes one pass over the two per step, with whatever per-parameter arrays it
// keeps (moments, momentum buffers) laid out the same way. One optimizer instance belongs
// to one network: the generator and the discriminator each have their own (mlpack shares
// one between them, its issue #1206), so their moments never mix.
//
// Required members of an Optimizer O (T = O::Scalar, float or double):
//
//   typename O::Options
//       An aggregate of run-time hyperparameters (doubles and bools) with the defaults of
//       PyTorch 1.13's torch.optim. Everything numeric is run time, so a sweep over
//       learning rates needs no recompile.
//   explicit O(Options o = {})
//       Checks every option and throws gan::Error naming the first one out of range
//       ("Adam: beta1 must be in [0, 1), got 1").
//   void step(std::span<T> params, std::span<const T> grads)
//       One update of params from grads (equal lengths, else gan::Error). Sizes the state
//       on the first step; a later step over another length throws gan::Error (the
//       optimizer was given another network's arrays). One vectorized pass; the result
//       does not depend on the thread count.
//   double learning_rate() const, void set_learning_rate(double)
//       The current learning rate, for schedules and for rollbacks after a non-finite
//       loss; the setter checks it as the constructor does.
//   const Options& options() const
//   std::string name() const
//       "Adam(lr=0.0002, betas=(0.5, 0.999))", for logs.
//   Index step_count() const, void set_step_count(Index)
//       Steps taken so far (Adam's bias corrections depend on it; SGD starts its momentum
//       buffer on step 0).
//   void reset(Index n)
//       Sizes the state for n parameters, zero-filled, with step count 0: a fresh start.
//   void for_each_state(F f)  (and a const overload)
//       Calls f(std::string_view name, std::span<T> values) on each state array, in a
//       fixed order, with PyTorch's state keys as names ("exp_avg", "exp_avg_sq",
//       "square_avg", "momentum_buffer", "grad_avg"). Arrays are empty before the first
//       step or reset (and then mean zeros). A checkpoint saves every array by name and
//       the step count; a loader calls reset(n), fills the arrays through for_each_state,
//       then set_step_count, and the next step is bit for bit the one the saved optimizer
//       would have taken.
//
// Optimizers that ship: Sgd (optim/sgd.hpp: momentum, Nesterov, dampening), Adam
// (optim/adam.hpp), RmsProp (optim/rms_prop.hpp: momentum, centered). All take an L2
// weight_decay added to the gradient, as PyTorch does.
//
// To write a new one, copy optim/sgd.hpp: declare its arrays with State::add in the
// constructor, compute the per-step constants in double, write the per-parameter update
// once as a generic lambda for detail::update (optim/update.hpp), which runs it on SIMD
// batches and on the scalar tail, end the file with static_assert(Optimizer<Model<float>>),
// and compare it with PyTorch in tests/optim/golden_test.cpp (tests/golden/README.md).
#pragma once

#include <concepts>
#include <span>
#include <string>
#include <string_view>

#include "gan/core/shape.hpp"

namespace gan::optim {

namespace detail {
/// A state visitor with the signature for_each_state must accept.
template <class T>
struct StateVisitor {
  void operator()(std::string_view, std::span<T>) const {}
};
}  // namespace detail

template <class O>
concept Optimizer = requires(O o, const O co, std::span<typename O::Scalar> params,
                             std::span<const typename O::Scalar> grads, double lr, Index k) {
  typename O::Scalar;
  typename O::Options;
  requires std::constructible_from<O, typename O::Options>;
  requires std::default_initializable<typename O::Options>;
  o.step(params, grads);
  { co.learning_rate() } -> std::same_as<double>;
  o.set_learning_rate(lr);
  { co.options() } -> std::same_as<const typename O::Options&>;
  { co.name() } -> std::convertible_to<std::string>;
  { co.step_count() } -> std::same_as<Index>;
  o.set_step_count(k);
  o.reset(k);
  o.for_each_state(detail::StateVisitor<typename O::Scalar>{});
  co.for_each_state(detail::StateVisitor<const typename O::Scalar>{});
};

}  // namespace gan::optim
