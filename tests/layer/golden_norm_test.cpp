// BatchNorm and LayerNorm against PyTorch 1.13 (tests/golden/norm.txt), in float and in
// double. BatchNorm: a training-mode forward and backward, a second training-mode forward,
// the running statistics after the two (momentum update, unbiased variance), then an
// evaluation-mode forward with them; on N×C×H×W and on dense N×F batches.
#include <doctest/doctest.h>

#include <span>

#include "gan/layer/batch_norm.hpp"
#include "gan/layer/layer_norm.hpp"
#include "support/golden_layer.hpp"

namespace golden = gan::testing::golden;
using gan::layer::BatchNorm;
using gan::layer::LayerNorm;
using gan::testing::Bound;

namespace {

const std::vector<golden::Case>& cases() {
  static const auto all = golden::load("norm.txt");
  return all;
}

template <class T>
void check_running_statistics(const golden::Case& c, const Bound<BatchNorm<T>>& b, const char* mean,
                              const char* var) {
  const auto channels = static_cast<std::size_t>(c.index("channels"));
  const std::span<const T> buffers(b.buffers);
  REQUIRE(buffers.size() == 2 * channels);
  golden::check(c, mean, buffers.first(channels), golden::tolerance<T>());
  golden::check(c, var, buffers.last(channels), golden::tolerance<T>());
}

template <class T>
void check_batch_norm(const char* prefix) {
  constexpr double tol = golden::tolerance<T>();
  for (const golden::Case* c : golden::cases_named(cases(), prefix)) {
    Bound<BatchNorm<T>> b(
        BatchNorm<T>(c->index("channels"), c->param("momentum"), c->param("eps")));
    // The running statistics start where PyTorch's do (0 and 1).
    check_running_statistics(*c, b, "running_mean0", "running_var0");
    golden::check_layer(*c, b);  // training mode: one forward on x, backward from dy
    const gan::Tensor<T> x2 = c->tensor<T>("x2"), x3 = c->tensor<T>("x3");
    gan::Tensor<T> y(x2.shape());
    b.layer.forward(x2.view(), y.view());
    golden::check(*c, "y2", y, tol);
    check_running_statistics(*c, b, "running_mean", "running_var");
    b.layer.set_training(false);
    b.layer.forward(x3.view(), y.view());
    golden::check(*c, "y_eval", y, tol);
  }
}

template <class T>
void check_layer_norm() {
  for (const golden::Case* c : golden::cases_named(cases(), "layer_norm/")) {
    Bound<LayerNorm<T>> b(LayerNorm<T>(c->index("features"), c->param("eps")));
    golden::check_layer(*c, b);
  }
}

}  // namespace

TEST_CASE("BatchNorm2d matches torch.nn.functional.batch_norm, running statistics included") {
  check_batch_norm<float>("batch_norm2d/");
  check_batch_norm<double>("batch_norm2d/");
}

TEST_CASE("BatchNorm on dense N×F batches matches PyTorch's BatchNorm1d") {
  check_batch_norm<float>("batch_norm1d/");
  check_batch_norm<double>("batch_norm1d/");
}

TEST_CASE("LayerNorm over [C, H, W] matches torch.nn.functional.layer_norm") {
  check_layer_norm<float>();
  check_layer_norm<double>();
}
