// The Loss concept: the adversarial objective, on raw discriminator outputs.
//
// A loss turns D's outputs on a real and a fake batch into the discriminator's loss and
// its gradient with respect to those outputs, and D's outputs on a fake batch into the
// generator's loss and gradient. Outputs are logits (no Sigmoid layer in D): the losses
// that need probabilities use numerically stable softplus forms. Every loss is a mean
// over the batch, so gradients carry the 1/N.
//
// Required members of a Loss L (T = float or double, templates on T):
//
//   struct Options;  L(Options = {})
//       Run-time hyperparameters (label smoothing, targets, γ and λ_k), with the paper's
//       values as defaults.
//   static constexpr Recipe recipe
//       The optimizer settings of the loss's paper (recipe.hpp); a penalty's recipe
//       overrides it.
//   static constexpr bool autoencoder
//       true when D is an autoencoder and the loss reads D's inputs as well (BEGAN);
//       the model then requires net::Autoencoder for D.
//   template <class T> DiscriminatorLoss discriminator(Batch<T> real, Batch<T> fake,
//                                                      TensorView<T> d_real, TensorView<T> d_fake)
//       The loss of D. Writes ∂loss/∂output into d_real and d_fake (shaped like the
//       outputs). Batch<T> is {input, output} of D.
//   template <class T> double generator(Batch<T> fake, TensorView<T> d_out, TensorView<T> d_in)
//       The loss of G on D's view of the fakes. Writes ∂loss/∂output into d_out; when
//       `autoencoder`, writes into d_in the gradient through D's input that does not pass
//       through D (BEGAN's |v − D(v)| reads v directly), otherwise leaves d_in alone.
//   void after_discriminator_step(const DiscriminatorLoss&)
//       State update once D has stepped (BEGAN's k_t); empty for stateless losses.
//   void report(StepStats&) const
//       Adds the loss's own figures (Wasserstein estimate, k_t, M_global).
//   template <class F> void for_each_state(F&& f)
//       f(std::string_view name, double& value) for each value a checkpoint must keep.
//
// Losses that ship: Minimax, NonSaturating, LeastSquares, Wasserstein, Hinge,
// BoundaryEquilibrium. To write a new one, copy loss/hinge.hpp and add its checks as in
// tests/loss/hinge_test.cpp.
#pragma once

#include <concepts>
#include <string_view>

#include "gan/core/tensor.hpp"
#include "gan/recipe.hpp"
#include "gan/stats.hpp"

namespace gan::loss {

/// D's input and output on one batch.
template <class T>
struct Batch {
  ConstView<T> input;
  ConstView<T> output;
};

/// The discriminator loss of one critic update and its parts.
struct DiscriminatorLoss {
  double value = 0;  ///< the loss D minimizes
  double real = 0;   ///< mean D(x) as StepStats::d_real describes it
  double fake = 0;   ///< mean D(G(z)) likewise
};

template <class L>
concept Loss = requires(L l, const L cl, Batch<float> b, TensorView<float> g,
                        const DiscriminatorLoss& dl, StepStats& s) {
  typename L::Options;
  { L::recipe } -> std::convertible_to<Recipe>;
  { L::autoencoder } -> std::convertible_to<bool>;
  { l.discriminator(b, b, g, g) } -> std::same_as<DiscriminatorLoss>;
  { l.generator(b, g, g) } -> std::same_as<double>;
  l.after_discriminator_step(dl);
  cl.report(s);
  l.for_each_state([](std::string_view, double&) {});
};

}  // namespace gan::loss
