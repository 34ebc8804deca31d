#include "gan/layer/conv_geometry.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "gan/core/aligned.hpp"
#include "gan/core/parallel.hpp"
#include "gan/layer/conv2d.hpp"
#include "gan/layer/conv_transpose2d.hpp"
#include "support/gradcheck.hpp"

using gan::Index;
using gan::Shape;
using gan::Tensor;
using gan::layer::Conv2d;
using gan::layer::ConvTranspose2d;
using gan::testing::Bound;

namespace {

// Every pass of a layer on fixed inputs: what a float run is compared with.
template <class L>
struct Passes {
  using T = typename L::Scalar;
  Tensor<T> y, dx, du_dy;
  std::vector<T> grads, second_grads;

  Passes(Bound<L>& b, const Tensor<T>& x, const Tensor<T>& dy, const Tensor<T>& u)
      : y(dy.shape()), dx(x.shape()), du_dy(dy.shape()) {
    b.layer.forward(x.view(), y.view());
    b.layer.backward(x.view(), y.view(), dy.view(), dx.view());
    b.zero_grad();
    b.layer.accumulate_grad(x.view(), dy.view());
    grads = b.grads;
    b.zero_grad();
    b.layer.backward_backward(x.view(), y.view(), dy.view(), u.view(), du_dy.view(), {});
    second_grads = b.grads;
  }
};

template <class To, class From>
Tensor<To> cast(const Tensor<From>& t) {
  Tensor<To> out(t.shape());
  for (Index k = 0; k < t.size(); ++k) out[k] = static_cast<To>(t[k]);
  return out;
}

// Runs a layer in double and in float from the same values and checks every pass agrees.
template <template <class> class L, class... Args>
void check_float_against_double(Shape in, Args... args) {
  Bound<L<double>> d(L<double>(args...));
  Bound<L<float>> f(L<float>(args...));
  for (std::size_t k = 0; k < d.values.size(); ++k) f.values[k] = static_cast<float>(d.values[k]);
  gan::Rng rng(31, gan::Stream::user);
  const Shape out = d.layer.output_shape(in);
  Tensor<double> x = gan::testing::random_tensor<double>(in, rng);
  Tensor<double> dy = gan::testing::random_tensor<double>(out, rng, 0.0);
  Tensor<double> u = gan::testing::random_tensor<double>(in, rng, 0.0);
  Passes<L<double>> pd(d, x, dy, u);
  Passes<L<float>> pf(f, cast<float>(x), cast<float>(dy), cast<float>(u));
  CAPTURE(d.layer.name());
  // Float sums of up to N·H'·W' = 12,544 terms: a few 1e-7 measured, 1e-5 allowed.
  CHECK(gan::testing::relative_error(pf.y.span(), pd.y.span()) < 1e-5);
  CHECK(gan::testing::relative_error(pf.dx.span(), pd.dx.span()) < 1e-5);
  CHECK(gan::testing::relative_error(pf.grads, pd.grads) < 1e-5);
  CHECK(gan::testing::relative_error(pf.du_dy.span(), pd.du_dy.span()) < 1e-5);
  CHECK(gan::testing::relative_error(pf.second_grads, pd.second_grads) < 1e-5);
}

// Runs every pass and returns the gradient array, with `threads` threads.
template <class L>
std::vector<float> gradients_with_threads(L layer, Shape in, int threads) {
  gan::core::ThreadScope scope(threads);
  Bound<L> b(std::move(layer));
  gan::Rng rng(41, gan::Stream::user);
  const Shape out = b.layer.output_shape(in);
  Tensor<float> x = gan::testing::random_tensor<float>(in, rng);
  Tensor<float> dy = gan::testing::random_tensor<float>(out, rng, 0.0);
  Passes<L> p(b, x, dy, x);
  std::vector<float> all = p.grads;
  all.insert(all.end(), p.second_grads.begin(), p.second_grads.end());
  all.insert(all.end(), p.y.span().begin(), p.y.span().end());
  all.insert(all.end(), p.dx.span().begin(), p.dx.span().end());
  return all;
}

}  // namespace

TEST_CASE("convolution output sizes follow nn.Conv2d and nn.ConvTranspose2d") {
  CHECK(gan::layer::conv_output_size(28, 4, 2, 1) == 14);
  CHECK(gan::layer::conv_output_size(7, 3, 2, 0) == 3);
  CHECK(gan::layer::conv_output_size(2, 5, 1, 1) == 0);
  CHECK(gan::layer::conv_transpose_output_size(7, 4, 2, 1, 0) == 14);
  CHECK(gan::layer::conv_transpose_output_size(3, 3, 2, 1, 1) == 6);
  CHECK(gan::layer::conv_transpose_output_size(1, 1, 1, 1, 0) == -1);
  CHECK(gan::layer::detail::conv_name("Conv2d", 1, 64, 4, 2, 1) == "Conv2d(1, 64, k4, s2, p1)");
}

TEST_CASE("the W2 convolutions in float agree with double") {
  const Index n = 64;  // the W2 batch
  check_float_against_double<Conv2d>(gan::core::images(n, 1, 28, 28), 1, 64, 4, 2, 1);
  check_float_against_double<Conv2d>(gan::core::images(n, 64, 14, 14), 64, 128, 4, 2, 1);
  check_float_against_double<ConvTranspose2d>(gan::core::images(n, 128, 7, 7), 128, 64, 4, 2, 1);
  check_float_against_double<ConvTranspose2d>(gan::core::images(n, 64, 14, 14), 64, 1, 4, 2, 1);
}

