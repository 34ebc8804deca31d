// Figures drawn with gnuplot as PNG files: real against generated points of a 2D toy
// mixture; the 1D picture of Goodfellow et al. 2014, Figure 1 (data density, generator
// density, D(x)); and the loss curves of a training log. Without gnuplot each function
// returns a one-line note instead of a figure.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/tensor.hpp"
#include "gan/data/csv_table.hpp"
#include "gan/io/gnuplot.hpp"

namespace gan::io {

/// Size, title and drawing program of a figure.
struct FigureOptions {
  Index width = 800;   ///< pixels
  Index height = 600;  ///< pixels
  std::string title{};
  /// The program, looked up on PATH unless it contains a '/'.
  std::string gnuplot = "gnuplot";
};

/// Whether a figure was drawn; when not (gnuplot is missing), `message` says why in one
/// line. Failures of a gnuplot that is there throw gan::Error instead.
struct FigureStatus {
  bool drawn = false;
  std::string message;
  explicit operator bool() const { return drawn; }
};

namespace detail {

inline void check_options(const std::filesystem::path& path, const FigureOptions& o) {
  GAN_CHECK(o.width >= 16 && o.height >= 16 && o.width <= 16384 && o.height <= 16384, "figure ",
            path.string(), ": size ", o.width, 'x', o.height,
            ": expected 16 to 16384 pixels each way");
}

inline FigureStatus not_drawn(const std::filesystem::path& path, const FigureOptions& o) {
  return {false, "figure " + path.string() + " not drawn: " + o.gnuplot +
                     " not found on PATH (apt-get install gnuplot-nox)"};
}

// The script's first lines: pngcairo where gnuplot has it (Debian's gnuplot-nox does),
// libgd's png otherwise; plain text so that names like d_loss keep their underscores.
inline std::string figure_preamble(const std::filesystem::path& path, const FigureOptions& o) {
  std::string size = std::to_string(o.width) + "," + std::to_string(o.height);
  std::string s =
      "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
      "  set terminal pngcairo size " +
      size +
      " noenhanced\n"
      "} else {\n"
      "  set terminal png size " +
      size +
      " noenhanced\n"
      "}\n";
  s += "set output " + gnuplot_quote(path.string()) + "\n";
  if (!o.title.empty()) s += "set title " + gnuplot_quote(o.title) + "\n";
  s += "set key top right\nset grid\n";
  return s;
}

inline void append_number(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

// Columns of equal length as gnuplot data, one row a line.
inline std::string data_text(std::span<const std::vector<double>> columns) {
  std::string text;
  std::size_t rows = columns.empty() ? 0 : columns[0].size();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) text += ' ';
      append_number(text, columns[c][r]);
    }
    text += '\n';
  }
  return text;
}

template <class T>
std::vector<double> column_of(ConstView<T> x, Index f) {
  std::vector<double> v(static_cast<std::size_t>(x.n()));
  for (Index i = 0; i < x.n(); ++i) v[static_cast<std::size_t>(i)] = static_cast<double>(x(i, f));
  return v;
}

template <class T>
void check_points(ConstView<T> x, Index dim, const char* what, const std::filesystem::path& path) {
  GAN_CHECK(x.n() >= 1 && x.features() == dim, "figure ", path.string(), ": ", what, " points ",
            x.shape(), ": expected N x ", dim, " with N >= 1");
  for (Index k = 0; k < x.size(); ++k)
    GAN_CHECK(std::isfinite(static_cast<double>(x[k])), "figure ", path.string(), ": ", what,
              " value ", k, " is not finite");
}

// Histogram of v over [lo, hi) in `bins` equal bins, as a density (integrates to the
// fraction of v inside the range).
inline std::vector<double> density(const std::vector<double>& v, double lo, double hi, Index bins) {
  std::vector<double> d(static_cast<std::size_t>(bins), 0.0);
  double width = (hi - lo) / static_cast<double>(bins);
  for (double x : v) {
    auto b = static_cast<Index>(std::floor((x - lo) / width));
    if (b == bins && x == hi) b = bins - 1;  // the top edge belongs to the last bin
    if (b >= 0 && b < bins) d[static_cast<std::size_t>(b)] += 1.0;
  }
  for (double& x : d) x /= static_cast<double>(v.size()) * width;
  return d;
}

}  // namespace detail

/// Real (N×2) and generated (M×2) points of a 2D distribution on one scatter plot.
template <class T>
FigureStatus scatter_figure(const std::filesystem::path& path, ConstView<T> real,
                            ConstView<T> generated, const FigureOptions& options = {}) {
  detail::check_options(path, options);
  detail::check_points(real, 2, "real", path);
  detail::check_points(generated, 2, "generated", path);
  Gnuplot gp(options.gnuplot);
  if (!gp.available()) return detail::not_drawn(path, options);
  std::vector<double> cols[2];
  cols[0] = detail::column_of(real, 0);
  cols[1] = detail::column_of(real, 1);
  auto real_file = gp.write_file("real.dat", detail::data_text(cols));
  cols[0] = detail::column_of(generated, 0);
  cols[1] = detail::column_of(generated, 1);
  auto fake_file = gp.write_file("generated.dat", detail::data_text(cols));
  std::string s = detail::figure_preamble(path, options);
  s += "set size ratio -1\nset key outside right top\n";
  s += "plot " + gnuplot_quote(real_file.string()) +
       " using 1:2 with points pt 7 ps 0.4 lc rgb '#1f77b4' title 'real', \\\n     " +
       gnuplot_quote(fake_file.string()) +
       " using 1:2 with points pt 7 ps 0.4 lc rgb '#d62728' title 'generated'\n";
  gp.run(s);
  return {true, "figure " + path.string() + " drawn"};
}

