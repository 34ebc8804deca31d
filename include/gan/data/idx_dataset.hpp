// IDX files as a Dataset: images (and optionally labels) read, checked against each
// other and scaled to [−1, 1]; and generated samples written back as IDX images.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/tensor.hpp"
#include "gan/data/dataset.hpp"
#include "gan/data/idx.hpp"
#include "gan/data/pixels.hpp"
#include "gan/data/transform.hpp"

namespace gan::data {

/// Images (N×1×H×W, scaled to [−1, 1]) with labels in [0, classes) read from a pair of
/// IDX files; an empty labels path gives an unlabeled data set. Throws gan::Error naming
/// the file when the counts disagree or a label is out of range.
template <class T>
Dataset<T> load_idx_dataset(std::string name, const std::filesystem::path& images_path,
                            const std::filesystem::path& labels_path = {}, Index classes = 0) {
  IdxImages images = read_idx_images(images_path);
  std::vector<std::int32_t> labels;
  if (!labels_path.empty()) {
    GAN_CHECK(classes > 0, labels_path.string(), ": labels need a class count >= 1");
    labels = read_idx_labels(labels_path);
    GAN_CHECK(static_cast<Index>(labels.size()) == images.count, labels_path.string(), " holds ",
              labels.size(), " labels but ", images_path.string(), " holds ", images.count,
              " images: expected one label per image");
    for (std::size_t i = 0; i < labels.size(); ++i)
      GAN_CHECK(labels[i] < classes, labels_path.string(), ": label ", labels[i], " at index ", i,
                " is outside [0, ", classes, ')');
  }
  Tensor<T> samples(images.shape());
  for (std::size_t k = 0; k < images.pixels.size(); ++k)
    samples[static_cast<Index>(k)] = from_pixel<T>(images.pixels[k]);
  Index label_classes = labels.empty() ? 0 : classes;
  return Dataset<T>(std::move(name), std::move(samples), std::move(labels), label_classes,
                    Transform::pixels());
}

/// Samples in [−1, 1] (N×1×H×W) as IDX pixels, each rounded to the nearest of 0 … 255.
template <class T>
IdxImages to_idx_images(ConstView<T> samples) {
  const Shape& s = samples.shape();
  GAN_CHECK(s.c == 1 && s.h > 0 && s.w > 0, "IDX images are N x 1 x H x W grayscale: got ", s);
  IdxImages images;
  images.count = s.n;
  images.rows = s.h;
  images.cols = s.w;
  images.pixels.resize(static_cast<std::size_t>(s.size()));
  for (Index k = 0; k < s.size(); ++k)
    images.pixels[static_cast<std::size_t>(k)] = to_pixel(samples[k]);
  return images;
}

/// Writes samples in [−1, 1] (N×1×H×W) as an IDX image file (gzip when named ".gz"), the
/// form `gan eval` reads.
template <class T>
void write_idx_samples(const std::filesystem::path& path, ConstView<T> samples) {
  write_idx_images(path, to_idx_images(samples));
}

}  // namespace gan::data
