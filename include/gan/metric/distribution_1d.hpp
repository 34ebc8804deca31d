// Distances between 1D distributions, each given as a sample or as an analytic normal:
// Wasserstein-1 (exact) and the Kullback–Leibler divergence of histograms on a common grid.
// Used for the 1D toy of Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014,
// Figure 1 (data N(4, 0.5²)).
#pragma once

// Samples first: it brings Eigen through gan/core/eigen.hpp (GCC 12 workaround, see there).
#include "gan/metric/samples.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"

namespace gan::metric {

/// The normal distribution N(mean, stddev²): an analytic reference for a 1D sample.
struct Normal {
  double mean = 0;
  double stddev = 1;
};

/// How kl_divergence bins its two distributions on one grid. A divergence between
/// histograms depends on this estimator (bins, range, smoothing): figures are comparable
/// only when taken with the same options.
struct HistogramOptions {
  /// Equal-width bins between the grid's ends.
  Index bins = 100;
  /// Pseudocount added to every bin of a sample's counts before normalising,
  /// p_j = (c_j + α) / (n + α·bins). 0.5 is the Krichevsky–Trofimov (Jeffreys-prior)
  /// estimator; it keeps KL finite where the generated histogram has an empty bin. The
  /// bins of an analytic Normal are exact and get none. 0 gives the raw histogram (KL may
  /// then be +∞).
  double pseudocount = 0.5;
  /// The grid [lo, hi]; values outside it count in the first or last bin (an analytic
  /// Normal's tails likewise). Unset: from the smallest to the largest value of both
  /// samples (for a Normal, of μ ± 5σ and the sample).
  std::optional<std::array<double, 2>> range;
};

namespace detail {

inline double standard_normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}
/// 1 − Φ(z), without the cancellation of 1 − Φ for large z.
inline double standard_normal_sf(double z) {
  return 0.5 * std::erfc(z / std::numbers::sqrt2);
}
inline double standard_normal_pdf(double z) {
  return std::exp(-0.5 * z * z) * (0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2);
}
/// ∫_{−∞}^{z} Φ(t) dt = z Φ(z) + φ(z).
inline double cdf_integral(double z) {
  return z * standard_normal_cdf(z) + standard_normal_pdf(z);
}
/// ∫_{z}^{∞} (1 − Φ(t)) dt = φ(z) − z (1 − Φ(z)).
inline double sf_integral(double z) {
  return standard_normal_pdf(z) - z * standard_normal_sf(z);
}

/// ∫_a^b (F(x) − c) dx for F the CDF of `d`, a ≤ b, 0 ≤ c ≤ 1. For c > ½ it integrates the
/// tail 1 − F instead, whose values stay accurate where F is near 1.
inline double cdf_minus_constant(const Normal& d, double a, double b, double c) {
  const double za = (a - d.mean) / d.stddev, zb = (b - d.mean) / d.stddev;
  if (c <= 0.5) return d.stddev * (cdf_integral(zb) - cdf_integral(za)) - c * (b - a);
  return (1 - c) * (b - a) - d.stddev * (sf_integral(za) - sf_integral(zb));
}

/// ∫_a^b |c − F(x)| dx: F crosses c at most once on [a, b] (it is increasing), at a point
/// found by bisection. An error δ there changes the integral by only O(φ·δ²).
inline double abs_cdf_gap(const Normal& d, double a, double b, double c) {
  auto cdf = [&](double x) { return standard_normal_cdf((x - d.mean) / d.stddev); };
  if (!(b > a)) return 0;
  if (cdf(a) >= c) return cdf_minus_constant(d, a, b, c);
  if (cdf(b) <= c) return -cdf_minus_constant(d, a, b, c);
  double lo = a, hi = b;
  for (int it = 0; it < 200 && hi - lo > 0; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (cdf(mid) < c ? lo : hi) = mid;
  }
  return -cdf_minus_constant(d, a, lo, c) + cdf_minus_constant(d, lo, b, c);
}

/// Probability of (a, b] under d, from whichever tail keeps it accurate.
inline double normal_mass(const Normal& d, double a, double b) {
  const double za = (a - d.mean) / d.stddev, zb = (b - d.mean) / d.stddev;
  if (za > 0) return standard_normal_sf(za) - standard_normal_sf(zb);
  return standard_normal_cdf(zb) - standard_normal_cdf(za);
}

inline void check_normal(const Normal& d) {
  GAN_CHECK(std::isfinite(d.mean) && d.stddev > 0 && std::isfinite(d.stddev),
            "Normal: needs a finite mean and a positive stddev, got N(", d.mean, ", ", d.stddev,
            "^2)");
}

/// The equal-width grid of HistogramOptions over [lo, hi].
struct Grid {
  double lo;
  double hi;
  Index bins;
  double width() const { return (hi - lo) / static_cast<double>(bins); }
  /// Bin of value x; outside values go to the end bins.
  Index bin(double x) const {
    const double t = std::floor((x - lo) / width());
    if (t < 0) return 0;
    if (t >= static_cast<double>(bins)) return bins - 1;
    return static_cast<Index>(t);
  }
  /// The edge between bins j − 1 and j (edge 0 is lo, edge `bins` is hi).
  double edge(Index j) const { return lo + width() * static_cast<double>(j); }
};

/// The grid of `o` over values spanning [lo, hi] (the range option wins when set).
inline Grid make_grid(const HistogramOptions& o, double lo, double hi) {
  GAN_CHECK(o.bins >= 1, "kl_divergence: needs at least one bin, got ", o.bins);
  GAN_CHECK(o.pseudocount >= 0 && std::isfinite(o.pseudocount),
            "kl_divergence: the pseudocount must be finite and non-negative, got ", o.pseudocount);
  if (o.range) {
    lo = (*o.range)[0];
    hi = (*o.range)[1];
    GAN_CHECK(std::isfinite(lo) && std::isfinite(hi) && lo < hi,
              "kl_divergence: the range must be finite with lo < hi, got [", lo, ", ", hi, "]");
  } else if (!(hi > lo)) {
    lo -= 0.5;  // every value equal: any width holds them; one unit keeps the grid finite
    hi += 0.5;
  }
  return {lo, hi, o.bins};
}

/// Normalised histogram of a sample with the pseudocount added to every bin.
inline std::vector<double> sample_histogram(const std::vector<double>& x, const Grid& g,
                                            double pseudocount) {
  std::vector<double> p(static_cast<std::size_t>(g.bins), pseudocount);
  for (double v : x) p[static_cast<std::size_t>(g.bin(v))] += 1;
  const double total = static_cast<double>(x.size()) + pseudocount * static_cast<double>(g.bins);
  for (double& v : p) v /= total;
  return p;
}

/// Σ_j p_j ln(p_j / q_j) over the bins with p_j > 0.
inline double histogram_kl(const std::vector<double>& p, const std::vector<double>& q) {
  double kl = 0;
  for (std::size_t j = 0; j < p.size(); ++j) {
    if (p[j] > 0) kl += p[j] * std::log(p[j] / q[j]);
  }
  return kl;
}

/// The values of a non-empty 1D sample.
inline std::vector<double> sample_values(Samples s, const char* what) {
  std::vector<double> v = s.to_values();
  GAN_CHECK(!v.empty(), what, ": the sample is empty");
  return v;
}

}  // namespace detail

