// Conv2d and ConvTranspose2d against PyTorch 1.13 (tests/golden/conv.txt), in float and in
// double: the W2 geometries (28 → 14 → 7 and back) and odd ones (5×7 inputs, stride 3,
// padding 2, output_padding, no bias, a 1×1 input).
#include <doctest/doctest.h>

#include "gan/layer/conv2d.hpp"
#include "gan/layer/conv_transpose2d.hpp"
#include "support/golden_layer.hpp"

namespace golden = gan::testing::golden;
using gan::layer::Conv2d;
using gan::layer::ConvTranspose2d;
using gan::layer::Init;
using gan::testing::Bound;

namespace {

const std::vector<golden::Case>& cases() {
  static const auto all = golden::load("conv.txt");
  return all;
}

template <class T>
void check_conv2d() {
  for (const golden::Case* c : golden::cases_named(cases(), "conv2d/")) {
    Bound<Conv2d<T>> b(Conv2d<T>(c->index("in"), c->index("out"), c->index("k"), c->index("stride"),
                                 c->index("padding"), Init::torch_default(), c->flag("bias")));
    golden::check_layer(*c, b);
  }
}

template <class T>
void check_conv_transpose2d() {
  for (const golden::Case* c : golden::cases_named(cases(), "conv_transpose2d/")) {
    Bound<ConvTranspose2d<T>> b(ConvTranspose2d<T>(
        c->index("in"), c->index("out"), c->index("k"), c->index("stride"), c->index("padding"),
        c->index("output_padding"), Init::torch_default(), c->flag("bias")));
    golden::check_layer(*c, b);
  }
}

}  // namespace

TEST_CASE("Conv2d matches torch.nn.functional.conv2d") {
  check_conv2d<float>();
  check_conv2d<double>();
}

TEST_CASE("ConvTranspose2d matches torch.nn.functional.conv_transpose2d") {
  check_conv_transpose2d<float>();
  check_conv_transpose2d<double>();
}
