#include "gan/io/image.hpp"

#include <doctest/doctest.h>

TEST_CASE("an image is rows of interleaved channels") {
  gan::io::Image im(3, 2, 3, 7);
  CHECK(im.pixels.size() == 18);
  CHECK(im.at(1, 2, 2) == 7);
  im.at(1, 0, 1) = 99;
  CHECK(im.pixels[(1 * 3 + 0) * 3 + 1] == 99);
  CHECK_THROWS_WITH_AS(gan::io::Image(0, 2, 1),
                       "image of 0x2x1: expected width, height >= 1 and 1 or 3 channels",
                       gan::Error);
  CHECK_THROWS_WITH_AS(gan::io::Image(2, 2, 4),
                       "image of 2x2x4: expected width, height >= 1 and 1 or 3 channels",
                       gan::Error);
}
