// Dense and the activations against PyTorch 1.13 (tests/golden/layers.txt), in float and
// in double.
#include <doctest/doctest.h>

#include "gan/layer/dense.hpp"
#include "gan/layer/leaky_relu.hpp"
#include "gan/layer/relu.hpp"
#include "gan/layer/sigmoid.hpp"
#include "gan/layer/tanh.hpp"
#include "support/golden_layer.hpp"

namespace golden = gan::testing::golden;
using gan::testing::Bound;

namespace {

const std::vector<golden::Case>& cases() {
  static const auto all = golden::load("layers.txt");
  return all;
}

template <class T>
void check_dense() {
  for (const golden::Case* c : golden::cases_named(cases(), "linear/")) {
    gan::layer::Dense<T> dense(c->index("in"), c->index("out"), gan::layer::Init::torch_default(),
                               c->flag("bias"));
    Bound<gan::layer::Dense<T>> b(dense);
    golden::check_layer(*c, b);
  }
}

template <class L>
void check_activation(const char* name, L layer) {
  for (const golden::Case* c : golden::cases_named(cases(), name)) {
    Bound<L> b(layer);
    golden::check_layer(*c, b);
  }
}

template <class T>
void check_activations() {
  check_activation("relu", gan::layer::ReLU<T>());
  const double slope = golden::cases_named(cases(), "leaky_relu")[0]->param("slope");
  check_activation("leaky_relu", gan::layer::LeakyReLU<T>(slope));
  check_activation("tanh", gan::layer::Tanh<T>());
  check_activation("sigmoid", gan::layer::Sigmoid<T>());
}

}  // namespace

TEST_CASE("Dense matches torch.nn.functional.linear") {
  check_dense<float>();
  check_dense<double>();
}

TEST_CASE("ReLU, LeakyReLU(0.2), Tanh and Sigmoid match PyTorch, kinks included") {
  check_activations<float>();
  check_activations<double>();
}
