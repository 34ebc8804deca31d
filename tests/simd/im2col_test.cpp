#include "gan/simd/col2im.hpp"
#include "gan/simd/im2col.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "gan/core/parallel.hpp"
#include "support/gradcheck.hpp"

using gan::Index;
using gan::simd::PatchGeometry;

namespace {

// The definition, one entry at a time.
double naive_patch_value(const PatchGeometry& g, const std::vector<double>& image, Index n, Index c,
                         Index ky, Index kx, Index oy, Index ox) {
  Index iy = oy * g.stride - g.padding + ky, ix = ox * g.stride - g.padding + kx;
  if (iy < 0 || iy >= g.height || ix < 0 || ix >= g.width) return 0;
  return image[((n * g.channels + c) * g.height + iy) * g.width + ix];
}

std::vector<double> naive_im2col(const PatchGeometry& g, Index batch,
                                 const std::vector<double>& image) {
  const Index ho = g.out_height(), wo = g.out_width(), cols = batch * ho * wo, k = g.kernel;
  std::vector<double> col(g.rows() * cols);
  for (Index n = 0; n < batch; ++n)
    for (Index c = 0; c < g.channels; ++c)
      for (Index ky = 0; ky < k; ++ky)
        for (Index kx = 0; kx < k; ++kx)
          for (Index oy = 0; oy < ho; ++oy)
            for (Index ox = 0; ox < wo; ++ox)
              col[((c * k + ky) * k + kx) * cols + (n * ho + oy) * wo + ox] =
                  naive_patch_value(g, image, n, c, ky, kx, oy, ox);
  return col;
}

std::vector<double> naive_col2im(const PatchGeometry& g, Index batch,
                                 const std::vector<double>& col) {
  const Index ho = g.out_height(), wo = g.out_width(), cols = batch * ho * wo, k = g.kernel;
  std::vector<double> image(batch * g.image_size(), 0.0);
  for (Index n = 0; n < batch; ++n)
    for (Index c = 0; c < g.channels; ++c)
      for (Index ky = 0; ky < k; ++ky)
        for (Index kx = 0; kx < k; ++kx)
          for (Index oy = 0; oy < ho; ++oy)
            for (Index ox = 0; ox < wo; ++ox) {
              Index iy = oy * g.stride - g.padding + ky, ix = ox * g.stride - g.padding + kx;
              if (iy < 0 || iy >= g.height || ix < 0 || ix >= g.width) continue;
              image[((n * g.channels + c) * g.height + iy) * g.width + ix] +=
                  col[((c * k + ky) * k + kx) * cols + (n * ho + oy) * wo + ox];
            }
  return image;
}

// The workspace im2col and col2im ask for.
template <class T>
std::vector<T> workspace(const PatchGeometry& g) {
  return std::vector<T>(gan::simd::im2col_workspace(g));
}

std::vector<double> random_values(Index count, gan::Rng& rng) {
  std::vector<double> v(count);
  for (auto& x : v) x = rng.uniform(-1, 1);
  return v;
}

// Odd sizes, kernels larger than the image, padding larger than the kernel, strides that
// leave rows uncovered: every geometry with at least one patch position.
std::vector<std::pair<PatchGeometry, Index>> geometries() {
  std::vector<std::pair<PatchGeometry, Index>> out;
  for (auto [h, w] : {std::pair<Index, Index>{5, 7}, {1, 1}, {4, 4}, {8, 3}})
    for (Index k : {1, 2, 3, 4, 5})
      for (Index s : {1, 2, 3})
        for (Index p : {0, 1, 2, 3})
          for (auto [c, n] : {std::pair<Index, Index>{1, 1}, {3, 2}}) {
            PatchGeometry g{c, h, w, k, s, p};
            if (g.positions() > 0) out.push_back({g, n});
          }
  return out;
}

}  // namespace

