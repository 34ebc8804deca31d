// BatchNorm: batch normalization (Ioffe & Szegedy, "Batch Normalization: Accelerating Deep
// Network Training by Reducing Internal Covariate Shift", ICML 2015), with the semantics of
// PyTorch's nn.BatchNorm1d / nn.BatchNorm2d. DCGAN (Radford et al. 2016) puts it after
// every convolution of both nets except G's output and D's input.
#pragma once

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/distributed/communicator.hpp"
#include "gan/layer/concept.hpp"
#include "gan/simd/channel_stats.hpp"
#include "gan/simd/elementwise.hpp"

namespace gan::layer {

/// Normalizes each channel of an N×C×H×W batch (dense N×F is N×F×1×1) over N, H and W,
/// then scales and shifts it: y = γ_c (x − μ_c) / √(σ²_c + ε) + β_c.
///
/// Training mode (the default) uses the batch mean μ and the biased batch variance σ², and
/// each forward pass updates the running statistics as PyTorch does:
///     running_mean ← (1 − momentum)·running_mean + momentum·μ
///     running_var  ← (1 − momentum)·running_var  + momentum·σ²·m/(m − 1)   (m = N·H·W)
/// Evaluation mode (set_training(false)) uses running_mean and running_var instead.
///
/// Parameters, in order: γ (C, initialized to 1), then β (C, initialized to 0).
/// Buffers (saved, not trained), in order: running_mean (C) and running_var (C), set to 0
/// and 1 by initialize(). bind_buffers keeps their values, so a copied network that
/// rebinds its layers keeps its statistics.
///
/// Data-parallel training (distributed/): by default each rank normalizes with its own
/// shard's statistics. With set_communicator (synchronized BatchNorm) the training-mode
/// statistics and the backward pass's sums are those of the global batch over all ranks,
/// as one process on the whole batch: one allreduce of 2C values a forward pass and one
/// or two a backward pass.
///
/// Not TwiceDifferentiable: in training mode the batch statistics couple the samples, so
/// the input gradient of one sample depends on every other sample, and a per-sample
/// gradient penalty (WGAN-GP, DRAGAN, R1) is not defined through it. Gulrajani et al.
/// (2017) use LayerNorm in the critic instead.
template <class T>
class BatchNorm {
 public:
  using Scalar = T;
  static constexpr bool reads_output = false;  // backward recomputes from x

  explicit BatchNorm(Index channels, double momentum = 0.1, double eps = 1e-5)
      : m_channels(channels), m_momentum(momentum), m_eps(eps) {
    GAN_CHECK(channels > 0, "BatchNorm(", channels, "): channel count must be positive");
    GAN_CHECK(momentum >= 0 && momentum <= 1, "BatchNorm(", channels,
              "): momentum must be in [0, 1], got ", momentum);
    GAN_CHECK(eps > 0, "BatchNorm(", channels, "): eps must be positive, got ", eps);
    m_work.assign(5 * static_cast<std::size_t>(channels), T(0));
  }

  /// Synchronizes the training-mode statistics over the ranks of c (null: each rank's own).
  void set_communicator(distributed::Communicator* c) {
    m_comm = c;
    if (c) m_sync.assign(3 * size(), 0.0);  // allocated here, not in a step
  }

  std::string name() const { return core::detail::concat("BatchNorm(", m_channels, ")"); }
  Index channels() const { return m_channels; }
  double momentum() const { return m_momentum; }
  double eps() const { return m_eps; }

  Shape output_shape(Shape in) const {
    GAN_CHECK(in.c == m_channels, name(), " expects ", m_channels, " channels, got ", in.c,
              " (shape ", in, ")");
    return in;
  }

  Index parameter_count() const { return 2 * m_channels; }
  void bind_parameters(T* values, T* grads) {
    m_values = values;
    m_grads = grads;
  }
  Index buffer_count() const { return 2 * m_channels; }
  void bind_buffers(T* buffers) { m_running = buffers; }

  void initialize(Rng&) {
    std::fill(m_values, m_values + m_channels, T(1));
    std::fill(m_values + m_channels, m_values + 2 * m_channels, T(0));
    if (m_running != nullptr) {
      std::fill(m_running, m_running + m_channels, T(0));
      std::fill(m_running + m_channels, m_running + 2 * m_channels, T(1));
    }
  }

  /// Training mode (batch statistics, running statistics updated) or evaluation mode.
  void set_training(bool on) { m_training = on; }
  bool training() const { return m_training; }

