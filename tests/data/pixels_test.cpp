#include "gan/data/pixels.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using gan::data::from_pixel;
using gan::data::to_pixel;

TEST_CASE("every pixel survives [0, 255] -> [-1, 1] -> [0, 255], in float and double") {
  for (int p = 0; p < 256; ++p) {
    auto b = static_cast<std::uint8_t>(p);
    CHECK(to_pixel(from_pixel<float>(b)) == b);
    CHECK(to_pixel(from_pixel<double>(b)) == b);
  }
  CHECK(from_pixel<double>(0) == -1.0);
  CHECK(from_pixel<double>(255) == 1.0);
  CHECK(from_pixel<double>(51) == doctest::Approx(51 / 127.5 - 1.0));
}

TEST_CASE("to_pixel rounds to nearest and clamps values outside [-1, 1]") {
  CHECK(to_pixel(0.0) == 128);  // 127.5 rounds up
  CHECK(to_pixel(-1.0 + 0.49 / 127.5) == 0);
  CHECK(to_pixel(-1.0 + 0.51 / 127.5) == 1);
  CHECK(to_pixel(-3.0f) == 0);
  CHECK(to_pixel(7.0f) == 255);
  CHECK(to_pixel(std::numeric_limits<float>::quiet_NaN()) == 0);
  CHECK(to_pixel(std::numeric_limits<double>::infinity()) == 255);
}
