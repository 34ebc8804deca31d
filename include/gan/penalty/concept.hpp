// The Penalty concept: what keeps the discriminator in check beyond its loss.
//
// A penalty either adds a term and its exact parameter gradient to D after D's loss
// gradient (gradient penalties, through the second-order pass of DESIGN.md), or
// constrains D's weights after the optimizer step (weight clipping), or both.
//
// Required members of a Penalty P, for a discriminator network D (net/concept.hpp):
//
//   struct Options;  P(Options = {})
//       Run-time hyperparameters (λ, clip value) with the paper's defaults.
//   static constexpr Recipe recipe
//       The paper's optimizer settings and n_critic (recipe.hpp), or an empty Recipe.
//   static constexpr bool needs_second_order
//       true when apply() calls D.penalty_backward: the model then requires
//       net::TwiceDifferentiableNetwork for D, and says so at compile time.
//   double apply(D& d, ConstView<T> real, ConstView<T> fake, Index data_features, Rng& rng,
//                Workspace<T>& ws)
//       real and fake are D's inputs of this critic update (labels joined, for
//       conditional models: each sample's first `data_features` values are data, the
//       rest label encoding, which a penalty leaves alone). Adds ∂penalty/∂θ to
//       d.gradients() and returns the penalty's value (0 if it adds nothing). Random
//       draws come from `rng` (the penalty stream); buffers from `ws`
//       (penalty/gradient_norm.hpp), which the model owns.
//   void after_step(D& d)
//       Called after each optimizer step of D (weight clipping); empty otherwise.
//
// Penalties that ship: None, WeightClip, GradientPenalty, Dragan, R1. A new gradient
// penalty is a few lines on top of penalty/gradient_norm.hpp; see penalty/r1.hpp.
#pragma once

#include <concepts>

#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/penalty/gradient_norm.hpp"
#include "gan/recipe.hpp"

namespace gan::penalty {

template <class P, class D>
concept Penalty = requires(P p, D& d, ConstView<typename D::Scalar> x, Index f, Rng& rng,
                           Workspace<typename D::Scalar>& ws) {
  typename P::Options;
  { P::recipe } -> std::convertible_to<Recipe>;
  { P::needs_second_order } -> std::convertible_to<bool>;
  { p.apply(d, x, x, f, rng, ws) } -> std::convertible_to<double>;
  p.after_step(d);
};

}  // namespace gan::penalty
