// Sample grids: a batch of images in [−1, 1] laid out as one picture, the usual way to
// look at what a generator makes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>

#include "gan/core/error.hpp"
#include "gan/core/tensor.hpp"
#include "gan/data/pixels.hpp"
#include "gan/io/image.hpp"
#include "gan/io/png.hpp"

namespace gan::io {

/// How a grid is laid out.
struct GridOptions {
  /// Images per row (fewer when N is smaller); the number of rows is ⌈N / columns⌉.
  Index columns = 8;
  /// Pixels of border around and between the images.
  Index border = 1;
  /// Gray level of the border and of empty cells (white: it stands out from the dark
  /// backgrounds of MNIST-like data).
  std::uint8_t border_value = 255;
};

/// The images of `samples` (N×C×H×W, C = 1 or 3, values in [−1, 1] mapped to pixels as
/// data/pixels.hpp says) in a grid filled row by row: sample i goes to row i / columns,
/// column i mod columns. For a conditional model, sample the batch with its labels
/// arranged class by class (`columns` samples of class 0, then of class 1, …) so that
/// each row shows one class. Dense samples (N×F) must be reshaped to images first.
template <class T>
Image make_grid(ConstView<T> samples, const GridOptions& options = {}) {
  const Shape& s = samples.shape();
  GAN_CHECK(s.n >= 1 && (s.c == 1 || s.c == 3) && s.h >= 1 && s.w >= 1, "image grid of samples ", s,
            ": expected N x C x H x W with N >= 1 and C = 1 or 3");
  GAN_CHECK(options.columns >= 1, "image grid: ", options.columns, " columns: expected >= 1");
  GAN_CHECK(options.border >= 0, "image grid: border ", options.border, ": expected >= 0");
  Index cols = std::min(options.columns, s.n);
  Index rows = (s.n + cols - 1) / cols;
  Index b = options.border;
  Image grid(cols * s.w + (cols + 1) * b, rows * s.h + (rows + 1) * b, s.c, options.border_value);
  for (Index i = 0; i < s.n; ++i) {
    Index top = b + (i / cols) * (s.h + b), left = b + (i % cols) * (s.w + b);
    for (Index c = 0; c < s.c; ++c)
      for (Index y = 0; y < s.h; ++y)
        for (Index x = 0; x < s.w; ++x)
          grid.at(top + y, left + x, c) = data::to_pixel(samples(i, c, y, x));
  }
  return grid;
}

/// make_grid, written as a PNG file.
template <class T>
void write_grid(const std::filesystem::path& path, ConstView<T> samples,
                const GridOptions& options = {}) {
  write_png(path, make_grid(samples, options));
}

}  // namespace gan::io
