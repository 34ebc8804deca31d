// --data: which data set a run trains on, how to load it, and what kind of outputs suit it.
#pragma once

#include <algorithm>

#include <filesystem>
#include <optional>
#include <string>

#include "cli.hpp"
#include "gan/data/csv.hpp"
#include "gan/data/dataset.hpp"
#include "gan/data/fashion_mnist.hpp"
#include "gan/data/idx_dataset.hpp"
#include "gan/data/toy.hpp"

namespace gan::program {

/// What the data is, which decides the default network, the pictures and the metrics.
enum class DataKind {
  mixture2d,  ///< ring8, grid25: scatter plots, mode coverage
  gauss1d,    ///< N(4, 0.5): Goodfellow's Figure 1, KL and W1
  images,     ///< Fashion-MNIST or IDX: sample grids, FD / precision / recall / entropy
  vectors,    ///< CSV: samples.csv, and scatter/histogram when 1D or 2D
};

/// A parsed --data value: `ring8`, `grid25`, `gauss1d`, `fashion-mnist[:DIR]`,
/// `idx:IMAGES[,LABELS]` or `csv:PATH`.
struct DataSpec {
  std::string text;              ///< as given
  std::string source;            ///< ring8 grid25 gauss1d fashion-mnist idx csv
  std::filesystem::path path;    ///< directory or file
  std::filesystem::path labels;  ///< IDX labels file, if any
  DataKind kind = DataKind::vectors;
  std::optional<data::Mixture> mixture;  ///< for the toy sets

  static DataSpec parse(const std::string& text, const std::string& command) {
    DataSpec d;
    d.text = text;
    const auto colon = text.find(':');
    d.source = text.substr(0, colon);
    const std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
    auto usage = [&](const std::string& why) {
      throw cli::UsageError("gan " + command + ": --data " + text + ": " + why);
    };
    if (d.source == "ring8" || d.source == "grid25" || d.source == "gauss1d") {
      if (colon != std::string::npos) usage("the toy sets take no path");
      d.mixture = data::toy_mixture(d.source);
      d.kind = d.source == "gauss1d" ? DataKind::gauss1d : DataKind::mixture2d;
    } else if (d.source == "fashion-mnist") {
      d.path = rest;
      d.kind = DataKind::images;
    } else if (d.source == "idx") {
      if (rest.empty()) usage("expected idx:IMAGES[,LABELS]");
      const auto comma = rest.find(',');
      d.path = rest.substr(0, comma);
      if (comma != std::string::npos) d.labels = rest.substr(comma + 1);
      d.kind = DataKind::images;
    } else if (d.source == "csv") {
      if (rest.empty()) usage("expected csv:PATH");
      d.path = rest;
      d.kind = DataKind::vectors;
    } else {
      usage(
          "expected ring8, grid25, gauss1d, fashion-mnist[:DIR], idx:IMAGES[,LABELS] or csv:PATH");
    }
    return d;
  }

  /// Loads the training set. Toy sets are drawn once (`toy_size` points, from `seed`);
  /// CSV data is standardized per column, with an optional label column (`label_column`
  /// counted from 0, negative from the end).
  data::Dataset<float> load(std::uint64_t seed, Index toy_size,
                            std::optional<Index> label_column) const {
    if (mixture) return data::toy_dataset<float>(*mixture, toy_size, seed);
    if (source == "fashion-mnist") return data::load_fashion_mnist<float>(data::Split::train, path);
    if (source == "idx") {
      // The classes an IDX label file implies: 0 … its largest label.
      Index classes = 0;
      if (!labels.empty()) {
        const std::vector<std::int32_t> l = data::read_idx_labels(labels);
        if (!l.empty()) classes = Index(*std::max_element(l.begin(), l.end())) + 1;
      }
      return data::load_idx_dataset<float>(path.stem().string(), path, labels, classes);
    }
    data::CsvOptions o;
    o.label_column = label_column;
    o.scaling = data::Scaling::standardize;
    return data::read_csv<float>(path, o);
  }

  /// The held-out set image metrics compare against (Fashion-MNIST's test split), if any.
  std::optional<data::Dataset<float>> reference() const {
    if (source == "fashion-mnist") return data::load_fashion_mnist<float>(data::Split::test, path);
    return std::nullopt;
  }
};

/// The same data set with each sample as the vector of its c·h·w values, for MLP
/// networks on images.
inline data::Dataset<float> flattened(data::Dataset<float> d) {
  Tensor<float> samples(core::features(d.size(), d.shape().features()));
  std::copy_n(d.samples().data(), samples.size(), samples.data());
  std::vector<std::int32_t> labels(d.labels().begin(), d.labels().end());
  return data::Dataset<float>(d.name(), std::move(samples), std::move(labels), d.classes(),
                              d.transform());
}

/// Default length of a run when neither --iters nor --epochs is given: enough to learn
/// each kind of data with the default networks (README, "The gan program").
inline Index default_iterations(const DataSpec& d, Index batches_per_epoch) {
  switch (d.kind) {
    case DataKind::mixture2d:
      return 20000;
    case DataKind::gauss1d:
      return 5000;
    case DataKind::images:
      return 10 * batches_per_epoch;
    case DataKind::vectors:
      return 10000;
  }
  return 10000;
}

}  // namespace gan::program
