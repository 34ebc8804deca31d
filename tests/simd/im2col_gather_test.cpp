// im2col and col2im on float, whose strided patches and whose pixels' entries go through the
// gathers of simd/im2col.hpp and simd/col2im.hpp (a hardware gather per register on AVX2
// and AVX-512, a scalar loop on plain x86-64), or, for im2col on AVX-512 where a plane row's
// patches lie in its first 32 values, through the permutes of detail::patch_rows_by_permute,
// or, for col2im with stride 2 on AVX2 and AVX-512, through the masked loads of
// detail::add_rows_stride2; checked value for value against the definition on odd
// geometries: patch and pixel counts below, at and above a register of lanes (images up to
// 33 wide, two registers of AVX-512 phases; patch rows that read 31, 32 and more than 32
// values of a plane row), strides 1 to 3, with and without padding.
#include "gan/simd/col2im.hpp"
#include "gan/simd/im2col.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <utility>
#include <vector>

#include "gan/core/rng.hpp"

using gan::Index;
using gan::simd::PatchGeometry;

namespace {

float at(const std::vector<float>& image, const PatchGeometry& g, Index n, Index c, Index y,
         Index x) {
  if (y < 0 || y >= g.height || x < 0 || x >= g.width) return 0;
  return image[((n * g.channels + c) * g.height + y) * g.width + x];
}

/// f(g) for each geometry of `channels` channels with the sizes below, these kernels and
/// strides, and paddings 0 to 2, that has at least one patch position; doctest's messages
/// name the geometry.
template <class F>
void for_each_geometry(Index channels, std::initializer_list<Index> kernels,
                       std::initializer_list<Index> strides, F f) {
  for (auto [h, w] : {std::pair<Index, Index>{5, 7}, {9, 9}, {14, 14}, {28, 28}, {33, 17}, {17, 33}})
    for (Index k : kernels)
      for (Index s : strides)
        for (Index p : {0, 1, 2}) {
          const PatchGeometry g{channels, h, w, k, s, p};
          if (g.positions() == 0) continue;
          CAPTURE(h);
          CAPTURE(w);
          CAPTURE(k);
          CAPTURE(s);
          CAPTURE(p);
          f(g);
        }
}

}  // namespace

TEST_CASE("float patches with stride above 1 are gathered exactly") {
  gan::Rng rng(9, gan::Stream::user);
  for_each_geometry(2, {1, 3, 4}, {2, 3}, [&](const PatchGeometry& g) {
    const Index h = g.height, w = g.width, k = g.kernel, s = g.stride, p = g.padding;
    const Index n = 3, l = g.positions(), cols = n * l;
    std::vector<float> image(n * g.image_size());
    for (auto& v : image) v = static_cast<float>(rng.uniform(-1, 1));
    std::vector<float> col(g.rows() * cols, -7.0f);
    std::vector<float> ws(gan::simd::im2col_workspace(g));
    gan::simd::im2col(g, n, image.data(), col.data(), ws.data());
    Index wrong = 0;
    for (Index c = 0; c < g.channels; ++c)
      for (Index ky = 0; ky < k; ++ky)
        for (Index kx = 0; kx < k; ++kx)
          for (Index i = 0; i < n; ++i)
            for (Index oy = 0; oy < g.out_height(); ++oy)
              for (Index ox = 0; ox < g.out_width(); ++ox) {
                const float want = at(image, g, i, c, oy * s - p + ky, ox * s - p + kx);
                const Index row = (c * k + ky) * k + kx;
                if (col[row * cols + i * l + oy * g.out_width() + ox] != want) ++wrong;
              }
    CHECK(wrong == 0);
    // col2im of the patches of a ones image counts how many patches cover each pixel.
    std::vector<float> ones(image.size(), 1.0f), back(image.size(), -7.0f);
    gan::simd::im2col(g, n, ones.data(), col.data(), ws.data());
    gan::simd::col2im(g, n, col.data(), back.data());
    Index miscounted = 0;
    for (Index i = 0; i < n; ++i)
      for (Index c = 0; c < g.channels; ++c)
        for (Index y = 0; y < h; ++y)
          for (Index x = 0; x < w; ++x) {
            Index covers = 0;
            for (Index ky = 0; ky < k; ++ky)
              for (Index kx = 0; kx < k; ++kx) {
                const Index ty = y + p - ky, tx = x + p - kx;
                if (ty >= 0 && tx >= 0 && ty % s == 0 && tx % s == 0 && ty / s < g.out_height() &&
                    tx / s < g.out_width())
                  ++covers;
              }
            if (back[((i * g.channels + c) * h + y) * w + x] != float(covers)) ++miscounted;
          }
    CHECK(miscounted == 0);
  });
}

TEST_CASE("float col2im adds each pixel's entries in the scatter's order, bit for bit") {
  // The scatter over the taps in increasing (ky, kx), from 0, then the bias: the sums of
  // the definition's loop, which col2im's per-pixel gather must reproduce exactly.
  gan::Rng rng(10, gan::Stream::user);
  for_each_geometry(3, {1, 2, 3, 4, 5}, {1, 2, 3}, [&](const PatchGeometry& g) {
    const Index h = g.height, w = g.width, k = g.kernel, s = g.stride, p = g.padding;
    const Index n = 2, l = g.positions(), cols = n * l, wo = g.out_width();
    std::vector<float> col(g.rows() * cols), bias(g.channels);
    for (auto& v : col) v = static_cast<float>(rng.uniform(-1, 1));
    for (auto& v : bias) v = static_cast<float>(rng.uniform(-1, 1));
    std::vector<float> want(n * g.image_size(), 0.0f);
    for (Index i = 0; i < n; ++i)
      for (Index c = 0; c < g.channels; ++c) {
        float* plane = want.data() + (i * g.channels + c) * h * w;
        for (Index ky = 0; ky < k; ++ky)
          for (Index kx = 0; kx < k; ++kx)
            for (Index oy = 0; oy < g.out_height(); ++oy)
              for (Index ox = 0; ox < wo; ++ox) {
                const Index y = oy * s - p + ky, x = ox * s - p + kx;
                if (y < 0 || y >= h || x < 0 || x >= w) continue;
                plane[y * w + x] += col[((c * k + ky) * k + kx) * cols + i * l + oy * wo + ox];
              }
        for (Index j = 0; j < h * w; ++j) plane[j] += bias[c];
      }
    std::vector<float> got(want.size(), -7.0f);
    gan::simd::col2im(g, n, col.data(), got.data(), bias.data());
    CHECK(got == want);
  });
}
