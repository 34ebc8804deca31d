// Dense: the fully connected layer y = x Wᵀ + b (PyTorch's nn.Linear, W is out×in).
#pragma once

#include <algorithm>
#include <span>
#include <string>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/layer/concept.hpp"
#include "gan/layer/init.hpp"
#include "gan/simd/epilogue.hpp"
#include "gan/simd/gemm.hpp"
#include "gan/simd/reduce.hpp"

namespace gan::layer {

/// Fully connected layer. Takes any input whose features number `in` (an image batch is
/// read as N×(C·H·W)) and gives N×out.
///
/// Parameters, in order: W (out×in, row-major), then b (out) when the layer has a bias.
template <class T>
class Dense {
 public:
  using Scalar = T;
  static constexpr bool has_curvature = false;
  static constexpr bool reads_output = false;

  Dense(Index in, Index out, Init init = Init::torch_default(), bool bias = true)
      : m_in(in), m_out(out), m_init(init), m_has_bias(bias) {
    GAN_CHECK(in > 0 && out > 0, "Dense(", in, ", ", out, "): sizes must be positive");
  }

  std::string name() const { return core::detail::concat("Dense(", m_in, ", ", m_out, ")"); }
  Index in_features() const { return m_in; }
  Index out_features() const { return m_out; }
  bool has_bias() const { return m_has_bias; }

  Shape output_shape(Shape in) const {
    GAN_CHECK(in.features() == m_in, name(), " expects ", m_in, " input features, got ",
              in.features(), " (shape ", in, ")");
    return core::features(in.n, m_out);
  }

  Index parameter_count() const { return m_out * m_in + (m_has_bias ? m_out : 0); }
  void bind_parameters(T* values, T* grads) {
    m_w = values;
    m_dw = grads;
    m_b = m_has_bias ? values + m_out * m_in : nullptr;
    m_db = m_has_bias ? grads + m_out * m_in : nullptr;
  }
  void initialize(Rng& rng) { m_init.apply(weights(), bias(), m_in, m_out, rng); }

  /// W, out×in row-major.
  std::span<T> weights() const { return {m_w, static_cast<std::size_t>(m_out * m_in)}; }
  /// b (empty without bias).
  std::span<T> bias() const { return {m_b, static_cast<std::size_t>(m_has_bias ? m_out : 0)}; }

  void forward(ConstView<T> x, TensorView<T> y) { product(x, y, {}); }
  /// forward, then the LeakyReLU(slope) or ReLU (slope 0) after this layer, applied to each
  /// tile of the product while in cache (simd::Epilogue), bit for bit (layer/concept.hpp).
  void forward_leaky(ConstView<T> x, TensorView<T> y, T slope) {
    product(x, y, simd::Epilogue<T>::leaky_relu(slope));
  }
  /// forward, then the Tanh after this layer, likewise.
  void forward_tanh(ConstView<T> x, TensorView<T> y) { product(x, y, simd::Epilogue<T>::tanh()); }

  void backward(ConstView<T>, ConstView<T>, ConstView<T> dy, TensorView<T> dx) {
    // dx (N, in) = dy (N, out) · W (out, in)
    simd::gemm(simd::Trans::N, simd::Trans::N, dy.n(), m_in, m_out, T(1), dy.data(), m_out, m_w,
               m_in, T(0), dx.data(), m_in);
  }

  void accumulate_grad(ConstView<T> x, ConstView<T> dy) { parameter_gradient(x, dy, T(1)); }
  /// accumulate_grad into zeros, without reading dW: the product writes it directly.
  void write_grad(ConstView<T> x, ConstView<T> dy) { parameter_gradient(x, dy, T(0)); }

  // dx = dy W is linear in dy and in W and does not read x: the adjoint of dy is u Wᵀ
  // (the forward product without bias) and ∂P/∂W = dyᵀ u (the weight-gradient product).
  void backward_backward(ConstView<T>, ConstView<T>, ConstView<T> dy, ConstView<T> u,
                         TensorView<T> du_dy, TensorView<T>) {
    const Index n = u.n();
    simd::gemm(simd::Trans::N, simd::Trans::T, n, m_out, m_in, T(1), u.data(), m_in, m_w, m_in,
               T(0), du_dy.data(), m_out);
    simd::gemm(simd::Trans::T, simd::Trans::N, m_out, m_in, n, T(1), dy.data(), m_out, u.data(),
               m_in, T(1), m_dw, m_in);
  }

 private:
  // y (N, out) = x (N, in) · Wᵀ (in, out) [+ b], b added tile by tile inside the product,
  // then the epilogue's activation.
  void product(ConstView<T> x, TensorView<T> y, const simd::Epilogue<T>& epilogue) {
    simd::gemm(simd::Trans::N, simd::Trans::T, x.n(), m_out, m_in, T(1), x.data(), m_in, m_w, m_in,
               T(0), y.data(), m_out, m_b, {}, epilogue);
  }

  // dW (out, in) = dyᵀ (out, N) · x (N, in) + keep · dW;  db (out) = Σ_n dy + keep · db
  void parameter_gradient(ConstView<T> x, ConstView<T> dy, T keep) {
    simd::gemm(simd::Trans::T, simd::Trans::N, m_out, m_in, x.n(), T(1), dy.data(), m_out, x.data(),
               m_in, keep, m_dw, m_in);
    if (!m_has_bias) return;
    if (keep == T(0)) std::fill(m_db, m_db + m_out, T(0));
    simd::add_column_sums(dy.data(), dy.n(), m_out, m_db);
  }

  Index m_in, m_out;
  Init m_init;
  bool m_has_bias;
  T* m_w = nullptr;
  T* m_dw = nullptr;
  T* m_b = nullptr;
  T* m_db = nullptr;
};

static_assert(TwiceDifferentiable<Dense<float>> && WritesGrad<Dense<float>>);
static_assert(TwiceDifferentiable<Dense<double>>);

}  // namespace gan::layer
