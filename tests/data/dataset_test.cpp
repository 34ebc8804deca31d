#include "gan/data/dataset.hpp"

#include <doctest/doctest.h>

#include <vector>

using gan::Tensor;
using gan::core::features;
using gan::core::images;
using gan::data::Dataset;

TEST_CASE("a data set keeps samples, labels, classes and name") {
  Tensor<float> x(images(3, 1, 2, 2), 0.5f);
  const float* p = x.data();
  Dataset<float> d("three", std::move(x), {0, 2, 1}, 3);
  CHECK(d.name() == "three");
  CHECK(d.size() == 3);
  CHECK(d.shape() == images(3, 1, 2, 2));
  CHECK(d.samples().data() == p);  // moved, not copied
  CHECK(d.labeled());
  CHECK(d.classes() == 3);
  CHECK(d.labels()[1] == 2);
  CHECK(d.transform().identity());
  Dataset<float> u("u", Tensor<float>(features(2, 5)));
  CHECK_FALSE(u.labeled());
  CHECK(u.classes() == 0);
}

TEST_CASE("a data set rejects labels that do not fit its samples or classes") {
  CHECK_THROWS_WITH_AS(Dataset<float>("d", Tensor<float>(features(3, 2)), {0, 1}, 2),
                       "data set d: 2 labels for 3 samples: expected one label per sample",
                       gan::Error);
  CHECK_THROWS_WITH_AS(Dataset<float>("d", Tensor<float>(features(2, 2)), {0, 1}, 0),
                       "data set d: labelled samples need a class count >= 1", gan::Error);
  CHECK_THROWS_WITH_AS(Dataset<float>("d", Tensor<float>(features(2, 2)), {0, 5}, 5),
                       "data set d: label 5 of sample 1 is outside [0, 5)", gan::Error);
  CHECK_THROWS_WITH_AS(Dataset<float>("d", Tensor<float>(features(2, 2)), {-1, 0}, 5),
                       "data set d: label -1 of sample 0 is outside [0, 5)", gan::Error);
}
