// Hinge: the hinge adversarial loss (Lim & Ye, "Geometric GAN", 2017; Miyato et al.,
// "Spectral Normalization for GANs", ICLR 2018, eq. 17).
#pragma once

#include <algorithm>
#include <string_view>

#include "gan/loss/concept.hpp"
#include "gan/loss/elementwise.hpp"
#include "gan/recipe.hpp"

namespace gan::loss {

/// L_D = mean max(0, 1 − D(x)) + mean max(0, 1 + D(G(z))),  L_G = −mean D(G(z)), on raw
/// scores. At the hinge the gradient is taken as 0 (the subgradient PyTorch's relu uses).
class Hinge {
 public:
  struct Options {};
  /// Training settings: Adam(2·10⁻⁴, β₁ = 0.5), SNGAN's standard-CNN setting.
  static constexpr Recipe recipe{.learning_rate = 2e-4, .beta1 = 0.5, .beta2 = 0.999};
  static constexpr bool autoencoder = false;

  explicit Hinge(Options = {}) {}

  template <class T>
  DiscriminatorLoss discriminator(Batch<T> real, Batch<T> fake, TensorView<T> d_real,
                                  TensorView<T> d_fake) {
    double lr = detail::mean_with_gradient(real.output, d_real, [](double x) {
      return x < 1 ? std::pair{1 - x, -1.0} : std::pair{0.0, 0.0};
    });
    double lf = detail::mean_with_gradient(fake.output, d_fake, [](double x) {
      return x > -1 ? std::pair{1 + x, 1.0} : std::pair{0.0, 0.0};
    });
    return {lr + lf, detail::mean_of(real.output, detail::raw),
            detail::mean_of(fake.output, detail::raw)};
  }

  template <class T>
  double generator(Batch<T> fake, TensorView<T> d_out, TensorView<T>) {
    return detail::mean_with_gradient(fake.output, d_out, [](double x) {
      return std::pair{-x, -1.0};
    });
  }

  void after_discriminator_step(const DiscriminatorLoss&) {}
  void report(StepStats&) const {}
  template <class F>
  void for_each_state(F&&) {}
};

static_assert(Loss<Hinge>);

}  // namespace gan::loss
