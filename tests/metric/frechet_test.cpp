#include "gan/metric/frechet.hpp"

#include <doctest/doctest.h>

#include "gan/core/rng.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <unsupported/Eigen/MatrixFunctions>

using gan::Index;
using gan::metric::frechet_distance;
using gan::metric::FrechetDistance;
using gan::metric::Gaussian;

namespace {

// n draws of N(mean, L Lᵀ).
gan::Tensor<double> draw(const Eigen::VectorXd& mean, const Eigen::MatrixXd& l, Index n,
                         std::uint64_t seed) {
  gan::Rng rng(seed, gan::Stream::user);
  const Index f = mean.size();
  gan::Tensor<double> x(gan::core::features(n, f));
  Eigen::VectorXd z(f);
  for (Index i = 0; i < n; ++i) {
    for (Index k = 0; k < f; ++k) z(k) = rng.normal();
    x.matrix().row(i) = (mean + l * z).transpose();
  }
  return x;
}

// A random symmetric positive definite matrix M Mᵀ + 0.1 I.
Eigen::MatrixXd random_spd(Index f, std::uint64_t seed) {
  gan::Rng rng(seed, gan::Stream::user);
  Eigen::MatrixXd m(f, f);
  for (Index k = 0; k < m.size(); ++k) m.data()[k] = rng.normal();
  return m * m.transpose() + 0.1 * Eigen::MatrixXd::Identity(f, f);
}

Gaussian gaussian(const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov, Index samples) {
  Gaussian g;
  g.mean = mean;
  g.covariance = cov;
  g.samples = samples;
  return g;
}

}  // namespace

TEST_CASE("Gaussian::fit gives the mean and the unbiased covariance") {
  gan::Tensor<float> x(gan::core::features(4, 2));
  const float v[] = {0, 0, 2, 0, 0, 2, 2, 4};
  std::copy(std::begin(v), std::end(v), x.data());
  const Gaussian g = Gaussian::fit(x);
  CHECK(g.samples == 4);
  CHECK(g.mean(0) == doctest::Approx(1.0));
  CHECK(g.mean(1) == doctest::Approx(1.5));
  // Σ (x − μ)(x − μ)ᵀ / 3: var 4/3 and 11/3, covariance (−1·−1.5 + 1·−1.5 − 1·0.5 + 1·2.5)/3.
  CHECK(g.covariance(0, 0) == doctest::Approx(4.0 / 3));
  CHECK(g.covariance(1, 1) == doctest::Approx(11.0 / 3));
  CHECK(g.covariance(0, 1) == doctest::Approx(2.0 / 3));
  CHECK(g.covariance(1, 0) == g.covariance(0, 1));
  CHECK_THROWS_AS(Gaussian::fit(x.view().rows(0, 1)), gan::Error);
}

TEST_CASE("the Fréchet distance of a set to itself is 0") {
  const Index f = 12;
  const auto x =
      draw(Eigen::VectorXd::LinSpaced(f, -1, 1), random_spd(f, 1).llt().matrixL(), 500, 2);
  const auto r = frechet_distance(x, x);
  CHECK(r.distance < 1e-9);
  CHECK_FALSE(r.rank_deficient);
  CHECK(r.warning.empty());
}

TEST_CASE("two diagonal Gaussians: FD = ‖Δμ‖² + Σ (σ1 − σ2)² within sampling error") {
  Eigen::VectorXd m1(4), m2(4), s1(4), s2(4);
  m1 << 0, 1, -2, 0.5;
  m2 << 0.5, 1, -1, 0.5;
  s1 << 1, 2, 0.5, 1;
  s2 << 1.5, 1, 0.5, 3;
  const auto a = draw(m1, s1.asDiagonal().toDenseMatrix(), 200000, 3);
  const auto b = draw(m2, s2.asDiagonal().toDenseMatrix(), 200000, 4);
  const double exact = (m1 - m2).squaredNorm() + (s1 - s2).squaredNorm();  // 1.25 + 5.25
  CHECK(frechet_distance(a, b).distance == doctest::Approx(exact).epsilon(0.01));
}

