// ImageQuality: the image metrics of WORKLOADS.md Q2 in one call: the Fréchet distance,
// improved precision and recall, and the class entropy of a set of generated images,
// all on the features of the Fashion-MNIST classifier (metric/classifier.hpp), against a
// reference set whose features are computed once.
#pragma once

// Samples first: it brings Eigen through gan/core/eigen.hpp (GCC 12 workaround, see there).
#include "gan/metric/samples.hpp"

#include <string>
#include <utility>

#include "gan/core/error.hpp"
#include "gan/core/tensor.hpp"
#include "gan/metric/class_entropy.hpp"
#include "gan/metric/classifier.hpp"
#include "gan/metric/frechet.hpp"
#include "gan/metric/knn_manifold.hpp"
#include "gan/metric/precision_recall.hpp"

namespace gan::metric {

/// The scores of one set of generated images.
struct ImageScores {
  /// Fréchet distance between the Gaussians of the generated and the reference features
  /// (as the FID, but on FashionClassifier's 128 features): 0 for identical statistics.
  double fd = 0;
  /// Fraction of the generated images inside the reference set's k-NN manifold: fidelity.
  double precision = 0;
  /// Fraction of the reference images inside the generated set's k-NN manifold: coverage.
  double recall = 0;
  /// Entropy in nats of the histogram of predicted classes: ln 10 ≈ 2.303 when the ten
  /// classes come equally often, lower when the generator drops some (mode collapse).
  double entropy = 0;
  /// Empty, or why the Fréchet distance is unreliable (fewer images than features).
  std::string warning;
};

/// Scores generated N×1×28×28 images in [−1, 1] against a reference set (the Fashion-MNIST
/// test images, say). The reference's features, their Gaussian with the square root of
/// its covariance, and its k-NN radii are computed once, in the constructor; each score
/// then costs one classifier pass over the generated images, one covariance fit and
/// eigen-decomposition, and the generated-to-generated and generated-to-reference distance
/// passes of precision and recall.
///
///   fd         frechet.hpp (Heusel et al. 2017)
///   precision,
///   recall     precision_recall.hpp (Kynkäänniemi et al. 2019), k = 3 as in the paper
///   entropy    class_entropy.hpp, of the classifier's most probable classes
///
///     metric::ImageQuality quality(metric::load_fashion_classifier<float>(path),
///                                  test.samples());
///     metric::ImageScores s = quality(generated);  // again for every generated set
template <class T>
class ImageQuality {
 public:
  /// Takes the classifier (its weights loaded) and computes the reference's statistics.
  /// Throws gan::Error for images that are not 1×28×28, fewer than k + 1 reference images,
  /// or a non-finite feature.
  ImageQuality(FashionClassifier<T> classifier, ConstView<T> reference, Index k = 3)
      : m_classifier(std::move(classifier)),
        m_reference_features(m_classifier.features(reference)),
        m_frechet(Samples(m_reference_features)),
        m_manifold(Samples(m_reference_features), k) {}

  /// The scores of `generated` (at least k + 1 images). Throws gan::Error for images that
  /// are not 1×28×28 or features that are not finite.
  ImageScores operator()(ConstView<T> generated) {
    const Index n = generated.n();
    GAN_CHECK(n >= m_manifold.k() + 1, "ImageQuality: ", n, " generated images, need at least ",
              m_manifold.k() + 1, " for ", m_manifold.k(), "-NN precision and recall");
    m_features.resize(core::features(n, FashionClassifier<T>::feature_count));
    m_probabilities.resize(core::features(n, FashionClassifier<T>::classes));
    m_classifier.evaluate(generated, m_features.view(), m_probabilities.view());
    ImageScores s;
    const FrechetResult fd = m_frechet(Samples(m_features));
    s.fd = fd.distance;
    s.warning = fd.warning;
    const PrecisionRecall pr =
        precision_recall(m_manifold, KnnManifold(Samples(m_features), m_manifold.k()));
    s.precision = pr.precision;
    s.recall = pr.recall;
    s.entropy = class_entropy(Samples(m_probabilities)).histogram_entropy;
    return s;
  }

  /// (M, 128) the reference images' features.
  const Tensor<T>& reference_features() const { return m_reference_features; }
  /// The reference's Gaussian.
  const Gaussian& reference_gaussian() const { return m_frechet.reference(); }
  /// The k of the k-NN manifolds.
  Index k() const { return m_manifold.k(); }
  FashionClassifier<T>& classifier() { return m_classifier; }

 private:
  FashionClassifier<T> m_classifier;
  Tensor<T> m_reference_features;  // (M, 128)
  FrechetDistance m_frechet;       // the reference Gaussian and its covariance's root
  KnnManifold m_manifold;          // the reference points and their k-NN radii
  Tensor<T> m_features;            // (N, 128) of the last generated set, buffer kept
  Tensor<T> m_probabilities;       // (N, 10) of the last generated set, buffer kept
};

/// The scores of `generated` against `reference` in one call (ImageQuality, used once).
template <class T>
ImageScores image_quality(FashionClassifier<T> classifier, ConstView<T> generated,
                          ConstView<T> reference, Index k = 3) {
  ImageQuality<T> quality(std::move(classifier), reference, k);
  return quality(generated);
}

}  // namespace gan::metric