  std::span<T> gamma() const { return {m_values, size()}; }
  std::span<T> beta() const { return {m_values + m_channels, size()}; }
  std::span<T> running_mean() const { return {m_running, size()}; }
  std::span<T> running_var() const { return {m_running + m_channels, size()}; }

  void forward(ConstView<T> x, TensorView<T> y) { normalize(x, y, simd::Unchanged{}); }

  /// forward, then y = y > 0 ? y : slope·y in the same pass: what a LeakyReLU(slope) (or a
  /// ReLU, slope 0) after this layer computes in place, bit for bit, without a pass of its
  /// own (layer/concept.hpp). The backward pass is unchanged: it reads x, never y.
  void forward_leaky(ConstView<T> x, TensorView<T> y, T slope) {
    normalize(x, y, simd::detail::LeakyMap<T>{slope});
  }

  // Training mode, with x̂ = (x − μ) r, r = 1/√(σ² + ε), a = γ r and m = N·H·W:
  //   dx = a (dy − Σdy/m − x̂ Σ(dy x̂)/m) = a dy + p (x − μ) + d,
  //   p = −a r² Σdy(x − μ)/m,  d = −a Σdy/m.
  // Evaluation mode: μ and r are constants, so dx = a dy.
  // One pass for the sums, one for dx.
  void backward(ConstView<T> x, ConstView<T>, ConstView<T> dy, TensorView<T> dx) {
    const T* mean = work(0);
    const T* inv_std = work(1);
    T* a = work(2);
    T* d = work(3);  // Σdy, then d
    T* p = work(4);  // Σdy(x − μ), then p
    if (!m_training) {
      running_statistics();
      for (Index c = 0; c < m_channels; ++c) a[c] = m_values[c] * inv_std[c];
      std::fill(d, d + m_channels, T(0));
      simd::channel_normalize(dy.data(), dy.shape(), d, a, d, dx.data());
      return;
    }
    gradient_sums(x, dy, true);
    const T m = static_cast<T>(count(x.shape()));
    for (Index c = 0; c < m_channels; ++c) {
      a[c] = m_values[c] * inv_std[c];
      p[c] = -a[c] * inv_std[c] * inv_std[c] * p[c] / m;
      d[c] = -a[c] * d[c] / m;
    }
    simd::channel_combine(dy.data(), x.data(), x.shape(), a, p, mean, d, dx.data());
  }

  /// dγ += Σ dy x̂ = r Σdy(x − μ), dβ += Σ dy, with μ and r of the batch (training) or the
  /// running ones (evaluation). One pass; does not touch the running statistics.
  void accumulate_grad(ConstView<T> x, ConstView<T> dy) {
    gradient_sums(x, dy);
    for (Index c = 0; c < m_channels; ++c) {
      m_grads[c] += work(1)[c] * work(4)[c];
      m_grads[m_channels + c] += work(3)[c];
    }
  }

 private:
  // y = then(a_c (x − μ_c) + β_c) with a = γ r
  template <class Then>
  void normalize(ConstView<T> x, TensorView<T> y, Then then) {
    statistics(x);
    if (m_training) update_running(x.shape());
    T* a = work(2);
    for (Index c = 0; c < m_channels; ++c) a[c] = m_values[c] * work(1)[c];
    simd::channel_normalize(x.data(), x.shape(), work(0), a, m_values + m_channels, y.data(), then);
  }

  std::size_t size() const { return static_cast<std::size_t>(m_channels); }
  /// Slice i of the per-channel scratch: 0 = μ, 1 = r = 1/√(σ² + ε), 2 to 4 per pass.
  /// Sized once at construction, so a training step allocates nothing.
  T* work(Index i) { return m_work.data() + i * m_channels; }

  /// Throws, as PyTorch, when a channel has a single value: its batch variance is 0 and
  /// the normalized output would be 0 whatever the input.
  void check_batch(Shape s) const {
    GAN_CHECK(s.n * s.plane() > 1, name(),
              ": expected more than 1 value per channel when training, got input of shape ", s);
  }

  /// μ into work(0) and r = 1/√(σ² + ε) into work(1): of the batch in training mode (σ²
  /// kept in work(2) for the running update), of the running statistics in evaluation.
  void statistics(ConstView<T> x) {
    if (!m_training) return running_statistics();
    check_batch(x.shape());
    simd::channel_moments(x.data(), x.shape(), work(0), work(2));
    if (m_comm) global_moments();
    for (Index c = 0; c < m_channels; ++c) work(1)[c] = inverse_std(work(2)[c]);
  }

