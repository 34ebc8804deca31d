// Image: an 8-bit grayscale or RGB picture in memory, the unit PNG files are read into and
// written from.
#pragma once

#include <cstdint>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"

namespace gan::io {

/// height × width pixels of `channels` bytes each (1: gray, 3: red, green, blue),
/// interleaved, rows from top to bottom.
struct Image {
  Index width = 0;
  Index height = 0;
  Index channels = 1;
  std::vector<std::uint8_t> pixels;  // (H, W, channels)

  Image() = default;
  /// A width × height image of `channels` channels, every byte set to `fill`.
  Image(Index w, Index h, Index c, std::uint8_t fill = 0) : width(w), height(h), channels(c) {
    GAN_CHECK(w >= 1 && h >= 1 && (c == 1 || c == 3), "image of ", w, 'x', h, 'x', c,
              ": expected width, height >= 1 and 1 or 3 channels");
    pixels.assign(static_cast<std::size_t>(w * h * c), fill);
  }

  /// Channel c of the pixel at row y, column x.
  std::uint8_t& at(Index y, Index x, Index c = 0) {
    return pixels[static_cast<std::size_t>((y * width + x) * channels + c)];
  }
  std::uint8_t at(Index y, Index x, Index c = 0) const {
    return pixels[static_cast<std::size_t>((y * width + x) * channels + c)];
  }
};

}  // namespace gan::io
