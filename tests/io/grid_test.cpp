#include "gan/io/grid.hpp"

#include <doctest/doctest.h>

#include "data/temp_dir.hpp"

using gan::Tensor;
using gan::core::images;
using gan::io::GridOptions;
using gan::io::make_grid;

TEST_CASE("a grid places sample i at row i / columns, column i mod columns, with borders") {
  // 5 gray samples of 2x3 (H x W), each filled with its own value; 2 columns, border 1.
  Tensor<float> x(images(5, 1, 2, 3));
  for (gan::Index i = 0; i < 5; ++i)
    for (gan::Index k = 0; k < 6; ++k) x(i, k) = -1.0f + 0.25f * static_cast<float>(i);
  gan::io::Image g = make_grid<float>(x.view(), {.columns = 2, .border = 1, .border_value = 255});
  CHECK(g.width == 2 * 3 + 3);
  CHECK(g.height == 3 * 2 + 4);
  CHECK(g.channels == 1);
  for (gan::Index i = 0; i < 5; ++i) {
    gan::Index top = 1 + (i / 2) * 3, left = 1 + (i % 2) * 4;
    CHECK(g.at(top, left) == gan::data::to_pixel(x(i, 0)));
    CHECK(g.at(top + 1, left + 2) == gan::data::to_pixel(x(i, 0)));
    CHECK(g.at(top - 1, left) == 255);  // border above
    CHECK(g.at(top, left - 1) == 255);  // border left
  }
  CHECK(g.at(0, 0) == 255);
  CHECK(g.at(7, 5) == 255);  // the empty sixth cell has the border's colour
  CHECK(g.at(1, 1) == 0);    // sample 0 is -1: black
}

TEST_CASE("an RGB grid keeps the channels apart; no border; fewer samples than columns") {
  Tensor<double> x(images(2, 3, 1, 2));
  for (gan::Index i = 0; i < 2; ++i)
    for (gan::Index c = 0; c < 3; ++c)
      for (gan::Index w = 0; w < 2; ++w) x(i, c, 0, w) = c == 0 ? 1.0 : (c == 1 ? -1.0 : 0.0);
  gan::io::Image g = make_grid<double>(x.view(), {.columns = 8, .border = 0});
  CHECK(g.width == 4);
  CHECK(g.height == 1);
  CHECK(g.channels == 3);
  CHECK(g.at(0, 3, 0) == 255);
  CHECK(g.at(0, 3, 1) == 0);
  CHECK(g.at(0, 3, 2) == 128);
}

TEST_CASE("grids need image samples, and write_grid writes a PNG of the grid") {
  Tensor<float> dense(gan::core::features(4, 784));
  CHECK_THROWS_WITH_AS(
      make_grid<float>(dense.view()),
      "image grid of samples 4x784: expected N x C x H x W with N >= 1 and C = 1 or 3", gan::Error);
  CHECK_THROWS_WITH_AS(
      make_grid<float>(dense.view().reshaped(images(4, 1, 28, 28)), {.columns = 0}),
      "image grid: 0 columns: expected >= 1", gan::Error);
  gan::test::TempDir dir;
  Tensor<float> x(images(10, 1, 28, 28), 0.5f);
  gan::io::write_grid<float>(dir / "g.png", x.view(), {.columns = 5, .border = 2});
  gan::io::Image back = gan::io::read_png(dir / "g.png");
  CHECK(back.width == 5 * 28 + 6 * 2);
  CHECK(back.height == 2 * 28 + 3 * 2);
  CHECK(back.pixels == make_grid<float>(x.view(), {.columns = 5, .border = 2}).pixels);
}
