// JoinLabels: how a conditional GAN (Mirza & Osindero, "Conditional Generative Adversarial
// Nets", 2014) joins a label encoding y (N×K, e.g. one-hot) to an input x: G's noise z and
// D's input, or D's feature maps.
#pragma once

#include <algorithm>
#include <cstring>

#include "gan/core/error.hpp"
#include "gan/core/tensor.hpp"

namespace gan::layer {

/// Joins an N×K encoding to a batch x along the channels:
///   - dense x (N×F)       → N×(F + K): each row is [x_i, y_i];
///   - images x (N×C×H×W)  → N×(C + K)×H×W: channel C + k is the constant map y_{i,k}
///                            (each label value broadcast over H×W).
/// Dense is the case H = W = 1 of the second rule, so one code path serves both.
///
/// Not a Sequential layer (it takes two inputs): the network that conditions on labels
/// calls join before its first layer and split_gradient after its backward pass.
template <class T>
class JoinLabels {
 public:
  using Scalar = T;

  /// Shape of x joined with k label values a sample. Throws gan::Error for k < 1.
  static Shape output_shape(Shape x, Index k) {
    GAN_CHECK(k > 0, "JoinLabels: the label encoding needs at least 1 value a sample, got ", k);
    return {x.n, x.c + k, x.h, x.w};
  }

  /// out = x joined with the encoding (N×K, read as K features a sample). out must be
  /// shaped output_shape(x.shape(), K).
  static void join(ConstView<T> x, ConstView<T> encoding, TensorView<T> out) {
    const Index k = check(x.shape(), encoding, out.shape(), "joined batch");
    const Index n = x.n(), plane = x.shape().plane(), xf = x.features();
    for (Index i = 0; i < n; ++i) {
      T* o = out.sample(i);
      if (xf > 0) std::memcpy(o, x.sample(i), sizeof(T) * xf);
      const T* e = encoding.sample(i);
      for (Index j = 0; j < k; ++j) std::fill(o + xf + j * plane, o + xf + (j + 1) * plane, e[j]);
    }
  }

  /// dx = the part of dout (the gradient of the joined batch) that belongs to x.
  static void split_gradient(ConstView<T> dout, TensorView<T> dx) {
    check_split(dout.shape(), dx.shape());
    const Index xf = dx.features();
    for (Index i = 0; i < dx.n(); ++i) {
      if (xf > 0) std::memcpy(dx.sample(i), dout.sample(i), sizeof(T) * xf);
    }
  }

  /// As above, and dencoding (N×K) = the gradient of the encoding: dencoding_{i,k} is the
  /// sum of dout over the map of label value k (over H×W, in order).
  static void split_gradient(ConstView<T> dout, TensorView<T> dx, TensorView<T> dencoding) {
    const Index k = check(dx.shape(), ConstView<T>(dencoding), dout.shape(), "joined gradient");
    split_gradient(dout, dx);
    const Index plane = dx.shape().plane(), xf = dx.features();
    for (Index i = 0; i < dx.n(); ++i) {
      const T* d = dout.sample(i) + xf;
      T* de = dencoding.sample(i);
      for (Index j = 0; j < k; ++j) {
        T s = 0;
        for (Index p = 0; p < plane; ++p) s += d[j * plane + p];
        de[j] = s;
      }
    }
  }

 private:
  /// Checks that `joined` is x joined with the encoding; returns K.
  static Index check(Shape x, ConstView<T> encoding, Shape joined, const char* what) {
    GAN_CHECK(encoding.n() == x.n, "JoinLabels: label encoding of shape ", encoding.shape(),
              " for a batch of ", x.n, " samples");
    const Index k = encoding.features();
    const Shape expected = output_shape(x, k);
    GAN_CHECK(joined == expected, "JoinLabels: ", what, " of shape ", joined, ", expected ",
              expected, " (", x, " joined with ", k, " label values)");
    return k;
  }
  static void check_split(Shape dout, Shape dx) {
    GAN_CHECK(dout.n == dx.n && dout.h == dx.h && dout.w == dx.w && dout.c > dx.c,
              "JoinLabels: input gradient of shape ", dx, " does not fit joined gradient ", dout);
  }
};

}  // namespace gan::layer