TEST_CASE("PatchGeometry counts patch positions as nn.Conv2d does") {
  CHECK(PatchGeometry{1, 28, 28, 4, 2, 1}.out_height() == 14);
  CHECK(PatchGeometry{64, 14, 14, 4, 2, 1}.out_width() == 7);
  PatchGeometry odd{3, 5, 7, 2, 2, 0};  // floors: 5 → 2, 7 → 3
  CHECK(odd.out_height() == 2);
  CHECK(odd.out_width() == 3);
  CHECK(odd.positions() == 6);
  CHECK(odd.rows() == 12);
  CHECK(odd.image_size() == 105);
  CHECK(PatchGeometry{1, 2, 2, 5, 1, 1}.positions() == 0);   // 2 + 2 < 5: does not fit
  CHECK(PatchGeometry{1, 3, 3, 5, 1, 1}.out_height() == 1);  // 3 + 2 = 5: fits once
  // One bordered plane per thread, none without padding.
  gan::core::ThreadScope two(2);
  CHECK(gan::simd::im2col_workspace(PatchGeometry{64, 14, 14, 4, 2, 1}) ==
        gan::num_threads() * 16 * 16);  // 2 with OpenMP, 1 without
  CHECK(gan::simd::im2col_workspace(odd) == 0);
}

TEST_CASE("im2col writes every entry as the definition says") {
  gan::Rng rng(3, gan::Stream::user);
  for (const auto& [geometry, batch] : geometries()) {
    const PatchGeometry& g = geometry;  // plain names: CAPTURE cannot capture a binding
    const Index n = batch;
    CAPTURE(g.channels);
    CAPTURE(g.height);
    CAPTURE(g.width);
    CAPTURE(g.kernel);
    CAPTURE(g.stride);
    CAPTURE(g.padding);
    std::vector<double> ws = workspace<double>(g);
    std::vector<double> image = random_values(n * g.image_size(), rng);
    std::vector<double> expected = naive_im2col(g, n, image);
    std::vector<double> col(expected.size(), std::numeric_limits<double>::quiet_NaN());
    gan::simd::im2col(g, n, image.data(), col.data(), ws.data());
    CHECK(col == expected);
  }
}

TEST_CASE("im2col of a block of channels gives those rows of the whole batch's patches") {
  gan::Rng rng(6, gan::Stream::user);
  const PatchGeometry g{5, 7, 6, 3, 2, 1};
  const Index n = 3, first = 1, count = 3, rows = count * g.kernel * g.kernel;
  std::vector<double> image = random_values(n * g.image_size(), rng);
  std::vector<double> all = naive_im2col(g, n, image);
  PatchGeometry part = g;
  part.channels = count;
  std::vector<double> ws = workspace<double>(part);
  std::vector<double> col(rows * n * g.positions(), std::numeric_limits<double>::quiet_NaN());
  gan::simd::im2col(part, n, image.data() + first * g.height * g.width, col.data(), ws.data(),
                    g.image_size());
  const auto begin = all.begin() + first * g.kernel * g.kernel * n * g.positions();
  CHECK(std::equal(col.begin(), col.end(), begin));
}

TEST_CASE("col2im overwrites the image with the sum of its patch entries") {
  gan::Rng rng(4, gan::Stream::user);
  for (const auto& [geometry, batch] : geometries()) {
    const PatchGeometry& g = geometry;  // plain names: CAPTURE cannot capture a binding
    const Index n = batch;
    CAPTURE(g.channels);
    CAPTURE(g.height);
    CAPTURE(g.width);
    CAPTURE(g.kernel);
    CAPTURE(g.stride);
    CAPTURE(g.padding);
    std::vector<double> ws = workspace<double>(g);
    std::vector<double> col = random_values(g.rows() * n * g.positions(), rng);
    std::vector<double> expected = naive_col2im(g, n, col);
    std::vector<double> image(expected.size(), std::numeric_limits<double>::quiet_NaN());
    gan::simd::col2im(g, n, col.data(), image.data());
    CHECK(gan::testing::relative_error(image, expected) < 1e-15);

    std::vector<double> bias = random_values(g.channels, rng);
    gan::simd::col2im(g, n, col.data(), image.data(), bias.data());
    for (Index i = 0; i < n * g.channels; ++i)
      for (Index j = 0; j < g.height * g.width; ++j)
        expected[i * g.height * g.width + j] += bias[i % g.channels];
    CHECK(gan::testing::relative_error(image, expected) < 1e-15);
  }
}

