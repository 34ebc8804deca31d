// Dataset<T>: samples (N×C×H×W images or N×F features), optional labels with their class
// count, a name, and the transform that scaled the samples.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/tensor.hpp"
#include "gan/data/transform.hpp"

namespace gan::data {

/// A data set in memory, checked on construction: labels are absent or one per sample,
/// each in [0, classes). Loader draws batches from it.
template <class T>
class Dataset {
 public:
  using Scalar = T;

  Dataset() = default;
  /// samples: N×C×H×W (or N×F); labels: empty or N values in [0, classes); transform: how
  /// the samples were scaled from the source's units (Transform::invert maps back).
  Dataset(std::string name, Tensor<T> samples, std::vector<std::int32_t> labels = {},
          Index classes = 0, Transform transform = {})
      : m_name(std::move(name)),
        m_samples(std::move(samples)),
        m_labels(std::move(labels)),
        m_classes(classes),
        m_transform(std::move(transform)) {
    GAN_CHECK(m_labels.empty() || static_cast<Index>(m_labels.size()) == m_samples.n(), "data set ",
              m_name, ": ", m_labels.size(), " labels for ", m_samples.n(),
              " samples: expected one label per sample");
    GAN_CHECK(m_classes >= 0, "data set ", m_name, ": class count ", m_classes, ": expected >= 0");
    GAN_CHECK(m_labels.empty() || m_classes > 0, "data set ", m_name,
              ": labelled samples need a class count >= 1");
    for (std::size_t i = 0; i < m_labels.size(); ++i)
      GAN_CHECK(m_labels[i] >= 0 && m_labels[i] < m_classes, "data set ", m_name, ": label ",
                m_labels[i], " of sample ", i, " is outside [0, ", m_classes, ')');
  }

  const std::string& name() const { return m_name; }
  /// All samples: N×C×H×W or N×F.
  ConstView<T> samples() const { return m_samples.view(); }
  /// Mutable samples (e.g. to apply a transform in place).
  TensorView<T> samples() { return m_samples.view(); }
  const Shape& shape() const { return m_samples.shape(); }
  /// Number of samples N.
  Index size() const { return m_samples.n(); }
  /// One label per sample, or empty.
  std::span<const std::int32_t> labels() const { return m_labels; }
  bool labeled() const { return !m_labels.empty(); }
  /// Number of classes (0 when unlabeled).
  Index classes() const { return m_classes; }
  const Transform& transform() const { return m_transform; }

 private:
  std::string m_name;
  Tensor<T> m_samples;                 // (N, C, H, W) or (N, F)
  std::vector<std::int32_t> m_labels;  // (N) or empty
  Index m_classes = 0;
  Transform m_transform;
};

}  // namespace gan::data
