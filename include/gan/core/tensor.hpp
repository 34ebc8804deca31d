// Tensor (owning, 64-byte aligned) and TensorView (non-owning) over a batch-first
// N×C×H×W array, row-major with w fastest. Dense data is N×F (F = C, H = W = 1).
#pragma once

#include <algorithm>
#include <cstring>
#include <span>
#include <type_traits>
#include <utility>

#include "gan/core/aligned.hpp"
#include "gan/core/eigen.hpp"
#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"

namespace gan::core {

/// Non-owning view of a batch. T may be const (a read-only view); a view of T converts
/// to a view of const T. Views never allocate.
template <class T>
class TensorView {
 public:
  using Scalar = std::remove_const_t<T>;
  /// Row-major N×F matrix over the same memory, for Eigen arithmetic.
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using MatrixMap = Eigen::Map<std::conditional_t<std::is_const_v<T>, const Matrix, Matrix>>;
  using ArrayMap = Eigen::Map<
      std::conditional_t<std::is_const_v<T>, const Eigen::Array<Scalar, Eigen::Dynamic, 1>,
                         Eigen::Array<Scalar, Eigen::Dynamic, 1>>>;

  TensorView() = default;
  TensorView(T* data, Shape shape) : m_data(data), m_shape(shape) {}
  /// A mutable view converts to a read-only one.
  template <class U>
  requires(std::is_const_v<T>&& std::is_same_v<U, Scalar>) TensorView(TensorView<U> other)
      : m_data(other.data()), m_shape(other.shape()) {}

  T* data() const { return m_data; }
  const Shape& shape() const { return m_shape; }
  Index n() const { return m_shape.n; }
  Index features() const { return m_shape.features(); }
  Index size() const { return m_shape.size(); }
  bool empty() const { return m_shape.size() == 0; }

  /// Value of sample i, feature f (f counts over c, h, w).
  T& operator()(Index i, Index f) const { return m_data[i * m_shape.features() + f]; }
  /// Value at sample i, channel c, row y, column x.
  T& operator()(Index i, Index c, Index y, Index x) const {
    return m_data[((i * m_shape.c + c) * m_shape.h + y) * m_shape.w + x];
  }
  /// Flat element access.
  T& operator[](Index k) const { return m_data[k]; }

  /// Pointer to the first value of sample i.
  T* sample(Index i) const { return m_data + i * m_shape.features(); }
  /// Samples [first, first + count) as a view.
  TensorView rows(Index first, Index count) const {
    return {m_data + first * m_shape.features(), m_shape.with_batch(count)};
  }
  /// The same memory under another shape of equal size.
  TensorView reshaped(Shape s) const {
    GAN_CHECK(s.size() == m_shape.size(), "reshape from ", m_shape, " to ", s,
              " changes the number of values");
    return {m_data, s};
  }
  /// All values as a span.
  std::span<T> span() const { return {m_data, static_cast<std::size_t>(size())}; }
  /// N×F Eigen map (row-major).
  MatrixMap matrix() const { return MatrixMap(m_data, m_shape.n, m_shape.features()); }
  /// All values as a flat Eigen array.
  ArrayMap array() const { return ArrayMap(m_data, size()); }

  /// Sets every value (mutable views only).
  void fill(Scalar v) const requires(!std::is_const_v<T>) { std::fill(m_data, m_data + size(), v); }
  /// Copies the values of another view of the same size (mutable views only).
  void copy_from(TensorView<const Scalar> src) const requires(!std::is_const_v<T>) {
    GAN_CHECK(src.size() == size(), "copy of ", src.shape(), " into ", m_shape);
    if (size() > 0) std::memcpy(m_data, src.data(), sizeof(Scalar) * size());
  }

 private:
  T* m_data = nullptr;
  Shape m_shape{};
};

template <class T>
using ConstView = TensorView<const T>;

/// Owning, 64-byte aligned batch. `resize` keeps the buffer when the new shape fits in the
/// capacity, so a training loop that resizes to the same shapes allocates only once.
template <class T>
class Tensor {
  static_assert(std::is_arithmetic_v<T>, "Tensor holds float, double or integers");

 public:
  using Scalar = T;

  Tensor() = default;
  /// Zero-filled tensor of the given shape.
  explicit Tensor(Shape shape) {
    resize(shape);
    fill(T(0));
  }
  Tensor(Shape shape, T value) {
    resize(shape);
    fill(value);
  }
  Tensor(const Tensor& o) : Tensor() {
    resize(o.m_shape);
    if (size() > 0) std::memcpy(m_data.get(), o.m_data.get(), sizeof(T) * size());
  }
  Tensor& operator=(const Tensor& o) {
    if (this != &o) {
      resize(o.m_shape);
      if (size() > 0) std::memcpy(m_data.get(), o.m_data.get(), sizeof(T) * size());
    }
    return *this;
  }
  /// A moved-from tensor is empty (shape 0x1x1x1, no buffer) and can be resized again.
  Tensor(Tensor&& o) noexcept
      : m_data(std::move(o.m_data)),
        m_shape(std::exchange(o.m_shape, Shape{})),
        m_capacity(std::exchange(o.m_capacity, 0)) {}
  Tensor& operator=(Tensor&& o) noexcept {
    m_data = std::move(o.m_data);
    m_shape = std::exchange(o.m_shape, Shape{});
    m_capacity = std::exchange(o.m_capacity, 0);
    return *this;
  }

  /// Changes the shape; reallocates only when it needs more values than ever before.
  /// Values are unspecified after a resize that changes the size.
  void resize(Shape shape) {
    GAN_CHECK(shape.n >= 0 && shape.c >= 0 && shape.h >= 0 && shape.w >= 0,
              "negative tensor shape ", shape);
    if (shape.size() > m_capacity) {
      m_data = allocate_aligned<T>(static_cast<std::size_t>(shape.size()));
      m_capacity = shape.size();
    }
    m_shape = shape;
  }

  T* data() { return m_data.get(); }
  const T* data() const { return m_data.get(); }
  const Shape& shape() const { return m_shape; }
  Index n() const { return m_shape.n; }
  Index features() const { return m_shape.features(); }
  Index size() const { return m_shape.size(); }
  Index capacity() const { return m_capacity; }

  TensorView<T> view() { return {data(), m_shape}; }
  ConstView<T> view() const { return {data(), m_shape}; }
  operator TensorView<T>() { return view(); }
  operator ConstView<T>() const { return view(); }

  T& operator()(Index i, Index f) { return view()(i, f); }
  const T& operator()(Index i, Index f) const { return view()(i, f); }
  T& operator()(Index i, Index c, Index y, Index x) { return view()(i, c, y, x); }
  const T& operator()(Index i, Index c, Index y, Index x) const { return view()(i, c, y, x); }
  T& operator[](Index k) { return m_data[k]; }
  const T& operator[](Index k) const { return m_data[k]; }

  auto matrix() { return view().matrix(); }
  auto matrix() const { return view().matrix(); }
  auto array() { return view().array(); }
  auto array() const { return view().array(); }
  std::span<T> span() { return view().span(); }
  std::span<const T> span() const { return view().span(); }
  void fill(T v) { view().fill(v); }

 private:
  AlignedBuffer<T> m_data{nullptr};
  Shape m_shape{};
  Index m_capacity = 0;
};

}  // namespace gan::core

namespace gan {
using core::ConstView;
using core::Index;
using core::Shape;
using core::Tensor;
using core::TensorView;
}  // namespace gan
