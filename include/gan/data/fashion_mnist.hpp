// Fashion-MNIST (Xiao, Rasul and Vollgraf, "Fashion-MNIST: a Novel Image Dataset for
// Benchmarking Machine Learning Algorithms", 2017): 60,000 training and 10,000 test
// grayscale images of 28×28 in ten classes, stored as IDX files. Debian ships it in the
// package dataset-fashion-mnist.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "gan/core/error.hpp"
#include "gan/data/dataset.hpp"
#include "gan/data/idx_dataset.hpp"

namespace gan::data {

/// Where Debian's dataset-fashion-mnist installs the four files.
inline constexpr const char* fashion_mnist_default_directory = "/usr/share/datasets/fashion-mnist";

/// The ten class names, indexed by label.
inline constexpr std::array<std::string_view, 10> fashion_mnist_classes = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

/// The two parts of the data set.
enum class Split {
  train,  ///< 60,000 images
  test,   ///< 10,000 images ("t10k")
};

/// The image and label files of one split.
struct FashionMnistFiles {
  std::filesystem::path images;
  std::filesystem::path labels;
};

namespace detail {
// The file named `stem` in dir, gzip-compressed (as distributed) or already unpacked.
inline std::filesystem::path find_idx_file(const std::filesystem::path& dir,
                                           const std::string& stem) {
  std::error_code ec;
  for (const char* suffix : {".gz", ""}) {
    std::filesystem::path p = dir / (stem + suffix);
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  core::fail("Fashion-MNIST not found: ", (dir / (stem + ".gz")).string(),
             " is missing (apt-get install dataset-fashion-mnist, or give the directory that"
             " holds train-images-idx3-ubyte.gz and the three other files)");
}
}  // namespace detail

/// The files of `split` in `directory` (empty: the Debian package's directory). Each may
/// be gzip-compressed or not. Throws gan::Error saying how to install the data when a
/// file is missing.
inline FashionMnistFiles find_fashion_mnist(Split split,
                                            const std::filesystem::path& directory = {}) {
  std::filesystem::path dir = directory.empty() ? fashion_mnist_default_directory : directory;
  std::string prefix = split == Split::train ? "train" : "t10k";
  return {detail::find_idx_file(dir, prefix + "-images-idx3-ubyte"),
          detail::find_idx_file(dir, prefix + "-labels-idx1-ubyte")};
}

/// Whether all four files are present in `directory` (empty: the Debian package's).
inline bool has_fashion_mnist(const std::filesystem::path& directory = {}) {
  try {
    find_fashion_mnist(Split::train, directory);
    find_fashion_mnist(Split::test, directory);
    return true;
  } catch (const Error&) {
    return false;
  }
}

/// One split as N×1×28×28 images in [−1, 1] with labels 0 … 9, named
/// "fashion-mnist/train" or "fashion-mnist/test".
template <class T>
Dataset<T> load_fashion_mnist(Split split, const std::filesystem::path& directory = {}) {
  FashionMnistFiles files = find_fashion_mnist(split, directory);
  Dataset<T> data = load_idx_dataset<T>(
      split == Split::train ? "fashion-mnist/train" : "fashion-mnist/test", files.images,
      files.labels, static_cast<Index>(fashion_mnist_classes.size()));
  GAN_CHECK(data.shape().h == 28 && data.shape().w == 28, files.images.string(),
            ": Fashion-MNIST images are 28x28, the file holds ", data.shape().h, 'x',
            data.shape().w);
  return data;
}

}  // namespace gan::data
