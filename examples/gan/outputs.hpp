// The pictures and numbers a run leaves behind for each kind of data: samples.png, the
// figures and metrics.json.
#pragma once

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "data_spec.hpp"
#include "gan/data/csv.hpp"
#include "gan/io/figures.hpp"
#include "gan/io/grid.hpp"
#include "gan/loss/logistic.hpp"
#include "gan/loss/minimax.hpp"
#include "gan/loss/non_saturating.hpp"
#include "gan/metric/distribution_1d.hpp"
#include "gan/metric/mode_coverage.hpp"
#include "gan/net/tape.hpp"
#include "image_metrics.hpp"

namespace gan::program {

/// metrics.json: a flat object of numbers (and null for a figure that is not finite).
inline void write_metrics(const std::filesystem::path& path,
                          const std::map<std::string, double>& m) {
  std::string text = "{";
  bool first = true;
  for (const auto& [key, value] : m) {
    char buf[64];
    if (std::isfinite(value))
      std::snprintf(buf, sizeof buf, "%.6g", value);
    else
      std::snprintf(buf, sizeof buf, "null");
    text += (first ? "\n  \"" : ",\n  \"") + key + "\": " + buf;
    first = false;
  }
  text += "\n}\n";
  io::write_file_atomically(path, std::vector<unsigned char>(text.begin(), text.end()));
}

/// Prints a figure's note when gnuplot is missing.
inline void report(const io::FigureStatus& s) {
  if (!s.drawn) std::fprintf(stderr, "gan: note: %s\n", s.message.c_str());
}

/// D's view of points x (N×1) as a curve in [0, 1]: σ(D) for the sigmoid losses, the
/// critic's score (or BEGAN's −reconstruction error) rescaled to [0, 1] otherwise.
template <class Model>
std::vector<double> discriminator_curve(Model& model, ConstView<float> x) {
  auto& d = model.discriminator();
  net::Tape<float> tape;
  d.set_training(false);
  ConstView<float> out = d.forward(x, tape);
  d.set_training(true);
  std::vector<double> v(static_cast<std::size_t>(x.n()));
  using L = typename Model::LossPolicy;
  for (Index i = 0; i < x.n(); ++i) {
    if constexpr (L::autoencoder)
      v[i] = -std::abs(double(out(i, 0)) - double(x(i, 0)));
    else
      v[i] = out(i, 0);
  }
  if constexpr (std::is_same_v<L, loss::NonSaturating> || std::is_same_v<L, loss::Minimax>) {
    for (double& s : v) s = loss::detail::sigmoid(s);
  } else {
    double lo = *std::min_element(v.begin(), v.end()), hi = *std::max_element(v.begin(), v.end());
    for (double& s : v) s = hi > lo ? (s - lo) / (hi - lo) : 0.5;
  }
  return v;
}

/// The metrics of generated samples (data units) for the kind of data: modes / hq / rkl
/// for the toy mixtures (Q1), kl / w1 for gauss1d, fd / precision / recall / entropy for
/// images, the mean per-feature W1 for CSV data.
inline std::map<std::string, double> compute_metrics(const DataSpec& spec,
                                                     const data::Dataset<float>& data,
                                                     ConstView<float> fake) {
  std::map<std::string, double> metrics;
  switch (spec.kind) {
    case DataKind::mixture2d: {
      const data::Mixture& m = *spec.mixture;
      metric::ModeCoverage coverage(metric::Samples(m.centres.data(), m.modes(), m.dim), m.sigma);
      auto score = coverage.score(fake);
      metrics["modes"] = static_cast<double>(score.modes);
      metrics["hq"] = score.hq;
      metrics["rkl"] = score.reverse_kl;
      break;
    }
    case DataKind::gauss1d: {
      const metric::Normal target{spec.mixture->centres[0], spec.mixture->sigma};
      metrics["kl"] = metric::kl_divergence(target, fake);
      metrics["w1"] = metric::wasserstein1(target, fake);
      break;
    }
    case DataKind::images:
      metrics = score_images(spec, data, fake);
      break;
    case DataKind::vectors: {
      GAN_CHECK(fake.features() == data.shape().features(), "samples have ", fake.features(),
                " features, the data ", data.shape().features());
      double w1 = 0;
      const Index f = fake.features();
      std::vector<float> a(static_cast<std::size_t>(fake.n())),
          b(static_cast<std::size_t>(data.size()));
      for (Index k = 0; k < f; ++k) {
        for (Index i = 0; i < fake.n(); ++i) a[i] = fake(i, k);
        for (Index i = 0; i < data.size(); ++i) b[i] = data.samples()(i, k);
        w1 += metric::wasserstein1(a, b);
      }
      metrics["w1_mean"] = w1 / static_cast<double>(f);
      break;
    }
  }
  return metrics;
}

/// How many samples the metrics of a kind of data are computed on.
inline Index metric_sample_count(const DataSpec& spec, const data::Dataset<float>& data) {
  switch (spec.kind) {
    case DataKind::mixture2d:
      return 2500;  // the PacGAN / VEEGAN protocol
    case DataKind::gauss1d:
      return 10000;
    case DataKind::images:
      return 10000;
    case DataKind::vectors:
      return std::min<Index>(10000, data.size());
  }
  return 10000;
}

/// The final pictures and metrics of a run: samples.png, loss.png, metrics.json (and
/// samples.csv for CSV data). `generate(n)` draws n samples in the model's units; `grid`
/// writes the fixed-noise image grid; `extra` (read after generate) joins metrics.json.
template <class Model, class Generate>
std::map<std::string, double> finish_outputs(
    Model& model, const DataSpec& spec, const data::Dataset<float>& data,
    const std::filesystem::path& out, Generate&& generate,
    const std::function<void(const std::filesystem::path&)>& grid,
    const std::map<std::string, double>& extra = {}) {
  report(io::loss_figure(out / "loss.png", out / "log.csv", {},
                         {.width = 900, .height = 500, .title = "losses"}));
  Tensor<float> fake = generate(metric_sample_count(spec, data));
  std::map<std::string, double> metrics = compute_metrics(spec, data, fake.view());
  const Index shown = std::min<Index>(2500, std::min(fake.n(), data.size()));
  switch (spec.kind) {
    case DataKind::mixture2d:
      report(io::scatter_figure<float>(out / "samples.png", data.samples().rows(0, shown),
                                       fake.view().rows(0, shown),
                                       {.width = 700, .height = 700, .title = spec.source}));
      break;
    case DataKind::gauss1d: {
      Tensor<float> xs(core::features(200, 1));
      std::vector<double> grid_x(200);
      for (Index i = 0; i < 200; ++i) grid_x[i] = xs[i] = static_cast<float>(1.0 + 6.0 * i / 199.0);
      std::vector<double> dx = discriminator_curve(model, xs.view());
      report(io::gan_1d_figure<float>(out / "samples.png", data.samples(), fake.view(), grid_x, dx,
                                      50, {.width = 800, .height = 500, .title = "N(4, 0.5)"}));
      break;
    }
    case DataKind::images:
      grid(out / "samples.png");
      break;
    case DataKind::vectors: {
      Tensor<float> units = fake;
      data.transform().invert(units.view());
      data::write_csv<float>(out / "samples.csv", units.view());
      if (fake.features() == 2)
        report(io::scatter_figure<float>(out / "samples.png", data.samples().rows(0, shown),
                                         fake.view().rows(0, shown),
                                         {.width = 700, .height = 700, .title = spec.text}));
      break;
    }
  }
  metrics.insert(extra.begin(), extra.end());  // filled by generate()
  write_metrics(out / "metrics.json", metrics);
  return metrics;
}

}  // namespace gan::program
