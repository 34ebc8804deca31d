#include "gan/metric/knn_manifold.hpp"

#include <doctest/doctest.h>

#include "gan/core/rng.hpp"

#include <algorithm>
#include <vector>

using gan::Index;
using gan::metric::KnnManifold;

namespace {

gan::Tensor<float> random_points(Index n, Index f, double stddev, std::uint64_t seed) {
  gan::Rng rng(seed, gan::Stream::user);
  gan::Tensor<float> x(gan::core::features(n, f));
  rng.fill_normal(x.span(), 0, stddev);
  return x;
}

// Distance from point i to its k-th nearest other point, by sorting all distances.
std::vector<double> brute_radii(const gan::metric::RowMatrix& x, Index k) {
  std::vector<double> r;
  for (Index i = 0; i < x.rows(); ++i) {
    std::vector<double> d;
    for (Index j = 0; j < x.rows(); ++j) {
      if (j != i) d.push_back((x.row(i) - x.row(j)).norm());
    }
    std::nth_element(d.begin(), d.begin() + (k - 1), d.end());
    r.push_back(d[std::size_t(k - 1)]);
  }
  return r;
}

}  // namespace

TEST_CASE("k-NN radii match brute force across block boundaries and thread counts") {
  // 2300 points: more than one row block (256) and one column block (2048).
  const auto x = random_points(2300, 3, 1.0, 1);
  const gan::metric::RowMatrix m = gan::metric::Samples(x).to_matrix();
  for (Index k : {1, 3, 5}) {
    const std::vector<double> expected = brute_radii(m, k);
    for (int threads : {1, 2}) {
      gan::core::ThreadScope scope(threads);
      const KnnManifold manifold(x, k);
      CHECK(manifold.k() == k);
      const Eigen::VectorXd r = manifold.radii();
      double worst = 0;
      for (Index i = 0; i < r.size(); ++i) {
        worst = std::max(worst, std::abs(r(i) - expected[std::size_t(i)]));
      }
      CHECK(worst < 1e-7);
    }
  }
}

TEST_CASE("a duplicate is a neighbour at distance 0; the point itself is not") {
  gan::Tensor<double> x(gan::core::features(5, 1));
  const double v[] = {0, 0, 1, 3, 7};
  std::copy(std::begin(v), std::end(v), x.data());
  const KnnManifold one(x, 1);
  CHECK(one.radii()(0) == doctest::Approx(0.0));
  CHECK(one.radii()(1) == doctest::Approx(0.0));
  CHECK(one.radii()(2) == doctest::Approx(1.0));
  CHECK(one.radii()(4) == doctest::Approx(4.0));
  const KnnManifold two(x, 2);
  CHECK(two.radii()(0) == doctest::Approx(1.0));
  CHECK(two.radii()(3) == doctest::Approx(3.0));
}

TEST_CASE("membership is the union of closed k-NN balls") {
  gan::Tensor<double> x(gan::core::features(4, 2), 0.0);
  x(1, 0) = 1;  // points (0,0) (1,0) (0,2) (10,10)
  x(2, 1) = 2;
  x(3, 0) = 10;
  x(3, 1) = 10;
  const KnnManifold m(x, 1);  // radii 1, 1, 2, ‖(10,8)‖
  gan::Tensor<double> q(gan::core::features(4, 2), 0.0);
  q(0, 0) = -1;  // (−1, 0): on the boundary of the ball of (0,0), outside the others
  q(1, 0) = 30;  // (30, 0): outside every ball
  q(2, 0) = 10;  // (10, 2): 8 from (10,10), inside its ball of radius √164 ≈ 12.8
  q(2, 1) = 2;
  q(3, 0) = -1.5;  // (−1.5, −1): 1.8, 2.7, 3.4 and 15.9 away: outside every ball
  q(3, 1) = -1;
  CHECK(m.contains(q) == std::vector<std::uint8_t>{1, 0, 1, 0});
  CHECK(m.coverage(q) == 0.5);
}

TEST_CASE("membership matches brute force for many queries") {
  const auto x = random_points(700, 6, 1.0, 2);
  const auto q = random_points(900, 6, 1.5, 3);
  const KnnManifold m(x, 3);
  const gan::metric::RowMatrix px = gan::metric::Samples(x).to_matrix();
  const gan::metric::RowMatrix pq = gan::metric::Samples(q).to_matrix();
  const auto inside = m.contains(q);
  int mismatches = 0, count = 0;
  for (Index i = 0; i < pq.rows(); ++i) {
    bool in = false;
    for (Index j = 0; j < px.rows() && !in; ++j) {
      in = (pq.row(i) - px.row(j)).squaredNorm() <= m.squared_radii()(j);
    }
    mismatches += in != bool(inside[std::size_t(i)]);
    count += in;
  }
  CHECK(mismatches == 0);
  CHECK(count > 100);  // the test is not vacuous: both outcomes occur
  CHECK(count < 800);
}

TEST_CASE("KnnManifold rejects too few points and bad k") {
  const auto x = random_points(3, 2, 1.0, 4);
  CHECK_THROWS_WITH_AS(KnnManifold(x, 3), "KnnManifold: 3-NN radii need at least 4 points, got 3",
                       gan::Error);
  CHECK_THROWS_AS(KnnManifold(x, 0), gan::Error);
  const KnnManifold m(x, 2);
  CHECK_THROWS_AS(m.contains(random_points(2, 3, 1.0, 5)), gan::Error);
}