TEST_CASE("convolution results do not depend on the thread count") {
  const Shape d_in = gan::core::images(16, 64, 14, 14), g_in = gan::core::images(16, 128, 7, 7);
  CHECK(gradients_with_threads(Conv2d<float>(64, 128, 4, 2, 1), d_in, 1) ==
        gradients_with_threads(Conv2d<float>(64, 128, 4, 2, 1), d_in, 2));
  CHECK(gradients_with_threads(ConvTranspose2d<float>(128, 64, 4, 2, 1), g_in, 1) ==
        gradients_with_threads(ConvTranspose2d<float>(128, 64, 4, 2, 1), g_in, 2));
}

TEST_CASE("products filled in parts give the results of one product") {
  // W2's second convolution: its patch matrix holds 4 parts of the batch or the channels.
  using Gemm = gan::layer::detail::ConvGemm<float>;
  const gan::simd::PatchGeometry g{64, 14, 14, 4, 2, 1};
  const Index n = 64, m = 128, l = g.positions(), kk = g.rows();
  REQUIRE(kk * n * l > 2 * Gemm::part_values);
  gan::Rng rng(71, gan::Stream::user);
  Tensor<float> image = gan::testing::random_tensor<float>(gan::core::images(n, 64, 14, 14), rng);
  Tensor<float> cols = gan::testing::random_tensor<float>(gan::core::images(n, m, 7, 7), rng);
  Tensor<float> w = gan::testing::random_tensor<float>(gan::core::features(m, kk), rng);
  Gemm gemm;
  // Sample by sample: each product then fits in one part.
  Tensor<float> out(cols.shape()), out_one(cols.shape()), back(image.shape()),
      back_one(image.shape());
  gemm.correlate(g, m, w.data(), nullptr, image.view(), out.view());
  gemm.correlate_adjoint(g, m, w.data(), nullptr, cols.view(), back.view());
  for (Index i = 0; i < n; ++i) {
    gemm.correlate(g, m, w.data(), nullptr, image.view().rows(i, 1), out_one.view().rows(i, 1));
    gemm.correlate_adjoint(g, m, w.data(), nullptr, cols.view().rows(i, 1),
                           back_one.view().rows(i, 1));
  }
  CHECK(std::equal(out.span().begin(), out.span().end(), out_one.span().begin()));
  CHECK(std::equal(back.span().begin(), back.span().end(), back_one.span().begin()));
  // The weight gradient against one GEMM on the whole patch matrix.
  std::vector<float> dw(m * kk, 0.0f), expected(m * kk, 0.0f), col(kk * n * l), rows(m * n * l);
  std::vector<float> ws(gan::simd::im2col_workspace(g));
  gemm.weight_gradient(g, m, cols.view(), image.view(), dw.data());
  gan::simd::im2col(g, n, image.data(), col.data(), ws.data());
  gan::simd::batch_to_channels(cols.data(), n, m, l, rows.data());
  gan::simd::gemm(gan::simd::Trans::N, gan::simd::Trans::T, m, kk, n * l, 1.0f, rows.data(), n * l,
                  col.data(), n * l, 1.0f, expected.data(), kk);
  CHECK(dw == expected);
}

TEST_CASE("convolutions allocate nothing after their first pass") {
  Bound<Conv2d<float>> conv(Conv2d<float>(3, 4, 4, 2, 1));
  Bound<ConvTranspose2d<float>> convt(ConvTranspose2d<float>(4, 3, 4, 2, 1));
  gan::Rng rng(51, gan::Stream::user);
  Tensor<float> x = gan::testing::random_tensor<float>(gan::core::images(5, 3, 8, 8), rng);
  Tensor<float> h = gan::testing::random_tensor<float>(gan::core::images(5, 4, 4, 4), rng);
  Passes<Conv2d<float>> first_conv(conv, x, h, x);
  Passes<ConvTranspose2d<float>> first_convt(convt, h, x, h);
  Tensor<float> y(h.shape()), dx(x.shape()), z(x.shape()), dh(h.shape());
  const long long before = gan::core::allocation_count();
  for (int step = 0; step < 2; ++step) {
    conv.layer.forward(x.view(), y.view());
    conv.layer.backward(x.view(), y.view(), h.view(), dx.view());
    conv.layer.accumulate_grad(x.view(), h.view());
    conv.layer.backward_backward(x.view(), y.view(), h.view(), x.view(), y.view(), {});
    convt.layer.forward(h.view(), z.view());
    convt.layer.backward(h.view(), z.view(), x.view(), dh.view());
    convt.layer.accumulate_grad(h.view(), x.view());
    convt.layer.backward_backward(h.view(), z.view(), x.view(), h.view(), z.view(), {});
  }
  CHECK(gan::core::allocation_count() == before);
}

TEST_CASE("a copied convolution computes what the original does") {
  Bound<ConvTranspose2d<double>> original(ConvTranspose2d<double>(3, 2, 3, 2, 1, 1));
  gan::Rng rng(61, gan::Stream::user);
  Tensor<double> x = gan::testing::random_tensor<double>(gan::core::images(2, 3, 5, 7), rng);
  Tensor<double> y(original.layer.output_shape(x.shape())), y_copy(y.shape());
  original.layer.forward(x.view(), y.view());
  ConvTranspose2d<double> copy = original.layer;
  std::vector<double> values = original.values, grads(values.size());
  copy.bind_parameters(values.data(), grads.data());
  copy.forward(x.view(), y_copy.view());
  CHECK(gan::testing::relative_error(y_copy.span(), y.span()) == 0);
  original.layer.forward(x.view(), y_copy.view());  // the original is untouched
  CHECK(gan::testing::relative_error(y_copy.span(), y.span()) == 0);
}
