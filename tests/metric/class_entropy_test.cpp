#include "gan/metric/class_entropy.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

using gan::metric::class_entropy;

TEST_CASE("entropy of predicted labels: uniform is ln K, one class is 0") {
  std::vector<std::int32_t> labels(1000);
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = std::int32_t(i % 10);
  auto e = class_entropy(labels, 10);
  CHECK(e.histogram_entropy == doctest::Approx(std::log(10.0)));
  CHECK(e.histogram.size() == 10);
  CHECK(e.histogram[3] == doctest::Approx(0.1));
  CHECK_FALSE(e.mean_sample_entropy.has_value());
  std::vector<std::int32_t> same(50, 7);
  CHECK(class_entropy(same, 10).histogram_entropy == 0);
  const std::vector<std::int32_t> uneven = {0, 0, 0, 2};
  CHECK(class_entropy(uneven, 3).histogram_entropy ==
        doctest::Approx(-(0.75 * std::log(0.75) + 0.25 * std::log(0.25))));
}

TEST_CASE("entropy from class probabilities: argmax histogram, per-sample and marginal") {
  const gan::Index n = 40, k = 4;
  // Confident one-hot predictions spread over all classes.
  gan::Tensor<float> onehot(gan::core::features(n, k), 0.0f);
  for (gan::Index i = 0; i < n; ++i) onehot(i, i % k) = 1;
  auto e = class_entropy(onehot);
  CHECK(e.histogram_entropy == doctest::Approx(std::log(4.0)));
  CHECK(*e.mean_sample_entropy == 0);
  CHECK(*e.marginal_entropy == doctest::Approx(std::log(4.0)));
  // Uniform probabilities: every argmax is class 0 (first on ties), each sample maximally
  // uncertain.
  gan::Tensor<double> flat(gan::core::features(n, k), 0.25);
  e = class_entropy(flat);
  CHECK(e.histogram_entropy == 0);
  CHECK(e.histogram[0] == 1.0);
  CHECK(*e.mean_sample_entropy == doctest::Approx(std::log(4.0)));
  CHECK(*e.marginal_entropy == doctest::Approx(std::log(4.0)));
  // One row by hand: (0.5, 0.3, 0.2, 0).
  gan::Tensor<double> row(gan::core::features(1, k), 0.0);
  row(0, 0) = 0.5;
  row(0, 1) = 0.3;
  row(0, 2) = 0.2;
  CHECK(*class_entropy(row).mean_sample_entropy ==
        doctest::Approx(-(0.5 * std::log(0.5) + 0.3 * std::log(0.3) + 0.2 * std::log(0.2))));
}

TEST_CASE("class_entropy rejects labels out of range and rows that are not distributions") {
  const std::vector<std::int32_t> labels = {0, 3};
  CHECK_THROWS_WITH_AS(class_entropy(labels, 3),
                       "class_entropy: label 3 of sample 1 is outside [0, 3)", gan::Error);
  CHECK_THROWS_AS(class_entropy(std::vector<std::int32_t>{}, 3), gan::Error);
  gan::Tensor<float> logits(gan::core::features(2, 3), 1.0f);
  CHECK_THROWS_WITH_AS(class_entropy(logits),
                       "class_entropy: the probabilities of sample 0 sum to 3, not 1 (logits "
                       "instead of a softmax?)",
                       gan::Error);
  gan::Tensor<double> negative(gan::core::features(1, 2), 0.0);
  negative(0, 0) = 1.5;
  negative(0, 1) = -0.5;
  CHECK_THROWS_AS(class_entropy(negative), gan::Error);
}
