// None: no penalty.
#pragma once

#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/penalty/gradient_norm.hpp"
#include "gan/recipe.hpp"

namespace gan::penalty {

/// Adds nothing and constrains nothing.
class None {
 public:
  struct Options {};
  static constexpr Recipe recipe{};
  static constexpr bool needs_second_order = false;

  explicit None(Options = {}) {}

  template <class D, class T = typename D::Scalar>
  double apply(D&, ConstView<T>, ConstView<T>, Index, Rng&, Workspace<T>&) {
    return 0.0;
  }
  template <class D>
  void after_step(D&) {}
};

}  // namespace gan::penalty
