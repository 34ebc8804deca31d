// Reader of the golden files in tests/golden (PyTorch 1.13's results, written by
// tests/golden/make_golden.py; format in tests/golden/README.md), and the comparison of
// computed values with them.
#pragma once

#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/core/tensor.hpp"
#include "support/gradcheck.hpp"

namespace gan::testing::golden {

/// Tolerance of a comparison with PyTorch's float64 results, relative to the largest
/// magnitude of the compared values: the float path carries float rounding; the double
/// path only the 12 significant digits the files keep and the summation order.
template <class T>
constexpr double tolerance() {
  return std::is_same_v<T, float> ? 1e-5 : 1e-9;
}

/// The integer j_k in [−256, 256] of the value generator (README.md): the splitmix64
/// finalizer (Steele, Lea & Flood 2014) of seed + (k + 1)·0x9E3779B97F4A7C15, mod 513.
inline std::int64_t grid_integer(std::uint64_t seed, std::uint64_t k) {
  std::uint64_t z = seed + (k + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<std::int64_t>(z % 513) - 256;
}

/// One tensor of a case.
struct Record {
  enum class Kind {
    grid,    ///< an input written out: offset + unit·j, one integer j a value
    gen,     ///< an input given by its generator seed (too large to write out)
    tensor,  ///< a result written out
    sample,  ///< a large result: every stride-th value, a projection and the sum of squares
  };
  Kind kind = Kind::tensor;
  std::string name;
  std::vector<Index> shape;
  std::vector<double> values;  ///< all values (grid, gen, tensor) or the samples
  std::map<std::string, std::string, std::less<>> attributes;
  Index stride = 1;
  std::uint64_t seed = 0;
  double proj = 0, sumsq = 0;

  Index size() const {
    Index n = 1;
    for (Index d : shape) n *= d;
    return n;
  }
};

/// A named case: numeric parameters and tensors.
struct Case {
  std::string name;
  std::string where;  ///< "conv.txt:120", for messages
  std::map<std::string, double, std::less<>> params;
  std::vector<Record> records;

  double param(std::string_view key) const {
    auto it = params.find(key);
    GAN_CHECK(it != params.end(), where, ": case ", name, " has no parameter ", key);
    return it->second;
  }
  Index index(std::string_view key) const { return static_cast<Index>(param(key)); }
  bool flag(std::string_view key) const { return param(key) != 0; }

  bool has(std::string_view tensor) const {
    for (const auto& r : records)
      if (r.name == tensor) return true;
    return false;
  }
  const Record& record(std::string_view tensor) const {
    for (const auto& r : records)
      if (r.name == tensor) return r;
    core::fail(where, ": case ", name, " has no tensor ", tensor);
  }
  /// All values of an input or of a written result, as T.
  template <class T>
  std::vector<T> values(std::string_view tensor) const {
    const Record& r = record(tensor);
    GAN_CHECK(r.kind != Record::Kind::sample, where, ": ", tensor, " is only sampled");
    return std::vector<T>(r.values.begin(), r.values.end());
  }
  /// The batch shape of a tensor: N×C×H×W from 4 dimensions, N×F from 2.
  Shape shape(std::string_view tensor) const {
    const Record& r = record(tensor);
    if (r.shape.size() == 4) return core::images(r.shape[0], r.shape[1], r.shape[2], r.shape[3]);
    GAN_CHECK(r.shape.size() == 2, where, ": ", tensor, " is not a batch (", r.shape.size(),
              " dimensions)");
    return core::features(r.shape[0], r.shape[1]);
  }
  /// An input or written result as a batch of T.
  template <class T>
  Tensor<T> tensor(std::string_view tensor_name) const {
    Tensor<T> t(shape(tensor_name));
    const auto v = values<T>(tensor_name);
    std::copy(v.begin(), v.end(), t.data());
    return t;
  }
};

namespace detail {

/// The directory of the golden files: $GAN_GOLDEN_DIR, else tests/golden beside this file.
inline std::string directory() {
  if (const char* env = std::getenv("GAN_GOLDEN_DIR")) return env;
  std::string here = __FILE__;  // .../tests/support/golden.hpp
  return here.substr(0, here.find_last_of("/\\")) + "/../golden";
}

template <class V>
V parse_number(std::string_view token, const std::string& where) {
  V v{};
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  GAN_CHECK(ec == std::errc() && end == token.data() + token.size(), where, ": bad number '", token,
            "'");
  return v;
}

inline std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

inline const std::string& attribute(const Record& r, std::string_view key,
                                    const std::string& where) {
  auto it = r.attributes.find(key);
  GAN_CHECK(it != r.attributes.end(), where, ": ", r.name, " lacks ", key, "=");
  return it->second;
}

/// A record's header: "grid x shape=3x5 unit=0.00390625 offset=0.0".
inline Record parse_header(const std::vector<std::string_view>& tokens, const std::string& where) {
  static const std::map<std::string_view, Record::Kind> kinds = {{"grid", Record::Kind::grid},
                                                                 {"gen", Record::Kind::gen},
                                                                 {"tensor", Record::Kind::tensor},
                                                                 {"sample", Record::Kind::sample}};
  GAN_CHECK(tokens.size() >= 3, where, ": a ", tokens[0], " line needs a name and a shape");
  Record r;
  r.kind = kinds.at(tokens[0]);
  r.name = tokens[1];
  for (std::size_t i = 2; i < tokens.size(); ++i) {
    auto eq = tokens[i].find('=');
    GAN_CHECK(eq != std::string_view::npos, where, ": expected key=value, got '", tokens[i], "'");
    r.attributes.emplace(std::string(tokens[i].substr(0, eq)),
                         std::string(tokens[i].substr(eq + 1)));
  }
  std::string_view shape = attribute(r, "shape", where);
  for (std::size_t i = 0; i <= shape.size();) {
    std::size_t x = std::min(shape.find('x', i), shape.size());
    r.shape.push_back(parse_number<Index>(shape.substr(i, x - i), where));
    GAN_CHECK(r.shape.back() > 0, where, ": ", r.name, " has a dimension ", r.shape.back());
    i = x + 1;
  }
  if (r.kind == Record::Kind::sample) {
    r.stride = parse_number<Index>(attribute(r, "stride", where), where);
    GAN_CHECK(r.stride > 0, where, ": stride ", r.stride);
    r.proj = parse_number<double>(attribute(r, "proj", where), where);
    r.sumsq = parse_number<double>(attribute(r, "sumsq", where), where);
  }
  if (r.kind == Record::Kind::sample || r.kind == Record::Kind::gen)
    r.seed = parse_number<std::uint64_t>(attribute(r, "seed", where), where);
  return r;
}

/// Checks a finished record's value count; fills a grid or gen record with its values.
inline void finish(Record& r, const std::string& where) {
  const Index n = r.size();
  switch (r.kind) {
    case Record::Kind::tensor:
      GAN_CHECK(static_cast<Index>(r.values.size()) == n, where, ": ", r.name, " has ",
                r.values.size(), " values for shape of ", n);
      return;
    case Record::Kind::sample:
      GAN_CHECK(static_cast<Index>(r.values.size()) == (n + r.stride - 1) / r.stride, where, ": ",
                r.name, " has ", r.values.size(), " samples");
      return;
    case Record::Kind::grid:
    case Record::Kind::gen:
      break;
  }
  const double unit = parse_number<double>(attribute(r, "unit", where), where);
  const double offset = parse_number<double>(attribute(r, "offset", where), where);
  if (r.kind == Record::Kind::grid) {
    GAN_CHECK(static_cast<Index>(r.values.size()) == n, where, ": ", r.name, " has ",
              r.values.size(), " values for shape of ", n);
    for (double& v : r.values) v = offset + v * unit;
    return;
  }
  GAN_CHECK(r.values.empty(), where, ": ", r.name, " is generated but has values");
  r.values.resize(n);
  double sum = 0, magnitude = 0;
  for (Index k = 0; k < n; ++k) {
    r.values[k] = offset + static_cast<double>(grid_integer(r.seed, k)) * unit;
    sum += r.values[k];
    magnitude += std::abs(r.values[k]);
  }
  const double expected = parse_number<double>(attribute(r, "sum", where), where);
  GAN_CHECK(std::abs(sum - expected) <= 1e-12 * magnitude, where, ": generated ", r.name,
            " sums to ", sum, ", the file says ", expected, " (generator out of step)");
}

}  // namespace detail

/// Reads a golden file ("conv.txt") from tests/golden. Throws gan::Error naming the file
/// and line of anything malformed.
inline std::vector<Case> load(std::string_view file) {
  const std::string path = detail::directory() + "/" + std::string(file);
  std::ifstream in(path);
  GAN_CHECK(in, "golden file ", path, " cannot be opened (tests/golden/README.md)");
  std::vector<Case> cases;
  Case* current = nullptr;
  Record* record = nullptr;
  std::string line, where;
  auto close_record = [&] {
    if (record != nullptr) detail::finish(*record, where);
    record = nullptr;
  };
  for (int number = 1; std::getline(in, line); ++number) {
    where = std::string(file) + ":" + std::to_string(number);
    const auto tokens = detail::split(line);
    if (tokens.empty() || tokens[0][0] == '#') continue;
    const std::string_view head = tokens[0];
    if (head == "case") {
      GAN_CHECK(current == nullptr && tokens.size() == 2, where, ": misplaced case line");
      current = &cases.emplace_back();
      current->name = tokens[1];
      current->where = where;
    } else if (head == "end") {
      GAN_CHECK(current != nullptr, where, ": end without case");
      close_record();
      current = nullptr;
    } else if (head == "param") {
      GAN_CHECK(current != nullptr && record == nullptr && tokens.size() == 3, where,
                ": misplaced param line");
      current->params[std::string(tokens[1])] = detail::parse_number<double>(tokens[2], where);
    } else if (head == "grid" || head == "gen" || head == "tensor" || head == "sample") {
      GAN_CHECK(current != nullptr, where, ": tensor outside a case");
      close_record();
      GAN_CHECK(!current->has(tokens[1]), where, ": ", tokens[1], " twice in ", current->name);
      record = &current->records.emplace_back(detail::parse_header(tokens, where));
    } else {
      GAN_CHECK(record != nullptr && record->kind != Record::Kind::gen, where,
                ": values outside a tensor");
      for (auto t : tokens) record->values.push_back(detail::parse_number<double>(t, where));
    }
  }
  GAN_CHECK(current == nullptr, file, ": the last case has no end line");
  return cases;
}

/// The cases whose names start with `prefix` ("conv2d/"). Throws when there are none, so
/// that a test loop over them cannot pass vacuously.
inline std::vector<const Case*> cases_named(const std::vector<Case>& all, std::string_view prefix) {
  std::vector<const Case*> out;
  for (const auto& c : all)
    if (std::string_view(c.name).starts_with(prefix)) out.push_back(&c);
  GAN_CHECK(!out.empty(), "no golden case named ", prefix, "*");
  return out;
}

/// Compares computed values with a result of the case: all values of a written tensor;
/// the samples, the projection and the sum of squares of a sampled one. `tol` is
/// relative to the largest magnitude (see tolerance()).
template <class T>
void check(const Case& c, std::string_view name, std::span<const T> got, double tol) {
  const Record& r = c.record(name);
  CAPTURE(c.name);
  CAPTURE(name);
  REQUIRE(static_cast<Index>(got.size()) == r.size());
  if (r.kind != Record::Kind::sample) {
    const double error = relative_error(got, r.values);
    CAPTURE(error);
    CHECK(error < tol);
    return;
  }
  std::vector<double> picked;
  double proj = 0, scale = 0, sumsq = 0;
  for (Index k = 0; k < r.size(); ++k) {
    const double v = static_cast<double>(got[k]);
    if (k % r.stride == 0) picked.push_back(v);
    const double w = static_cast<double>(grid_integer(r.seed, k)) / 256.0;
    proj += v * w;
    scale += std::abs(v * w);
    sumsq += v * v;
  }
  const double sample_error = relative_error(picked, r.values);
  const double proj_error = std::abs(proj - r.proj) / scale;
  const double sumsq_error = std::abs(sumsq - r.sumsq) / r.sumsq;
  CAPTURE(sample_error);
  CAPTURE(proj_error);
  CAPTURE(sumsq_error);
  CHECK(sample_error < tol);
  CHECK(proj_error < tol);
  CHECK(sumsq_error < 2 * tol);  // a square doubles the relative error
}

template <class T>
void check(const Case& c, std::string_view name, const Tensor<T>& got, double tol) {
  check(c, name, std::span<const T>(got.data(), got.size()), tol);
}

}  // namespace gan::testing::golden
