// CsvTable: a comma-separated file of numbers, with an optional header line of column
// names; the common reader behind data sets from CSV (data/csv.hpp) and the training log
// that figures plot (io/figures.hpp).
#pragma once

#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/data/byte_reader.hpp"

namespace gan::data {

/// Whether the first line of a CSV file names the columns.
enum class CsvHeader {
  detect,   ///< a header when any field of the first line is not a number
  present,  ///< the first line is a header
  absent,   ///< every line is data
};

/// The numbers of a CSV file, row-major, with the file line of each row for messages.
struct CsvTable {
  std::vector<std::string> header;  // (cols) names, or empty when the file has none
  Index rows = 0;
  Index cols = 0;
  std::vector<double> values;  // (rows, cols)
  std::vector<Index> lines;    // (rows) 1-based line number in the file

  double operator()(Index r, Index c) const {
    return values[static_cast<std::size_t>(r * cols + c)];
  }
  /// Index of the column called `name`, or -1.
  Index column(std::string_view name) const {
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c] == name) return static_cast<Index>(c);
    return -1;
  }
};

namespace detail {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// A number as a field holds it (surrounding blanks and a leading '+' allowed); false if
// the whole field is not one finite number.
inline bool parse_number(std::string_view field, double& value) {
  std::string_view s = trim(field);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(value);
}

template <class F>
void for_each_field(std::string_view line, F f) {
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = line.find(',', start);
    f(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

inline std::string unquote(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

}  // namespace detail

/// Reads a CSV file (raw or gzip) of numbers: one row a line, fields separated by commas,
/// blank lines skipped, every row as wide as the first. Throws gan::Error naming the file
/// and line for a field that is not a finite number or a row of another width. With
/// `empty_as_nan`, an empty field reads as NaN (a training log leaves the figures that do
/// not apply to a model empty).
inline CsvTable read_csv_table(const std::filesystem::path& path,
                               CsvHeader header = CsvHeader::detect, bool empty_as_nan = false) {
  const std::string file = path.string();
  std::string text;
  {
    ByteReader in(path);
    text = in.read_rest();
  }
  CsvTable table;
  bool first = true;
  Index first_line = 0;
  std::size_t pos = 0;
  for (Index line = 1; pos < text.size(); ++line) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view row(text.data() + pos, end - pos);
    pos = end + 1;
    if (detail::trim(row).empty()) continue;
    if (first) {
      first = false;
      first_line = line;
      bool is_header = header == CsvHeader::present;
      if (header == CsvHeader::detect) {
        double v;
        detail::for_each_field(row, [&](std::string_view f) {
          if (!detail::parse_number(f, v)) is_header = true;
        });
      }
      Index width = 0;
      detail::for_each_field(row, [&](std::string_view f) {
        ++width;
        if (is_header) table.header.push_back(detail::unquote(f));
      });
      table.cols = width;
      if (is_header) continue;
    }
    Index width = 0;
    detail::for_each_field(row, [&](std::string_view f) {
      ++width;
      if (width > table.cols) return;
      double v;
      if (empty_as_nan && detail::trim(f).empty()) {
        table.values.push_back(std::numeric_limits<double>::quiet_NaN());
        return;
      }
      GAN_CHECK(detail::parse_number(f, v), file, ':', line, ": column ", width, ": '",
                detail::trim(f), "' is not a finite number");
      table.values.push_back(v);
    });
    GAN_CHECK(width == table.cols, file, ':', line, ": ", width, " values, expected ", table.cols,
              " (as on line ", first_line, ')');
    table.lines.push_back(line);
    ++table.rows;
  }
  GAN_CHECK(table.rows > 0, file, ": no rows of data");
  return table;
}

}  // namespace gan::data