/// KL(data ‖ generated) = Σ_j p_j ln(p_j / q_j) in nats, with p and q the histograms of the
/// two 1D samples on one grid (see HistogramOptions for bins, range and smoothing).
/// Throws gan::Error for an empty sample, more than one feature, a non-finite value or bad
/// options.
inline double kl_divergence(Samples data, Samples generated, const HistogramOptions& o = {}) {
  const std::vector<double> x = detail::sample_values(data, "kl_divergence(data)");
  const std::vector<double> y = detail::sample_values(generated, "kl_divergence(generated)");
  const auto [x_lo, x_hi] = std::minmax_element(x.begin(), x.end());
  const auto [y_lo, y_hi] = std::minmax_element(y.begin(), y.end());
  const detail::Grid g = detail::make_grid(o, std::min(*x_lo, *y_lo), std::max(*x_hi, *y_hi));
  return detail::histogram_kl(detail::sample_histogram(x, g, o.pseudocount),
                              detail::sample_histogram(y, g, o.pseudocount));
}

/// KL(data ‖ generated) in nats for analytic data: p_j is the exact probability of bin j
/// under `data` (the end bins hold its tails), q the smoothed histogram of the sample.
inline double kl_divergence(const Normal& data, Samples generated, const HistogramOptions& o = {}) {
  detail::check_normal(data);
  const std::vector<double> y = detail::sample_values(generated, "kl_divergence(generated)");
  const auto [y_lo, y_hi] = std::minmax_element(y.begin(), y.end());
  const detail::Grid g = detail::make_grid(o, std::min(data.mean - 5 * data.stddev, *y_lo),
                                           std::max(data.mean + 5 * data.stddev, *y_hi));
  std::vector<double> p(static_cast<std::size_t>(g.bins));
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (Index j = 0; j < g.bins; ++j) {
    p[static_cast<std::size_t>(j)] =
        detail::normal_mass(data, j == 0 ? -inf : g.edge(j), j == g.bins - 1 ? inf : g.edge(j + 1));
  }
  return detail::histogram_kl(p, detail::sample_histogram(y, g, o.pseudocount));
}