TEST_CASE("the Fréchet distance of given Gaussians matches a general matrix square root") {
  // Σ1 and Σ2 do not commute, so Tr(Σ1 Σ2)^{1/2} ≠ Tr Σ1^{1/2} Σ2^{1/2}: the oracle takes
  // the principal square root of the non-symmetric product Σ1 Σ2 (real Schur method).
  for (Index f : {1, 3, 8, 17}) {
    const Eigen::MatrixXd c1 = random_spd(f, 10 + f), c2 = random_spd(f, 20 + f);
    if (f > 1) CHECK((c1 * c2 - c2 * c1).norm() > 0.1 * (c1 * c2).norm());
    const Eigen::VectorXd m1 = Eigen::VectorXd::LinSpaced(f, 0, 1);
    const Eigen::VectorXd m2 = Eigen::VectorXd::Constant(f, 0.3);
    const Eigen::MatrixXd product = c1 * c2;
    const Eigen::MatrixXd root = product.sqrt();
    const double oracle = (m1 - m2).squaredNorm() + c1.trace() + c2.trace() - 2 * root.trace();
    const Gaussian g1 = gaussian(m1, c1, 1000), g2 = gaussian(m2, c2, 1000);
    const auto r = frechet_distance(g1, g2);
    CHECK(r.distance == doctest::Approx(oracle).epsilon(1e-9));
    CHECK(frechet_distance(g2, g1).distance == doctest::Approx(r.distance).epsilon(1e-10));
    CHECK(FrechetDistance(g1)(g2).distance == doctest::Approx(r.distance).epsilon(1e-12));
  }
}

TEST_CASE("the Fréchet distance is symmetric and the reference can be reused") {
  const Index f = 10;
  const auto a = draw(Eigen::VectorXd::Zero(f), random_spd(f, 5).llt().matrixL(), 400, 6);
  const auto b = draw(Eigen::VectorXd::Ones(f), random_spd(f, 7).llt().matrixL(), 300, 8);
  const double ab = frechet_distance(a, b).distance;
  CHECK(ab > 1);
  CHECK(frechet_distance(b, a).distance == doctest::Approx(ab).epsilon(1e-10));
  const FrechetDistance reference(a);
  CHECK(reference.reference().samples == 400);
  CHECK(reference(b).distance == doctest::Approx(ab).epsilon(1e-12));
  CHECK(reference(Gaussian::fit(b)).distance == doctest::Approx(ab).epsilon(1e-12));
}

TEST_CASE("fewer points than features: a warning, and still a finite distance") {
  const Index f = 16;
  const auto few = draw(Eigen::VectorXd::Zero(f), Eigen::MatrixXd::Identity(f, f), 10, 9);
  const auto many = draw(Eigen::VectorXd::Zero(f), Eigen::MatrixXd::Identity(f, f), 100, 10);
  const auto r = frechet_distance(many, few);
  CHECK(r.rank_deficient);
  CHECK(r.warning ==
        "Fréchet distance: the second set has 10 points for 16 features, so its covariance is "
        "singular (rank at most 9) and the distance is unreliable");
  CHECK(std::isfinite(r.distance));
  CHECK(frechet_distance(few, few).distance < 1e-9);  // singular Σ: clamped roots, still 0
  CHECK(frechet_distance(few, few).warning.find("first set has 10") != std::string::npos);
  const auto exact = draw(Eigen::VectorXd::Zero(f), Eigen::MatrixXd::Identity(f, f), f, 11);
  CHECK(FrechetDistance(many)(exact).rank_deficient);  // n = F: rank F − 1
  const auto enough = draw(Eigen::VectorXd::Zero(f), Eigen::MatrixXd::Identity(f, f), f + 1, 12);
  CHECK_FALSE(frechet_distance(many, enough).rank_deficient);
}

TEST_CASE("the Fréchet distance rejects sets of different dimensions") {
  gan::Tensor<float> a(gan::core::features(5, 3)), b(gan::core::features(5, 4));
  for (gan::Index k = 0; k < a.size(); ++k) a[k] = float(k % 7);
  for (gan::Index k = 0; k < b.size(); ++k) b[k] = float(k % 5);
  CHECK_THROWS_AS(frechet_distance(a, b), gan::Error);
}
