#include "gan/data/fashion_mnist.hpp"

#include <doctest/doctest.h>

#include <array>

#include "data/temp_dir.hpp"

using gan::data::Split;

TEST_CASE("Fashion-MNIST loads with its shapes, label counts and ten classes") {
  if (!gan::data::has_fashion_mnist()) {
    MESSAGE("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): skipped");
    return;
  }
  struct Expect {
    Split split;
    gan::Index count;
    const char* name;
  };
  for (Expect e : {Expect{Split::train, 60000, "fashion-mnist/train"},
                   Expect{Split::test, 10000, "fashion-mnist/test"}}) {
    auto d = gan::data::load_fashion_mnist<float>(e.split);
    CHECK(d.name() == e.name);
    CHECK(d.shape() == gan::core::images(e.count, 1, 28, 28));
    CHECK(d.labels().size() == static_cast<std::size_t>(e.count));
    CHECK(d.classes() == 10);
    std::array<gan::Index, 10> per_class{};
    gan::Index outside = 0;
    for (std::int32_t l : d.labels()) {
      if (l < 0 || l >= 10)
        ++outside;
      else
        ++per_class[static_cast<std::size_t>(l)];
    }
    CHECK(outside == 0);
    // The data set is balanced: 6,000 (train) or 1,000 (test) images of each class.
    for (gan::Index c : per_class) CHECK(c == e.count / 10);
    float lo = 1, hi = -1;
    for (float v : d.samples().span()) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    CHECK(lo == -1.0f);
    CHECK(hi == 1.0f);
  }
  CHECK(gan::data::fashion_mnist_classes[9] == "Ankle boot");
}

TEST_CASE("a missing Fashion-MNIST says how to install it") {
  gan::test::TempDir empty;
  CHECK(gan::test::error_of(
            [&] { gan::data::load_fashion_mnist<float>(Split::test, empty.path()); }) ==
        "Fashion-MNIST not found: " + (empty / "t10k-images-idx3-ubyte.gz").string() +
            " is missing (apt-get install dataset-fashion-mnist, or give the directory that holds"
            " train-images-idx3-ubyte.gz and the three other files)");
  CHECK_FALSE(gan::data::has_fashion_mnist(empty.path()));
}

TEST_CASE("a Fashion-MNIST directory may hold unpacked files") {
  gan::test::TempDir dir;
  // A stand-in of 2 images of 28x28, unpacked, as a user may have it.
  gan::data::IdxImages im;
  im.count = 2;
  im.rows = 28;
  im.cols = 28;
  im.pixels.assign(2 * 28 * 28, 255);
  gan::data::write_idx_images(dir / "t10k-images-idx3-ubyte", im);
  std::vector<std::int32_t> labels = {3, 8};
  gan::data::write_idx_labels(dir / "t10k-labels-idx1-ubyte", labels);
  auto d = gan::data::load_fashion_mnist<double>(Split::test, dir.path());
  CHECK(d.size() == 2);
  CHECK(d.labels()[1] == 8);
  CHECK(d.samples()[0] == 1.0);
  im.cols = 14;
  im.pixels.resize(2 * 28 * 14);
  gan::data::write_idx_images(dir / "t10k-images-idx3-ubyte", im);
  CHECK(gan::test::error_of([&] {
          gan::data::load_fashion_mnist<double>(Split::test, dir.path());
        }) == (dir / "t10k-images-idx3-ubyte").string() +
                  ": Fashion-MNIST images are 28x28, the file holds 28x14");
}
