#include "gan/data/idx_dataset.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <vector>

#include "data/temp_dir.hpp"

using gan::Tensor;
using gan::core::images;
using gan::data::IdxImages;
using gan::test::error_of;
using gan::test::fixtures;
using gan::test::TempDir;
using gan::test::write_text;

namespace {}

TEST_CASE("IDX images and labels load as a data set scaled to [-1, 1]") {
  auto d = gan::data::load_idx_dataset<float>("tiny", fixtures / "tiny-images-idx3-ubyte.gz",
                                              fixtures / "tiny-labels-idx1-ubyte.gz", 10);
  CHECK(d.name() == "tiny");
  CHECK(d.shape() == images(3, 1, 2, 3));
  CHECK(d.classes() == 10);
  CHECK(std::vector<std::int32_t>(d.labels().begin(), d.labels().end()) ==
        std::vector<std::int32_t>{7, 0, 9});
  CHECK(d.samples()(1, 0, 1, 2) == doctest::Approx((40 + 50 + 5) / 127.5 - 1));
  CHECK(d.transform().kind() == gan::data::Scaling::pixels);
  // Mapped back through the kept transform, the samples are the file's pixels.
  Tensor<float> back(d.shape());
  back.view().copy_from(d.samples());
  d.transform().invert(back.view());
  CHECK(back(2, 5) == doctest::Approx(40 * 2 + 10 * 5 + 5));
  auto unlabeled = gan::data::load_idx_dataset<double>("u", fixtures / "tiny-images-idx3-ubyte.gz");
  CHECK_FALSE(unlabeled.labeled());
}

TEST_CASE("images and labels must agree in count, and labels must fit the classes") {
  TempDir dir;
  IdxImages im;
  im.count = 3;
  im.rows = 2;
  im.cols = 2;
  im.pixels.assign(12, 7);
  gan::data::write_idx_images(dir / "im", im);
  std::vector<std::int32_t> two = {1, 2}, three = {1, 2, 10};
  gan::data::write_idx_labels(dir / "two", two);
  gan::data::write_idx_labels(dir / "three", three);
  CHECK(error_of([&] { gan::data::load_idx_dataset<float>("x", dir / "im", dir / "two", 10); }) ==
        (dir / "two").string() + " holds 2 labels but " + (dir / "im").string() +
            " holds 3 images: expected one label per image");
  CHECK(error_of([&] { gan::data::load_idx_dataset<float>("x", dir / "im", dir / "three", 10); }) ==
        (dir / "three").string() + ": label 10 at index 2 is outside [0, 10)");
}

TEST_CASE("generated samples are written as IDX pixels that read back") {
  TempDir dir;
  Tensor<float> x(images(2, 1, 3, 2));
  for (gan::Index k = 0; k < x.size(); ++k) x[k] = -1.0f + 2.0f * static_cast<float>(k) / 11.0f;
  x[0] = -5.0f;  // clamped
  gan::data::write_idx_samples<float>(dir / "s.gz", x.view());
  IdxImages back = gan::data::read_idx_images(dir / "s.gz");
  CHECK(back.shape() == x.shape());
  for (gan::Index k = 0; k < x.size(); ++k)
    CHECK(back.pixels[static_cast<std::size_t>(k)] == gan::data::to_pixel(x[k]));
  CHECK(back.pixels[0] == 0);
  CHECK(back.pixels[11] == 255);
  Tensor<float> rgb(images(1, 3, 2, 2));
  CHECK(error_of([&] { gan::data::write_idx_samples<float>(dir / "r", rgb.view()); }) ==
        "IDX images are N x 1 x H x W grayscale: got 1x3x2x2");
}
