// Runs one layer on a golden case (tests/support/golden.hpp) and compares its forward
// output, input gradient and parameter gradients with PyTorch's.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <span>
#include <vector>

#include "gan/core/tensor.hpp"
#include "support/golden.hpp"
#include "support/gradcheck.hpp"

namespace gan::testing::golden {

/// PyTorch's parameter order of the layers compared here: weight (W, or γ), then bias
/// (b, or β) when the layer has one. It is also ours.
inline const char* const parameter_names[] = {"weight", "bias"};

/// Copies the case's parameters into the bound layer's value array.
template <class L>
void load_parameters(const Case& c, Bound<L>& b) {
  using T = typename L::Scalar;
  std::vector<T> all;
  for (const char* name : parameter_names) {
    if (!c.has(name)) continue;
    const auto v = c.values<T>(name);
    all.insert(all.end(), v.begin(), v.end());
  }
  CAPTURE(c.name);
  REQUIRE(all.size() == b.values.size());
  std::copy(all.begin(), all.end(), b.values.begin());
}

/// Forward on "x" (compared with "y"), backward from "dy" (compared with "dx"), and the
/// parameter gradients from a zeroed array (compared with "dweight" and "dbias"). Calls
/// forward exactly once, as PyTorch did (BatchNorm updates its running statistics).
template <class L>
void check_layer(const Case& c, Bound<L>& b) {
  using T = typename L::Scalar;
  constexpr double tol = tolerance<T>();
  CAPTURE(c.name);
  CAPTURE(b.layer.name());
  load_parameters(c, b);
  const Tensor<T> x = c.tensor<T>("x");
  const Shape out = b.layer.output_shape(x.shape());
  REQUIRE(out == c.shape("y"));
  Tensor<T> y(out), dx(x.shape());
  b.layer.forward(x.view(), y.view());
  check(c, "y", y, tol);
  const Tensor<T> dy = c.tensor<T>("dy");
  b.layer.backward(x.view(), y.view(), dy.view(), dx.view());
  check(c, "dx", dx, tol);
  b.zero_grad();
  b.layer.accumulate_grad(x.view(), dy.view());
  std::size_t at = 0;
  for (const char* name : parameter_names) {
    if (!c.has(name)) continue;
    const std::size_t count = c.values<double>(name).size();
    check(c, std::string("d") + name, std::span<const T>(b.grads.data() + at, count), tol);
    at += count;
  }
  CHECK(at == b.grads.size());
}

}  // namespace gan::testing::golden