TEST_CASE("col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>") {
  gan::Rng rng(5, gan::Stream::user);
  for (auto [g, n] : geometries()) {
    std::vector<double> ws = workspace<double>(g);
    std::vector<double> x = random_values(n * g.image_size(), rng);
    std::vector<double> c = random_values(g.rows() * n * g.positions(), rng);
    std::vector<double> patches(c.size()), back(x.size());
    gan::simd::im2col(g, n, x.data(), patches.data(), ws.data());
    gan::simd::col2im(g, n, c.data(), back.data());
    double lhs = 0, rhs = 0, scale = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
      lhs += patches[i] * c[i];
      scale += std::abs(patches[i] * c[i]);
    }
    for (std::size_t i = 0; i < x.size(); ++i) rhs += x[i] * back[i];
    CHECK(std::abs(lhs - rhs) <= 1e-13 * (1 + scale));
  }
}

TEST_CASE("a large batch runs the parallel path and gives the same result") {
  // 64 samples of 64 channels: above the parallel threshold.
  PatchGeometry g{64, 14, 14, 4, 2, 1};
  const Index n = 64;
  gan::Rng rng(6, gan::Stream::user);
  std::vector<float> image(n * g.image_size());
  for (auto& v : image) v = static_cast<float>(rng.uniform(-1, 1));
  std::vector<float> col(g.rows() * n * g.positions()), ws = workspace<float>(g);
  gan::simd::im2col(g, n, image.data(), col.data(), ws.data());
  std::vector<float> col_single(col.size());
  {
    gan::core::ThreadScope one(1);
    gan::simd::im2col(g, n, image.data(), col_single.data(), ws.data());
  }
  CHECK(col == col_single);
  std::vector<float> back(image.size()), back_single(image.size());
  gan::simd::col2im(g, n, col.data(), back.data());
  {
    gan::core::ThreadScope one(1);
    gan::simd::col2im(g, n, col.data(), back_single.data());
  }
  CHECK(back == back_single);
  // And the parallel result is the definition.
  std::vector<double> image_d(image.begin(), image.end());
  std::vector<double> expected = naive_im2col(g, n, image_d);
  double worst = 0;
  for (std::size_t i = 0; i < col.size(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(col[i]) - expected[i]));
  CHECK(worst == 0);
}

TEST_CASE("batch_to_channels and channels_to_batch swap the two outer axes") {
  const Index n = 3, c = 4, l = 5;
  std::vector<double> src(n * c * l), cm(src.size()), back(src.size());
  for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<double>(i);
  gan::simd::batch_to_channels(src.data(), n, c, l, cm.data());
  for (Index i = 0; i < n; ++i)
    for (Index ch = 0; ch < c; ++ch)
      for (Index j = 0; j < l; ++j) CHECK(cm[(ch * n + i) * l + j] == src[(i * c + ch) * l + j]);
  gan::simd::channels_to_batch(cm.data(), n, c, l, back.data());
  CHECK(back == src);
  const double bias[] = {10, 20, 30, 40};
  gan::simd::channels_to_batch(cm.data(), n, c, l, back.data(), bias);
  for (Index i = 0; i < n; ++i)
    for (Index ch = 0; ch < c; ++ch)
      for (Index j = 0; j < l; ++j)
        CHECK(back[(i * c + ch) * l + j] == src[(i * c + ch) * l + j] + bias[ch]);
}
