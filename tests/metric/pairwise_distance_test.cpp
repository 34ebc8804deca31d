#include "gan/metric/pairwise_distance.hpp"

#include <doctest/doctest.h>

#include "gan/core/rng.hpp"

#include <vector>

using gan::Index;
using gan::metric::PointSet;

namespace {
gan::Tensor<float> random_points(Index n, Index f, std::uint64_t seed) {
  gan::Rng rng(seed, gan::Stream::user);
  gan::Tensor<float> x(gan::core::features(n, f));
  rng.fill_normal(x.span(), 0, 2);
  return x;
}
}  // namespace

TEST_CASE("distance blocks cover every pair once with the squared distance") {
  // 300 rows and 2100 columns cross both block sizes (256 and 2048).
  const auto a = random_points(300, 5, 1), b = random_points(2100, 5, 2);
  const PointSet pa(a), pb(b);
  for (int threads : {1, 2}) {
    gan::core::ThreadScope scope(threads);
    std::vector<int> seen(300 * 2100, 0);
    std::vector<double> value(300 * 2100, -1);
    std::vector<int> bad_thread(threads, 0);
    gan::metric::for_each_distance_block(pa, pb, [&](Index row0, Index col0, const auto& d, int t) {
      if (t < 0 || t >= threads) bad_thread[0] = 1;
      CHECK(d.rows() <= gan::metric::distance_block_rows);
      for (Index i = 0; i < d.rows(); ++i) {
        for (Index j = 0; j < d.cols(); ++j) {
          const auto k = static_cast<std::size_t>((row0 + i) * 2100 + col0 + j);
          seen[k] += 1;
          value[k] = d(i, j);
        }
      }
    });
    CHECK(bad_thread[0] == 0);
    double worst = 0;
    int wrong_count = 0;
    for (Index i = 0; i < 300; ++i) {
      for (Index j = 0; j < 2100; ++j) {
        const auto k = static_cast<std::size_t>(i * 2100 + j);
        wrong_count += seen[k] != 1;
        const double exact = (pa.points.row(i) - pb.points.row(j)).squaredNorm();
        worst = std::max(worst, std::abs(value[k] - exact) / (1 + exact));
      }
    }
    CHECK(wrong_count == 0);
    CHECK(worst < 1e-12);
  }
}

TEST_CASE("distance of a point to itself is clamped at 0, never below") {
  const auto a = random_points(40, 7, 3);
  const PointSet pa(a);
  double lowest = 1;
  gan::metric::for_each_distance_block(pa, pa, [&](Index row0, Index col0, const auto& d, int) {
    for (Index i = 0; i < d.rows(); ++i) {
      for (Index j = 0; j < d.cols(); ++j) {
        lowest = std::min(lowest, d(i, j));
        if (row0 + i == col0 + j) CHECK(d(i, j) < 1e-12);
      }
    }
  });
  CHECK(lowest >= 0);
}

TEST_CASE("distance blocks reject sets of different dimensions") {
  const PointSet a(random_points(3, 4, 4)), b(random_points(3, 5, 5));
  CHECK_THROWS_WITH_AS(
      gan::metric::for_each_distance_block(a, b, [](Index, Index, const auto&, int) {}),
      "pairwise distances: the sets have 4 and 5 features", gan::Error);
}
