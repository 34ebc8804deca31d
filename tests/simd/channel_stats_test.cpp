#include "gan/simd/channel_stats.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"

using gan::Index;
using gan::Shape;
using gan::Tensor;

namespace {

Tensor<double> random_batch(Shape s, std::uint64_t seed, double offset = 0) {
  gan::Rng rng(seed, gan::Stream::user);
  Tensor<double> t(s);
  for (Index k = 0; k < t.size(); ++k) t[k] = offset + rng.normal();
  return t;
}

/// Two-pass mean and biased variance of channel c, the oracle.
void naive_moments(const Tensor<double>& x, Index c, double& mean, double& var) {
  const Shape s = x.shape();
  double sum = 0, count = static_cast<double>(s.n * s.plane());
  for (Index i = 0; i < s.n; ++i)
    for (Index y = 0; y < s.h; ++y)
      for (Index w = 0; w < s.w; ++w) sum += x(i, c, y, w);
  mean = sum / count;
  double sq = 0;
  for (Index i = 0; i < s.n; ++i)
    for (Index y = 0; y < s.h; ++y)
      for (Index w = 0; w < s.w; ++w) sq += (x(i, c, y, w) - mean) * (x(i, c, y, w) - mean);
  var = sq / count;
}

}  // namespace

TEST_CASE("channel_moments matches a two-pass computation") {
  // dense (across the rows; 67 channels cross a 64-channel block), images with odd planes,
  // a plane shorter than the lane count, batch 1
  for (Shape s :
       {gan::core::features(5, 67), gan::core::features(2, 3), gan::core::images(3, 4, 5, 7),
        gan::core::images(1, 2, 3, 1), gan::core::images(2, 3, 9, 9)}) {
    Tensor<double> x = random_batch(s, 1, 3.0);
    std::vector<double> mean(s.c), var(s.c);
    gan::simd::channel_moments(x.data(), s, mean.data(), var.data());
    CAPTURE(s);
    for (Index c = 0; c < s.c; ++c) {
      double m, v;
      naive_moments(x, c, m, v);
      CHECK(mean[c] == doctest::Approx(m).epsilon(1e-13));
      CHECK(var[c] == doctest::Approx(v).epsilon(1e-12));
    }
  }
}

TEST_CASE("channel_moments keeps float precision when the mean is large") {
  // 64×28×28 values a channel (50 176), mean 1e5, standard deviation 0.1: the same sums
  // without the shift get the variance wrong in the third digit, even in double
  const Shape s = gan::core::images(64, 2, 28, 28);
  Tensor<double> xd = random_batch(s, 2);
  Tensor<float> x(s);
  for (Index k = 0; k < x.size(); ++k) x[k] = static_cast<float>(1e5 + 0.1 * xd[k]);
  Tensor<double> exact(s);
  for (Index k = 0; k < x.size(); ++k) exact[k] = x[k];  // the float values, in double
  float mean[2], var[2];
  gan::simd::channel_moments(x.data(), s, mean, var);
  for (Index c = 0; c < 2; ++c) {
    double m, v;
    naive_moments(exact, c, m, v);
    CHECK(mean[c] == doctest::Approx(m).epsilon(1e-7));
    CHECK(var[c] == doctest::Approx(v).epsilon(1e-6));
  }
}

TEST_CASE("channel_dot_sums matches plain sums") {
  for (Shape s : {gan::core::features(7, 66), gan::core::images(2, 3, 5, 3)}) {
    Tensor<double> x = random_batch(s, 3), dy = random_batch(s, 4);
    std::vector<double> shift(s.c), sum_dy(s.c), sum_dy_x(s.c);
    for (Index c = 0; c < s.c; ++c) shift[c] = 0.1 * static_cast<double>(c);
    gan::simd::channel_dot_sums(dy.data(), x.data(), s, shift.data(), sum_dy.data(),
                                sum_dy_x.data());
    CAPTURE(s);
    for (Index c = 0; c < s.c; ++c) {
      double a = 0, b = 0;
      for (Index i = 0; i < s.n; ++i)
        for (Index y = 0; y < s.h; ++y)
          for (Index w = 0; w < s.w; ++w) {
            a += dy(i, c, y, w);
            b += dy(i, c, y, w) * (x(i, c, y, w) - shift[c]);
          }
      CHECK(sum_dy[c] == doctest::Approx(a).epsilon(1e-12));
      CHECK(sum_dy_x[c] == doctest::Approx(b).epsilon(1e-12));
    }
  }
}

TEST_CASE("channel_moments_dot_sums gives the moments and the centred dot sums in one pass") {
  for (Shape s :
       {gan::core::features(7, 66), gan::core::images(2, 3, 5, 3), gan::core::images(1, 2, 1, 3)}) {
    Tensor<double> x = random_batch(s, 9, 5.0), dy = random_batch(s, 10);
    std::vector<double> mean(s.c), var(s.c), sum_dy(s.c), sum_dy_x(s.c);
    gan::simd::channel_moments_dot_sums(dy.data(), x.data(), s, mean.data(), var.data(),
                                        sum_dy.data(), sum_dy_x.data());
    CAPTURE(s);
    for (Index c = 0; c < s.c; ++c) {
      double m, v, a = 0, b = 0;
      naive_moments(x, c, m, v);
      for (Index i = 0; i < s.n; ++i)
        for (Index y = 0; y < s.h; ++y)
          for (Index w = 0; w < s.w; ++w) {
            a += dy(i, c, y, w);
            b += dy(i, c, y, w) * (x(i, c, y, w) - m);
          }
      CHECK(mean[c] == doctest::Approx(m).epsilon(1e-13));
      CHECK(var[c] == doctest::Approx(v).epsilon(1e-12));
      CHECK(sum_dy[c] == doctest::Approx(a).epsilon(1e-12));
      CHECK(sum_dy_x[c] == doctest::Approx(b).epsilon(1e-11));
    }
  }
}

