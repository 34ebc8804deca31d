// FashionClassifier: the Fashion-MNIST classifier whose features the image metrics score
// (WORKLOADS.md Q2), in the role Inception plays for the FID (Heusel et al. 2017): a
// small convolutional network built from the library's own layers, trained by
// examples/train_classifier.cpp, whose weights ship in examples/models/.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/shape.hpp"
#include "gan/core/tensor.hpp"
#include "gan/io/checkpoint.hpp"
#include "gan/layer/conv2d.hpp"
#include "gan/layer/dense.hpp"
#include "gan/layer/flatten.hpp"
#include "gan/layer/init.hpp"
#include "gan/layer/relu.hpp"
#include "gan/net/sequential.hpp"
#include "gan/net/tape.hpp"

namespace gan::metric {

/// Row-wise softmax: p_ik = exp(z_ik − m_i) / Σ_j exp(z_ij − m_i) with m_i = max_j z_ij,
/// so that no exponential overflows. logits and p are N×K (p may alias logits).
template <class T>
void softmax(ConstView<T> logits, TensorView<T> p) {
  GAN_CHECK(p.shape() == logits.shape(), "softmax: output of shape ", p.shape(), " for logits ",
            logits.shape());
  const Index n = logits.n(), k = logits.features();
  for (Index i = 0; i < n; ++i) {
    const T* z = logits.sample(i);
    T* out = p.sample(i);
    const T top = *std::max_element(z, z + k);
    T sum = 0;
    for (Index c = 0; c < k; ++c) {
      out[c] = std::exp(z[c] - top);
      sum += out[c];
    }
    for (Index c = 0; c < k; ++c) out[c] /= sum;
  }
}

/// The mean softmax cross-entropy of N×K logits against labels in [0, K):
///
///   L = (1/N) Σ_i [ log Σ_k exp z_ik − z_i,y_i ]     (log-sum-exp shifted by the row max)
///
/// returned in double. When `dlogits` is not empty it receives ∂L/∂z = (softmax(z) − onehot(y))
/// / N, shaped like the logits. Throws gan::Error for a label count or label out of range.
template <class T>
double softmax_cross_entropy(ConstView<T> logits, std::span<const std::int32_t> labels,
                             TensorView<T> dlogits = {}) {
  const Index n = logits.n(), k = logits.features();
  GAN_CHECK(static_cast<Index>(labels.size()) == n, "softmax_cross_entropy: ", labels.size(),
            " labels for ", n, " rows of logits");
  GAN_CHECK(n >= 1, "softmax_cross_entropy: no rows");
  const bool with_grad = dlogits.data() != nullptr;
  if (with_grad)
    GAN_CHECK(dlogits.shape() == logits.shape(), "softmax_cross_entropy: gradient of shape ",
              dlogits.shape(), " for logits ", logits.shape());
  double loss = 0;
  for (Index i = 0; i < n; ++i) {
    const std::int32_t y = labels[static_cast<std::size_t>(i)];
    GAN_CHECK(y >= 0 && y < k, "softmax_cross_entropy: label ", y, " of row ", i,
              " is outside [0, ", k, ")");
    const T* z = logits.sample(i);
    const double top = static_cast<double>(*std::max_element(z, z + k));
    double sum = 0;
    for (Index c = 0; c < k; ++c) sum += std::exp(static_cast<double>(z[c]) - top);
    loss += top + std::log(sum) - static_cast<double>(z[y]);
    if (with_grad) {
      T* g = dlogits.sample(i);
      const double scale = 1.0 / (sum * static_cast<double>(n));
      for (Index c = 0; c < k; ++c)
        g[c] = static_cast<T>(std::exp(static_cast<double>(z[c]) - top) * scale);
      g[y] -= static_cast<T>(1.0 / static_cast<double>(n));
    }
  }
  return loss / static_cast<double>(n);
}

namespace detail {
template <class T>
using FashionClassifierBase =
    net::Sequential<layer::Conv2d<T>, layer::ReLU<T>, layer::Conv2d<T>, layer::ReLU<T>,
                    layer::Conv2d<T>, layer::ReLU<T>, layer::Flatten<T>, layer::Dense<T>,
                    layer::ReLU<T>, layer::Dense<T>>;
}  // namespace detail

/// 1×28×28 images in [−1, 1] → Conv(1→32, k3, s1, p1) ReLU → Conv(32→64, k4, s2, p1) ReLU
/// → Conv(64→32, k4, s2, p1) ReLU → flatten (1568) → Dense(1568, 128) ReLU → Dense(128, 10):
/// ten logits. The 128 activations after the first Dense are the features the image
/// metrics compare (FID's pool3 features in Heusel et al. 2017). All weights He-normal
/// (He et al., "Delving Deep into Rectifiers", ICCV 2015), biases 0.
///
/// 268,074 parameters: the weights file holds them as float32, about 1.07 MB. The file is
/// the checkpoint format of io/checkpoint.hpp with one entry, "classifier.parameters",
/// and the fingerprint of architecture(), so a file made for another layout or scalar
/// type is refused. Programs built by this project get the path of the shipped file as
/// the macro GAN_CLASSIFIER_WEIGHTS. A default-constructed classifier is untrained (He
/// weights from seed 0): load weights, or train it as examples/train_classifier.cpp does.
///
///     metric::FashionClassifier<float> c = metric::load_fashion_classifier<float>(path);
///     Tensor<float> f = c.features(images);  // (N, 128)
template <class T>
class FashionClassifier : public detail::FashionClassifierBase<T> {
  using Base = detail::FashionClassifierBase<T>;
  static constexpr std::size_t feature_layer = Base::depth - 2;  // the ReLU after Dense(·, 128)

