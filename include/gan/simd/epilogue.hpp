// Epilogue: an activation that a matrix product applies to its output tile by tile, while
// each tile is in cache, instead of in a pass of its own over the output.
#pragma once

#include "gan/core/shape.hpp"
#include "gan/simd/elementwise.hpp"

namespace gan::simd {

/// An element-wise activation that gemm applies to each tile of C once the tile's product
/// is complete: what a LeakyReLU, ReLU or Tanh after a Dense layer computes in place over
/// the layer's output (Dense::forward_leaky, Dense::forward_tanh), without a pass, or a
/// parallel region, of its own. Each value goes through the instructions of leaky_relu or
/// tanh_forward (detail::map_range), so the result is theirs, bit for bit.
template <class T>
struct Epilogue {
  enum class Kind { none, leaky, tanh };
  Kind kind = Kind::none;
  T slope = T(0);  // of Kind::leaky

  /// y = y > 0 ? y : slope·y (slope 0: a ReLU).
  static Epilogue leaky_relu(T slope) { return {Kind::leaky, slope}; }
  /// y = tanh(y).
  static Epilogue tanh() { return {Kind::tanh, T(0)}; }
  explicit operator bool() const { return kind != Kind::none; }

  /// Applies the activation in place to rows × cols values whose rows lie ld apart.
  void apply(T* values, Index rows, Index cols, Index ld) const {
    for (Index r = 0; r < rows; ++r) {
      T* row = values + r * ld;
      if (kind == Kind::leaky) {
        detail::map_range(Index(0), cols, row, detail::LeakyMap<T>{slope}, row);
      } else if (kind == Kind::tanh) {
        detail::map_range(Index(0), cols, row, detail::TanhMap{}, row);
      }
    }
  }
};

}  // namespace gan::simd