/// Wasserstein-1 distance between two 1D samples (Vallender 1974): the area between their
/// quantile functions, W1 = ∫_0^1 |F_a⁻¹(u) − F_b⁻¹(u)| du, exact for empirical
/// distributions. For equal sizes it is the mean of |sorted a − sorted b|. Throws
/// gan::Error for an empty sample, more than one feature or a non-finite value.
inline double wasserstein1(Samples a, Samples b) {
  std::vector<double> x = detail::sample_values(a, "wasserstein1(a)");
  std::vector<double> y = detail::sample_values(b, "wasserstein1(b)");
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  // u in units of 1 / (n·m): x's quantile steps at multiples of m, y's at multiples of n,
  // so the walk compares integers and never misorders two breakpoints.
  const auto n = static_cast<std::int64_t>(x.size()), m = static_cast<std::int64_t>(y.size());
  std::int64_t u = 0;
  double sum = 0;
  for (std::int64_t i = 0, j = 0; i < n && j < m;) {
    const std::int64_t next = std::min((i + 1) * m, (j + 1) * n);
    sum += static_cast<double>(next - u) * std::abs(x[std::size_t(i)] - y[std::size_t(j)]);
    u = next;
    if (next == (i + 1) * m) ++i;
    if (next == (j + 1) * n) ++j;
  }
  return sum / (static_cast<double>(n) * static_cast<double>(m));
}

/// Wasserstein-1 distance between a 1D sample and N(μ, σ²), exact up to rounding:
/// W1 = ∫ |F_n(x) − Φ((x − μ)/σ)| dx with F_n the sample's step CDF, integrated in closed
/// form between consecutive sample values.
inline double wasserstein1(const Normal& d, Samples b) {
  detail::check_normal(d);
  std::vector<double> x = detail::sample_values(b, "wasserstein1(b)");
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double sum = d.stddev * detail::cdf_integral((x.front() - d.mean) / d.stddev);  // F_n = 0
  for (std::size_t i = 1; i < x.size(); ++i) {
    sum += detail::abs_cdf_gap(d, x[i - 1], x[i], static_cast<double>(i) / n);
  }
  return sum + d.stddev * detail::sf_integral((x.back() - d.mean) / d.stddev);  // F_n = 1
}

/// The same distance with the arguments the other way round (W1 is symmetric).
inline double wasserstein1(Samples a, const Normal& d) {
  return wasserstein1(d, a);
}

}  // namespace gan::metric