 public:
  static constexpr Index classes = 10;
  static constexpr Index feature_count = 128;
  static constexpr Shape fixed_input = core::images(1, 1, 28, 28);
  static constexpr Shape fixed_output = core::features(1, classes);
  /// Images a forward pass takes at once in evaluation: bounds the im2col buffers (the
  /// second convolution's is 196·512 values an image) whatever the set's size.
  static constexpr Index eval_batch = 256;

  FashionClassifier()
      : Base(fixed_input, layer::Conv2d<T>(1, 32, 3, 1, 1, layer::Init::he_normal()),
             layer::ReLU<T>(), layer::Conv2d<T>(32, 64, 4, 2, 1, layer::Init::he_normal()),
             layer::ReLU<T>(), layer::Conv2d<T>(64, 32, 4, 2, 1, layer::Init::he_normal()),
             layer::ReLU<T>(), layer::Flatten<T>(),
             layer::Dense<T>(32 * 7 * 7, feature_count, layer::Init::he_normal()), layer::ReLU<T>(),
             layer::Dense<T>(feature_count, classes, layer::Init::he_normal())) {}

  /// The layout a weights file must have been written for (its fingerprint is stored).
  /// Spelled out here rather than taken from describe(), so that a change in how networks
  /// print themselves does not turn the shipped weights away; change it with the layers.
  std::string architecture() const {
    return core::detail::concat(
        "FashionClassifier: Conv2d(1, 32, k3, s1, p1) ReLU Conv2d(32, 64, k4, s2, p1) ReLU "
        "Conv2d(64, 32, k4, s2, p1) ReLU Flatten Dense(1568, 128) ReLU Dense(128, 10); ",
        this->parameter_count(), " parameters; scalar of ", sizeof(T), " bytes");
  }

  /// The state a weights file holds, for the visitors of io/checkpoint.hpp.
  template <class V>
  void visit_state(V& v) {
    v.array("classifier.parameters", this->parameters());
  }

  /// Writes the weights to `path` (atomically; see io::save_checkpoint).
  void save_weights(const std::filesystem::path& path) { io::save_checkpoint(*this, path); }

  /// Reads the weights from `path`. Throws gan::Error naming the file when it is missing,
  /// damaged, or made for another architecture; the weights are unchanged then.
  void load_weights(const std::filesystem::path& path) {
    try {
      io::load_checkpoint(*this, path);
    } catch (const Error& e) {
      core::fail("Fashion-MNIST classifier weights: ", e.what(),
                 " (the file is made by examples/train_classifier)");
    }
  }

  /// One pass over N×1×28×28 images, eval_batch at a time: the N×128 features and/or the
  /// N×10 class probabilities (a view left empty is not computed).
  void evaluate(ConstView<T> images, TensorView<T> features, TensorView<T> probabilities) {
    const Index n = images.n();
    const bool want_f = features.data() != nullptr, want_p = probabilities.data() != nullptr;
    if (want_f)
      GAN_CHECK(features.shape() == core::features(n, feature_count),
                "FashionClassifier: features of shape ", features.shape(), " for ", n, " images");
    if (want_p)
      GAN_CHECK(probabilities.shape() == core::features(n, classes),
                "FashionClassifier: probabilities of shape ", probabilities.shape(), " for ", n,
                " images");
    for (Index first = 0; first < n; first += eval_batch) {
      const Index count = std::min(eval_batch, n - first);
      ConstView<T> logits = this->forward(images.rows(first, count), m_tape);
      if (want_f) features.rows(first, count).copy_from(this->layer_output(m_tape, feature_layer));
      if (want_p) softmax(logits, probabilities.rows(first, count));
    }
  }

  /// (N, 128) the penultimate activations.
  Tensor<T> features(ConstView<T> images) {
    Tensor<T> f(core::features(images.n(), feature_count));
    evaluate(images, f.view(), {});
    return f;
  }

  /// (N, 10) the softmax of the logits.
  Tensor<T> probabilities(ConstView<T> images) {
    Tensor<T> p(core::features(images.n(), classes));
    evaluate(images, {}, p.view());
    return p;
  }

  /// (N) the most probable class of each image (the first on ties).
  std::vector<std::int32_t> predict(ConstView<T> images) {
    const Tensor<T> p = probabilities(images);
    std::vector<std::int32_t> labels(static_cast<std::size_t>(images.n()));
    for (Index i = 0; i < images.n(); ++i) {
      const T* row = p.view().sample(i);
      labels[static_cast<std::size_t>(i)] =
          static_cast<std::int32_t>(std::max_element(row, row + classes) - row);
    }
    return labels;
  }

  /// Fraction of the images whose predicted class is their label.
  double accuracy(ConstView<T> images, std::span<const std::int32_t> labels) {
    GAN_CHECK(static_cast<Index>(labels.size()) == images.n(), "FashionClassifier: ", labels.size(),
              " labels for ", images.n(), " images");
    GAN_CHECK(images.n() >= 1, "FashionClassifier: accuracy of no images");
    const std::vector<std::int32_t> predicted = predict(images);
    Index right = 0;
    for (std::size_t i = 0; i < predicted.size(); ++i) right += predicted[i] == labels[i];
    return static_cast<double>(right) / static_cast<double>(images.n());
  }

 private:
  net::Tape<T> m_tape;  // activations of the last evaluation batch, kept to reuse their buffers
};

/// A classifier with the weights of `path` (e.g. GAN_CLASSIFIER_WEIGHTS, the shipped
/// file). Throws gan::Error naming the file when it is missing or does not match.
template <class T>
FashionClassifier<T> load_fashion_classifier(const std::filesystem::path& path) {
  FashionClassifier<T> c;
  c.load_weights(path);
  return c;
}

}  // namespace gan::metric
