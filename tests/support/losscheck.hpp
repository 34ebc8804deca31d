// Finite-difference checks of a loss's gradients with respect to D's outputs (and, for
// BEGAN, its inputs).
#pragma once

#include <doctest/doctest.h>

#include <vector>

#include "gan/loss/concept.hpp"
#include "support/gradcheck.hpp"

namespace gan::testing {

/// Checks discriminator() and generator() gradients of `loss` against central
/// differences of their values, on D outputs `real` and `fake` (and inputs of the same
/// shape for autoencoder losses). The loss is copied for each evaluation, so stateful
/// losses are differentiated at a fixed state.
template <class L>
void check_loss_gradients(const L& loss, Tensor<double> real_in, Tensor<double> real_out,
                          Tensor<double> fake_in, Tensor<double> fake_out) {
  Tensor<double> gr(real_out.shape()), gf(fake_out.shape()), gg(fake_out.shape()),
      gin(fake_in.shape());
  auto d_value = [&] {
    L l = loss;
    Tensor<double> a(real_out.shape()), b(fake_out.shape());
    return l
        .discriminator(loss::Batch<double>{real_in.view(), real_out.view()},
                       loss::Batch<double>{fake_in.view(), fake_out.view()}, a.view(), b.view())
        .value;
  };
  auto g_value = [&] {
    L l = loss;
    Tensor<double> a(fake_out.shape()), b(fake_in.shape());
    return l.generator(loss::Batch<double>{fake_in.view(), fake_out.view()}, a.view(), b.view());
  };
  {
    L l = loss;
    l.discriminator(loss::Batch<double>{real_in.view(), real_out.view()},
                    loss::Batch<double>{fake_in.view(), fake_out.view()}, gr.view(), gf.view());
    gin.fill(0);
    l.generator(loss::Batch<double>{fake_in.view(), fake_out.view()}, gg.view(), gin.view());
  }
  CHECK(relative_error(gr.span(), numeric_gradient(real_out.data(), real_out.size(), d_value)) <
        1e-6);
  CHECK(relative_error(gf.span(), numeric_gradient(fake_out.data(), fake_out.size(), d_value)) <
        1e-6);
  CHECK(relative_error(gg.span(), numeric_gradient(fake_out.data(), fake_out.size(), g_value)) <
        1e-6);
  std::vector<double> direct = numeric_gradient(fake_in.data(), fake_in.size(), g_value);
  if constexpr (L::autoencoder) {
    CHECK(relative_error(gin.span(), direct) < 1e-6);
  } else {
    for (double v : direct) CHECK(v == 0.0);
  }
}

/// A batch of logits of shape (n, 1) with the given values.
inline Tensor<double> column(std::initializer_list<double> values) {
  Tensor<double> t(core::features(static_cast<Index>(values.size()), 1));
  Index i = 0;
  for (double v : values) t[i++] = v;
  return t;
}

}  // namespace gan::testing