/// The 1D figure of Goodfellow et al. 2014, Figure 1: the data density (black, dotted)
/// and the generator's density (green, solid) as histograms of `bins` bins of the real
/// (N×1) and generated (M×1) samples, and the discriminator's output D(x) (blue, dashed)
/// given as values d at points x (in increasing order), all on one plot. The histograms
/// span the range of all samples and of x.
template <class T>
FigureStatus gan_1d_figure(const std::filesystem::path& path, ConstView<T> real,
                           ConstView<T> generated, std::span<const double> x,
                           std::span<const double> d, Index bins = 50,
                           const FigureOptions& options = {}) {
  detail::check_options(path, options);
  detail::check_points(real, 1, "real", path);
  detail::check_points(generated, 1, "generated", path);
  GAN_CHECK(x.size() == d.size() && x.size() >= 2, "figure ", path.string(), ": D(x) given at ",
            x.size(), " points with ", d.size(), " values: expected as many of each, at least 2");
  for (std::size_t i = 0; i < x.size(); ++i)
    GAN_CHECK(std::isfinite(x[i]) && std::isfinite(d[i]) && (i == 0 || x[i] > x[i - 1]), "figure ",
              path.string(), ": D(x) point ", i, ": expected finite values at increasing x");
  GAN_CHECK(bins >= 1 && bins <= 100000, "figure ", path.string(), ": ", bins,
            " bins: expected 1 to 100000");
  Gnuplot gp(options.gnuplot);
  if (!gp.available()) return detail::not_drawn(path, options);
  std::vector<double> r = detail::column_of(real, 0), g = detail::column_of(generated, 0);
  double lo = std::min(
      {x.front(), *std::min_element(r.begin(), r.end()), *std::min_element(g.begin(), g.end())});
  double hi = std::max(
      {x.back(), *std::max_element(r.begin(), r.end()), *std::max_element(g.begin(), g.end())});
  if (hi <= lo) hi = lo + 1;
  std::vector<double> hist[3];
  hist[0].resize(static_cast<std::size_t>(bins));
  for (Index b = 0; b < bins; ++b)
    hist[0][static_cast<std::size_t>(b)] =
        lo + (hi - lo) * (static_cast<double>(b) + 0.5) / static_cast<double>(bins);
  hist[1] = detail::density(r, lo, hi, bins);
  hist[2] = detail::density(g, lo, hi, bins);
  auto hist_file = gp.write_file("density.dat", detail::data_text(hist));
  std::vector<double> curve[2] = {std::vector<double>(x.begin(), x.end()),
                                  std::vector<double>(d.begin(), d.end())};
  auto d_file = gp.write_file("discriminator.dat", detail::data_text(curve));
  std::string s = detail::figure_preamble(path, options);
  s += "set xlabel 'x'\nset ylabel 'density, D(x)'\n";
  s += "plot " + gnuplot_quote(hist_file.string()) +
       " using 1:2 with steps dt 3 lw 2 lc rgb 'black' title 'data', \\\n     " +
       gnuplot_quote(hist_file.string()) +
       " using 1:3 with steps lw 2 lc rgb '#2ca02c' title 'generator', \\\n     " +
       gnuplot_quote(d_file.string()) +
       " using 1:2 with lines dt 2 lw 2 lc rgb '#1f77b4' title 'D(x)'\n";
  gp.run(s);
  return {true, "figure " + path.string() + " drawn"};
}

/// Loss curves from a training log in CSV with a header line: the column "step" on the
/// x axis against each column in `columns`; when `columns` is empty, every column whose
/// name contains "loss" (or, if none does, every column but "step").
inline FigureStatus loss_figure(const std::filesystem::path& path,
                                const std::filesystem::path& log_csv,
                                std::vector<std::string> columns = {},
                                const FigureOptions& options = {}) {
  detail::check_options(path, options);
  data::CsvTable log = data::read_csv_table(log_csv, data::CsvHeader::present, true);
  std::string names;
  for (const auto& h : log.header) names += (names.empty() ? "" : ", ") + h;
  Index step = log.column("step");
  GAN_CHECK(step >= 0, log_csv.string(), ": no column 'step' in the header (", names, ")");
  if (columns.empty()) {
    for (const auto& h : log.header)
      if (h.find("loss") != std::string::npos) columns.push_back(h);
    if (columns.empty())
      for (const auto& h : log.header)
        if (h != "step") columns.push_back(h);
  }
  GAN_CHECK(!columns.empty(), log_csv.string(), ": no column to plot besides 'step'");
  std::vector<std::vector<double>> data(columns.size() + 1);
  std::vector<Index> index;
  for (const auto& name : columns) {
    Index c = log.column(name);
    GAN_CHECK(c >= 0, log_csv.string(), ": no column '", name, "' in the header (", names, ")");
    index.push_back(c);
  }
  for (Index r = 0; r < log.rows; ++r) {
    data[0].push_back(log(r, step));
    for (std::size_t k = 0; k < index.size(); ++k) data[k + 1].push_back(log(r, index[k]));
  }
  Gnuplot gp(options.gnuplot);
  if (!gp.available()) return detail::not_drawn(path, options);
  auto file = gp.write_file("log.dat", detail::data_text(data));
  std::string s = detail::figure_preamble(path, options);
  s += "set xlabel 'step'\nplot ";
  for (std::size_t k = 0; k < columns.size(); ++k) {
    if (k > 0) s += ", \\\n     ";
    s += gnuplot_quote(file.string()) + " using 1:" + std::to_string(k + 2) +
         " with lines lw 1.5 title " + gnuplot_quote(columns[k]);
  }
  s += "\n";
  gp.run(s);
  return {true, "figure " + path.string() + " drawn"};
}

}  // namespace gan::io
