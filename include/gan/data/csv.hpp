// User data from CSV: one sample a row, any number of numeric columns, optionally one
// integer label column; and samples written back as CSV.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/tensor.hpp"
#include "gan/data/byte_writer.hpp"
#include "gan/data/csv_table.hpp"
#include "gan/data/dataset.hpp"
#include "gan/data/transform.hpp"

namespace gan::data {

/// How read_csv reads a file.
struct CsvOptions {
  CsvHeader header = CsvHeader::detect;
  /// Column holding an integer label per row; negative counts from the end (-1 = the last
  /// column). None: every column is a feature and the data set is unlabeled.
  std::optional<Index> label_column;
  /// Number of classes; 0 takes the largest label + 1.
  Index classes = 0;
  /// How the features are scaled; the fitted Transform is kept in the data set.
  Scaling scaling = Scaling::none;
};

/// Reads a CSV file of samples (N×F, F = columns without the label column), scaled as
/// options.scaling says, named after the file's stem. Throws gan::Error naming the file
/// and line for ragged rows, fields that are not numbers, a label column out of range and
/// labels that are not integers in [0, classes).
template <class T>
Dataset<T> read_csv(const std::filesystem::path& path, const CsvOptions& options = {}) {
  const std::string file = path.string();
  CsvTable table = read_csv_table(path, options.header);
  Index label = -1;
  if (options.label_column) {
    Index c = *options.label_column;
    GAN_CHECK(c >= -table.cols && c < table.cols, file, ": label column ", c, ": expected ",
              -table.cols, " to ", table.cols - 1, " for ", table.cols, " columns");
    label = c < 0 ? table.cols + c : c;
    GAN_CHECK(table.cols >= 2, file, ": a label column needs at least one more column of features");
  }
  GAN_CHECK(options.classes >= 0, file, ": class count ", options.classes, ": expected >= 0");
  Index features = table.cols - (label >= 0 ? 1 : 0);
  Tensor<T> samples(core::features(table.rows, features));
  std::vector<std::int32_t> labels;
  if (label >= 0) labels.reserve(static_cast<std::size_t>(table.rows));
  std::int32_t largest = -1;
  for (Index r = 0; r < table.rows; ++r) {
    Index f = 0;
    for (Index c = 0; c < table.cols; ++c) {
      double v = table(r, c);
      if (c == label) {
        constexpr std::int32_t max_label = std::numeric_limits<std::int32_t>::max() - 1;
        GAN_CHECK(v >= 0 && v <= max_label && v == std::floor(v), file, ':', table.lines[r],
                  ": label ", v, " in column ", c + 1, " is not an integer in [0, ", max_label,
                  ']');
        GAN_CHECK(options.classes == 0 || v < static_cast<double>(options.classes), file, ':',
                  table.lines[r], ": label ", v, " in column ", c + 1, " is outside [0, ",
                  options.classes, ')');
        labels.push_back(static_cast<std::int32_t>(v));
        largest = std::max(largest, labels.back());
        continue;
      }
      T x = static_cast<T>(v);
      GAN_CHECK(std::isfinite(static_cast<double>(x)), file, ':', table.lines[r], ": value ", v,
                " in column ", c + 1, " does not fit the sample type");
      samples(r, f++) = x;
    }
  }
  Index classes = label < 0 ? 0 : (options.classes > 0 ? options.classes : Index(largest) + 1);
  Transform transform = Transform::fit<T>(options.scaling, samples.view());
  transform.apply(samples.view());
  return Dataset<T>(path.stem().string(), std::move(samples), std::move(labels), classes,
                    std::move(transform));
}

/// Writes samples (N×F) as CSV, one row a sample, each value in the shortest form that
/// reads back to the same T; with a header line "x0,x1,…" (and "label") when `header`,
/// and the labels as a last column when given (one per sample).
template <class T>
void write_csv(const std::filesystem::path& path, ConstView<T> samples,
               std::span<const std::int32_t> labels = {}, bool header = true) {
  GAN_CHECK(labels.empty() || static_cast<Index>(labels.size()) == samples.n(), path.string(), ": ",
            labels.size(), " labels for ", samples.n(), " samples");
  ByteWriter out(path, compression_for(path));
  std::string line;
  if (header) {
    for (Index f = 0; f < samples.features(); ++f) line += (f > 0 ? ",x" : "x") + std::to_string(f);
    if (!labels.empty()) line += ",label";
    line += '\n';
    out.write(line.data(), line.size());
  }
  char number[64];
  for (Index i = 0; i < samples.n(); ++i) {
    line.clear();
    for (Index f = 0; f < samples.features(); ++f) {
      if (f > 0) line += ',';
      auto [end, ec] = std::to_chars(number, number + sizeof number, samples(i, f));
      GAN_CHECK(ec == std::errc(), path.string(), ": cannot format sample ", i);
      line.append(number, end);
    }
    if (!labels.empty()) line += ',' + std::to_string(labels[static_cast<std::size_t>(i)]);
    line += '\n';
    out.write(line.data(), line.size());
  }
  out.close();
}

}  // namespace gan::data
