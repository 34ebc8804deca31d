// Image metrics of the gan program: FD, precision, recall and class entropy on the
// features of the shipped Fashion-MNIST classifier (metric/image_quality.hpp), against
// the held-out test images (Fashion-MNIST) or the data set itself (other IDX data).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "data_spec.hpp"
#include "gan/metric/image_quality.hpp"

#ifndef GAN_CLASSIFIER_WEIGHTS
#error \
    "GAN_CLASSIFIER_WEIGHTS must name the classifier's weights file (set by examples/CMakeLists.txt)"
#endif

namespace gan::program {

/// The classifier's weights: $GAN_CLASSIFIER_WEIGHTS when set, else the file shipped with
/// the source (examples/models/fashion_classifier.gan).
inline std::filesystem::path classifier_weights() {
  if (const char* env = std::getenv("GAN_CLASSIFIER_WEIGHTS"); env && *env) return env;
  return GAN_CLASSIFIER_WEIGHTS;
}

/// fd, precision, recall and entropy of generated images (N×1×28×28 in [−1, 1]); nothing
/// for other image sizes (the classifier takes 28×28), with a note.
inline std::map<std::string, double> score_images(const DataSpec& spec,
                                                  const data::Dataset<float>& data,
                                                  ConstView<float> fake) {
  if (!fake.shape().same_sample(core::images(1, 1, 28, 28))) {
    std::fprintf(stderr, "gan: note: image metrics need 1x28x28 images; none computed\n");
    return {};
  }
  std::optional<data::Dataset<float>> held_out = spec.reference();
  ConstView<float> reference =
      held_out ? held_out->samples() : data.samples().rows(0, std::min<Index>(10000, data.size()));
  reference = reference.reshaped(fake.shape().with_batch(reference.n()));  // MLP runs: vectors
  metric::ImageQuality<float> quality(metric::load_fashion_classifier<float>(classifier_weights()),
                                      reference);
  metric::ImageScores s = quality(fake);
  if (!s.warning.empty()) std::fprintf(stderr, "gan: note: %s\n", s.warning.c_str());
  return {{"fd", s.fd}, {"precision", s.precision}, {"recall", s.recall}, {"entropy", s.entropy}};
}

}  // namespace gan::program
