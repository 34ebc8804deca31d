// Entropy of the class histogram a classifier predicts for generated samples: low when the
// generator has collapsed onto a few classes, ln K when every class is equally frequent.
#pragma once

// Samples first: it brings Eigen through gan/core/eigen.hpp (GCC 12 workaround, see there).
#include "gan/metric/samples.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"

namespace gan::metric {

/// What class_entropy reports.
struct ClassEntropy {
  /// H(h) = −Σ_k h_k ln h_k (nats, 0·ln 0 = 0) of the predicted-class histogram h; in
  /// [0, ln K].
  double histogram_entropy = 0;
  /// Mean over the samples of −Σ_k p_k ln p_k of each sample's class probabilities
  /// (the classifier's uncertainty; low for confident, recognisable samples). Only when
  /// probabilities were given.
  std::optional<double> mean_sample_entropy;
  /// H(p̄) of the mean class probabilities p̄ = (1/n) Σ_i p(·|x_i): the soft histogram.
  /// exp(marginal_entropy − mean_sample_entropy) is the Inception Score's form. Only when
  /// probabilities were given.
  std::optional<double> marginal_entropy;
  /// (K) the predicted-class histogram h, summing to 1.
  std::vector<double> histogram;
};

namespace detail {

/// −Σ p ln p over the positive entries.
inline double entropy(std::span<const double> p) {
  double h = 0;
  for (double v : p) {
    if (v > 0) h -= v * std::log(v);
  }
  return h;
}

inline ClassEntropy entropy_of_counts(std::vector<double> counts, double total) {
  for (double& c : counts) c /= total;
  ClassEntropy e;
  e.histogram_entropy = entropy(counts);
  e.histogram = std::move(counts);
  return e;
}

}  // namespace detail

/// The entropy of the predicted-class histogram, a mode-collapse check on labelled data
/// (a hard-label form of the marginal term H(y) of the Inception Score, Salimans et al.,
/// "Improved Techniques for Training GANs", NeurIPS 2016), from predicted labels in
/// [0, classes): h_k = #{i : label_i = k} / n. Throws gan::Error for no labels or a label
/// out of range.
inline ClassEntropy class_entropy(std::span<const std::int32_t> labels, Index classes) {
  GAN_CHECK(classes >= 1, "class_entropy: needs at least one class, got ", classes);
  GAN_CHECK(!labels.empty(), "class_entropy: no labels");
  std::vector<double> counts(static_cast<std::size_t>(classes), 0.0);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    GAN_CHECK(labels[i] >= 0 && labels[i] < classes, "class_entropy: label ", labels[i],
              " of sample ", i, " is outside [0, ", classes, ")");
    counts[static_cast<std::size_t>(labels[i])] += 1;
  }
  return detail::entropy_of_counts(std::move(counts), static_cast<double>(labels.size()));
}

/// The same from class probabilities (n×K, each row a distribution, e.g. a softmax): the
/// predicted label of a sample is its most probable class (the first on ties); the mean
/// per-sample entropy and the entropy of the mean probabilities are reported too. Throws gan::Error
/// for no samples, a negative or non-finite probability, or a row that does not sum to 1 within
/// 10⁻³.
inline ClassEntropy class_entropy(Samples probabilities) {
  const Index n = probabilities.n(), classes = probabilities.features();
  GAN_CHECK(n >= 1 && classes >= 1, "class_entropy: needs at least one sample and class, got ", n,
            "x", classes);
  std::vector<double> counts(static_cast<std::size_t>(classes), 0.0);
  std::vector<double> row(static_cast<std::size_t>(classes));
  std::vector<double> mean(static_cast<std::size_t>(classes), 0.0);  // (K) Σ_i p(·|x_i)
  double sample_entropy = 0;
  for (Index i = 0; i < n; ++i) {
    double sum = 0;
    Index best = 0;
    for (Index k = 0; k < classes; ++k) {
      const double p = probabilities(i, k);
      GAN_CHECK(std::isfinite(p) && p >= 0, "class_entropy: probability ", p, " of sample ", i,
                ", class ", k, " is negative or not finite");
      row[static_cast<std::size_t>(k)] = p;
      mean[static_cast<std::size_t>(k)] += p;
      sum += p;
      if (p > row[static_cast<std::size_t>(best)]) best = k;
    }
    GAN_CHECK(std::abs(sum - 1) <= 1e-3, "class_entropy: the probabilities of sample ", i,
              " sum to ", sum, ", not 1 (logits instead of a softmax?)");
    counts[static_cast<std::size_t>(best)] += 1;
    sample_entropy += detail::entropy(row);
  }
  ClassEntropy e = detail::entropy_of_counts(std::move(counts), static_cast<double>(n));
  e.mean_sample_entropy = sample_entropy / static_cast<double>(n);
  for (double& m : mean) m /= static_cast<double>(n);
  e.marginal_entropy = detail::entropy(mean);
  return e;
}

}  // namespace gan::metric
