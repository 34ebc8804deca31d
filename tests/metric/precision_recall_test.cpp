#include "gan/metric/precision_recall.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "gan/core/rng.hpp"

using gan::Index;
using gan::metric::KnnManifold;
using gan::metric::precision_recall;

namespace {

// n points of a mixture of Gaussian clusters N(10·e_c, 0.1² I) in f dimensions, the
// cluster of point i being clusters[i % size].
gan::Tensor<float> clusters(Index n, Index f, const std::vector<Index>& modes, std::uint64_t seed) {
  gan::Rng rng(seed, gan::Stream::user);
  gan::Tensor<float> x(gan::core::features(n, f));
  for (Index i = 0; i < n; ++i) {
    const Index c = modes[std::size_t(i) % modes.size()];
    for (Index k = 0; k < f; ++k) x(i, k) = float((k == c ? 10.0 : 0.0) + 0.1 * rng.normal());
  }
  return x;
}

}  // namespace

TEST_CASE("identical sets have precision and recall 1") {
  const auto x = clusters(600, 16, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 1);
  const auto pr = precision_recall(x, x);
  CHECK(pr.precision == 1.0);
  CHECK(pr.recall == 1.0);
}

TEST_CASE("disjoint, distant sets have precision and recall 0") {
  const auto real = clusters(500, 16, {0, 1, 2, 3, 4}, 2);
  const auto fake = clusters(400, 16, {5, 6, 7, 8, 9}, 3);
  const auto pr = precision_recall(real, fake);
  CHECK(pr.precision == 0.0);
  CHECK(pr.recall == 0.0);
}

TEST_CASE("a generator covering half the real modes: precision ≈ 1, recall ≈ 0.5") {
  // Ten clusters N(10·(cos 2πc/10, sin 2πc/10), 0.5² I) in 2D: a few thousand points fill a
  // low-dimensional distribution with their 3-NN balls, so a second sample of the same
  // mixture scores ≈ 0.97 / 0.97 here (in 16D the same sizes score only ≈ 0.8: the
  // estimator needs more points as the dimension grows).
  auto ring = [](Index n, const std::vector<Index>& modes, std::uint64_t seed) {
    gan::Rng rng(seed, gan::Stream::user);
    gan::Tensor<float> x(gan::core::features(n, 2));
    for (Index i = 0; i < n; ++i) {
      const double a = 2 * std::numbers::pi * double(modes[std::size_t(i) % modes.size()]) / 10;
      x(i, 0) = float(10 * std::cos(a) + 0.5 * rng.normal());
      x(i, 1) = float(10 * std::sin(a) + 0.5 * rng.normal());
    }
    return x;
  };
  const auto real = ring(2000, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 4);
  const auto same = precision_recall(real, ring(2000, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 5));
  CHECK(same.precision > 0.95);
  CHECK(same.recall > 0.95);
  const auto half = precision_recall(real, ring(2000, {0, 2, 4, 6, 8}, 6));
  CHECK(half.precision > 0.95);
  CHECK(half.recall > 0.45);
  CHECK(half.recall <= 0.5);  // the missing modes are 6 apart: no generated ball reaches them
}

TEST_CASE("balls are closed in both directions: points on a boundary count") {
  // 1D, k = 1. Radii of A = {0, 1, 3, 7, 15}: 1, 1, 2, 4, 8. Of B = {−1, 2, 5, 11, 30}: 3,
  // 3, 3, 6, 19. B's −1, 2, 5, 11 each lie exactly on the boundary of an A ball (distance
  // 1, 1, 2, 4); 30 lies outside. Integer distances are exact in double.
  const std::vector<double> a = {0, 1, 3, 7, 15}, b = {-1, 2, 5, 11, 30};
  const auto ab = precision_recall(a, b, 1);
  CHECK(ab.precision == 0.8);
  CHECK(ab.recall == 1.0);
  const auto ba = precision_recall(b, a, 1);  // roles swapped: recall now tests A's balls
  CHECK(ba.recall == 0.8);
  CHECK(ba.precision == 1.0);
}

TEST_CASE("precision and recall are the coverages of the two manifolds, for any thread count") {
  gan::Rng rng(6, gan::Stream::user);
  gan::Tensor<float> real(gan::core::features(700, 5)), fake(gan::core::features(300, 5));
  rng.fill_normal(real.span(), 0, 1);
  rng.fill_normal(fake.span(), 0.7, 1.3);
  const KnnManifold r(real, 3), g(fake, 3);
  gan::metric::PrecisionRecall one, two;
  {
    gan::core::ThreadScope scope(1);
    one = precision_recall(r, g);
  }
  {
    gan::core::ThreadScope scope(2);
    two = precision_recall(r, g);
  }
  CHECK(one.precision == r.coverage(fake));
  CHECK(one.recall == g.coverage(real));
  CHECK(one.precision == two.precision);
  CHECK(one.recall == two.recall);
  CHECK(one.precision > 0.2);  // neither 0 nor 1: the comparison above means something
  CHECK(one.precision < 0.95);
  CHECK(one.recall > 0.2);
  CHECK(one.recall < 0.95);
  CHECK_THROWS_AS(precision_recall(r, KnnManifold(fake, 4)), gan::Error);
}
