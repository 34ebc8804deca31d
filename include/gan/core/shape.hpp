// Shape: batch-first N×C×H×W; a feature matrix N×F is N×F×1×1.
#pragma once

#include <cstddef>
#include <ostream>

namespace gan::core {

/// Signed integer type used for sizes and loops (as Eigen::Index).
using Index = std::ptrdiff_t;

/// Shape of a batch: n samples, each c×h×w, stored row-major with w fastest.
/// Dense features are c = F, h = w = 1, so every layer sees the same four numbers and
/// Flatten/Reshape only rename them.
struct Shape {
  Index n = 0;
  Index c = 1;
  Index h = 1;
  Index w = 1;

  /// Values per sample: c·h·w.
  constexpr Index features() const { return c * h * w; }
  /// Values in the batch: n·c·h·w.
  constexpr Index size() const { return n * c * h * w; }
  /// Values per channel plane of one sample: h·w.
  constexpr Index plane() const { return h * w; }
  /// The same sample shape with another batch size.
  constexpr Shape with_batch(Index batch) const { return {batch, c, h, w}; }
  /// Whether the per-sample parts (c, h, w) agree, whatever the batch sizes.
  constexpr bool same_sample(const Shape& o) const { return c == o.c && h == o.h && w == o.w; }

  friend constexpr bool operator==(const Shape&, const Shape&) = default;
};

/// Dense features: n×f.
constexpr Shape features(Index n, Index f) {
  return {n, f, 1, 1};
}
/// Images: n×c×h×w.
constexpr Shape images(Index n, Index c, Index h, Index w) {
  return {n, c, h, w};
}

/// Prints "64x1x28x28" or "64x784" for a dense shape.
inline std::ostream& operator<<(std::ostream& os, const Shape& s) {
  os << s.n << 'x' << s.c;
  if (s.h != 1 || s.w != 1) os << 'x' << s.h << 'x' << s.w;
  return os;
}

}  // namespace gan::core

namespace gan {
using core::Index;
}