  /// μ (work(0)) and biased σ² (work(2)) of this rank's shard ← those of the global batch,
  /// from the ranks' means of μ and of σ² + μ² (the shards are equal in size); this
  /// rank's μ is kept in m_sync[2C, 3C).
  void global_moments() {
    double* s = m_sync.data();
    const Index C = m_channels;
    for (Index c = 0; c < C; ++c) {
      const double mean = work(0)[c];
      s[c] = mean;
      s[C + c] = static_cast<double>(work(2)[c]) + mean * mean;
      s[2 * C + c] = mean;
    }
    m_comm->average(std::span<double>(s, 2 * size()));
    for (Index c = 0; c < C; ++c) {
      work(0)[c] = static_cast<T>(s[c]);
      work(2)[c] = static_cast<T>(std::max(0.0, s[C + c] - s[c] * s[c]));
    }
  }
  /// Values a channel's statistics are over: N·H·W of the global batch.
  double count(Shape s) const {
    return static_cast<double>(s.n * s.plane()) * (m_comm ? m_comm->ranks() : 1);
  }
  void running_statistics() {
    for (Index c = 0; c < m_channels; ++c) {
      work(0)[c] = m_running[c];
      work(1)[c] = inverse_std(m_running[m_channels + c]);
    }
  }

  /// μ and r as statistics(), and Σdy into work(3) and Σdy(x − μ) into work(4); in
  /// training mode all in one pass over x and dy.
  /// Synchronized: μ and r of the global batch, and the sums over all ranks' samples when
  /// `global_sums` (the input gradient), over this rank's with the global μ otherwise (the
  /// parameter gradient, which the model averages over the ranks).
  void gradient_sums(ConstView<T> x, ConstView<T> dy, bool global_sums = false) {
    if (m_training) {
      check_batch(x.shape());
      simd::channel_moments_dot_sums(dy.data(), x.data(), x.shape(), work(0), work(2), work(3),
                                     work(4));
      if (m_comm) global_gradient_sums(global_sums);
      for (Index c = 0; c < m_channels; ++c) work(1)[c] = inverse_std(work(2)[c]);
    } else {
      running_statistics();
      simd::channel_dot_sums(dy.data(), x.data(), x.shape(), work(0), work(3), work(4));
    }
  }

  /// Σdy(x − μ) with the global μ: Σdy(x − μ_rank) + (μ_rank − μ)·Σdy; then, when
  /// `global_sums`, Σdy and Σdy(x − μ) summed over the ranks.
  void global_gradient_sums(bool global_sums) {
    global_moments();
    const Index C = m_channels;
    double* s = m_sync.data();
    for (Index c = 0; c < C; ++c) {
      const double shift = s[2 * C + c] - static_cast<double>(work(0)[c]);
      s[c] = work(3)[c];
      s[C + c] = static_cast<double>(work(4)[c]) + shift * work(3)[c];
    }
    if (global_sums) {
      m_comm->average(std::span<double>(s, 2 * size()));
      for (Index c = 0; c < 2 * C; ++c) s[c] *= m_comm->ranks();
    }
    for (Index c = 0; c < C; ++c) {
      work(3)[c] = static_cast<T>(s[c]);
      work(4)[c] = static_cast<T>(s[C + c]);
    }
  }

  T inverse_std(T var) const {
    return static_cast<T>(1.0 / std::sqrt(static_cast<double>(var) + m_eps));
  }

  /// The running update from μ (work(0)) and the biased σ² (work(2)) of a batch of shape s.
  void update_running(Shape s) {
    const double m = count(s);
    const double keep = 1 - m_momentum;
    for (Index c = 0; c < m_channels; ++c) {
      const double unbiased = static_cast<double>(work(2)[c]) * m / (m - 1);
      m_running[c] = static_cast<T>(keep * m_running[c] + m_momentum * work(0)[c]);
      m_running[m_channels + c] =
          static_cast<T>(keep * m_running[m_channels + c] + m_momentum * unbiased);
    }
  }

  Index m_channels;
  double m_momentum, m_eps;
  bool m_training = true;
  T* m_values = nullptr;                        // γ (C), β (C)
  T* m_grads = nullptr;                         // dγ (C), dβ (C)
  T* m_running = nullptr;                       // running_mean (C), running_var (C)
  std::vector<T> m_work;                        // (5, C) scratch, see work()
  distributed::Communicator* m_comm = nullptr;  // synchronized statistics when set
  std::vector<double> m_sync;                   // (3, C) allreduce buffer, see global_moments()
};

static_assert(Layer<BatchNorm<float>> && HasBuffers<BatchNorm<float>> &&
              HasTrainingMode<BatchNorm<float>>);
static_assert(!TwiceDifferentiable<BatchNorm<float>>);

}  // namespace gan::layer