TEST_CASE("channel_normalize and channel_combine apply per-channel coefficients") {
  for (Shape s : {gan::core::features(3, 5), gan::core::images(2, 3, 3, 5)}) {
    Tensor<double> u = random_batch(s, 5), v = random_batch(s, 6);
    std::vector<double> a(s.c), p(s.c), shift(s.c), d(s.c);
    for (Index c = 0; c < s.c; ++c) {
      a[c] = 1.5 + static_cast<double>(c);
      p[c] = -0.5 * static_cast<double>(c);
      shift[c] = 0.25 * static_cast<double>(c);
      d[c] = 2.0 - static_cast<double>(c);
    }
    Tensor<double> norm(s), comb(s);
    gan::simd::channel_normalize(u.data(), s, shift.data(), a.data(), d.data(), norm.data());
    gan::simd::channel_combine(u.data(), v.data(), s, a.data(), p.data(), shift.data(), d.data(),
                               comb.data());
    CAPTURE(s);
    for (Index i = 0; i < s.n; ++i)
      for (Index c = 0; c < s.c; ++c)
        for (Index y = 0; y < s.h; ++y)
          for (Index w = 0; w < s.w; ++w) {
            CHECK(norm(i, c, y, w) == doctest::Approx(a[c] * (u(i, c, y, w) - shift[c]) + d[c]));
            CHECK(comb(i, c, y, w) ==
                  doctest::Approx(a[c] * u(i, c, y, w) + p[c] * (v(i, c, y, w) - shift[c]) + d[c]));
          }
  }
}

TEST_CASE("channel_normalize on floats: SIMD bodies and tails, a fused map, in place") {
  // Planes and rows of 35 and 37 values: whole registers and a partial one at 4, 8 or 16
  // lanes. The fused leaky map takes both signs.
  for (Shape s : {gan::core::features(3, 37), gan::core::images(2, 3, 5, 7)}) {
    Tensor<double> ud = random_batch(s, 9);
    Tensor<float> u(s), out(s);
    for (Index k = 0; k < u.size(); ++k) u[k] = static_cast<float>(ud[k]);
    std::vector<float> a(s.c), shift(s.c), d(s.c);
    for (Index c = 0; c < s.c; ++c) {
      a[c] = 0.5f + static_cast<float>(c);
      shift[c] = 0.25f * static_cast<float>(c);
      d[c] = -0.5f + 0.5f * static_cast<float>(c);
    }
    const gan::simd::detail::LeakyMap<float> leaky{0.2f};
    gan::simd::channel_normalize(u.data(), s, shift.data(), a.data(), d.data(), out.data(), leaky);
    Tensor<float> in_place = u;
    gan::simd::channel_normalize(in_place.data(), s, shift.data(), a.data(), d.data(),
                                 in_place.data(), leaky);
    CAPTURE(s);
    for (Index i = 0; i < s.n; ++i)
      for (Index c = 0; c < s.c; ++c)
        for (Index y = 0; y < s.h; ++y)
          for (Index w = 0; w < s.w; ++w) {
            const double z = a[c] * (double(u(i, c, y, w)) - shift[c]) + d[c];
            const double want = z > 0 ? z : 0.2 * z;
            CHECK(out(i, c, y, w) == doctest::Approx(want).epsilon(1e-6));
            CHECK(in_place(i, c, y, w) == out(i, c, y, w));
          }
  }
}

TEST_CASE("channel statistics do not depend on the thread count") {
  // Both layouts, above the size where the kernels split channels between threads.
  for (Shape s : {gan::core::features(256, 300), gan::core::images(16, 8, 17, 17)}) {
    REQUIRE(s.size() >= gan::simd::detail::channel_parallel_threshold);
    Tensor<float> x(s), dy(s);
    Tensor<double> xd = random_batch(s, 7, 2.0), gd = random_batch(s, 8);
    for (Index k = 0; k < x.size(); ++k)
      x[k] = static_cast<float>(xd[k]), dy[k] = static_cast<float>(gd[k]);
    // per thread count: mean, var, Σdy, Σdy(x − μ), and the same four from the fused pass
    std::vector<std::vector<float>> out[2];
    for (int threads : {1, 2}) {
      gan::core::ThreadScope scope(threads);
      auto& o = out[threads - 1];
      o.assign(8, std::vector<float>(s.c));
      gan::simd::channel_moments(x.data(), s, o[0].data(), o[1].data());
      gan::simd::channel_dot_sums(dy.data(), x.data(), s, o[0].data(), o[2].data(), o[3].data());
      gan::simd::channel_moments_dot_sums(dy.data(), x.data(), s, o[4].data(), o[5].data(),
                                          o[6].data(), o[7].data());
    }
    CAPTURE(s);
    for (int k = 0; k < 8; ++k) CHECK(out[0][k] == out[1][k]);
  }
}
