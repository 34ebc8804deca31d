// Initializers for weight and bias arrays.
#pragma once

#include <cmath>
#include <span>

#include "gan/core/rng.hpp"
#include "gan/core/shape.hpp"

namespace gan::layer {

/// How a layer draws its initial weights and biases. fan_in and fan_out are given by the
/// layer (for a convolution, channels × kernel area, as PyTorch computes them).
struct Init {
  enum class Kind {
    torch_default,   ///< weights and bias U(±1/√fan_in), PyTorch's Linear/Conv default
    dcgan,           ///< weights N(0, 0.02), bias 0 (Radford et al. 2016, section 4)
    xavier_uniform,  ///< U(±gain·√(6/(fan_in+fan_out))), bias 0 (Glorot & Bengio 2010)
    xavier_normal,   ///< N(0, gain·√(2/(fan_in+fan_out))), bias 0
    he_uniform,      ///< U(±gain·√(3/fan_in)), gain √2 for ReLU, bias 0 (He et al. 2015)
    he_normal,       ///< N(0, gain/√fan_in), bias 0
  };
  Kind kind = Kind::torch_default;
  double gain = 1.0;  ///< scale for Xavier and He (He's default √2 suits ReLU)

  static constexpr Init torch_default() { return {Kind::torch_default, 1.0}; }
  static constexpr Init dcgan() { return {Kind::dcgan, 1.0}; }
  static constexpr Init xavier_uniform(double gain = 1.0) { return {Kind::xavier_uniform, gain}; }
  static constexpr Init xavier_normal(double gain = 1.0) { return {Kind::xavier_normal, gain}; }
  static Init he_uniform(double gain = std::sqrt(2.0)) { return {Kind::he_uniform, gain}; }
  static Init he_normal(double gain = std::sqrt(2.0)) { return {Kind::he_normal, gain}; }

  /// Fills the weights and the bias (bias may be empty).
  template <class T>
  void apply(std::span<T> weights, std::span<T> bias, core::Index fan_in, core::Index fan_out,
             Rng& rng) const {
    const double fi = static_cast<double>(fan_in), fo = static_cast<double>(fan_out);
    switch (kind) {
      case Kind::torch_default: {
        double bound = 1.0 / std::sqrt(fi);
        rng.fill_uniform(weights, -bound, bound);
        rng.fill_uniform(bias, -bound, bound);
        return;
      }
      case Kind::dcgan:
        rng.fill_normal(weights, 0.0, 0.02);
        break;
      case Kind::xavier_uniform: {
        double bound = gain * std::sqrt(6.0 / (fi + fo));
        rng.fill_uniform(weights, -bound, bound);
        break;
      }
      case Kind::xavier_normal:
        rng.fill_normal(weights, 0.0, gain * std::sqrt(2.0 / (fi + fo)));
        break;
      case Kind::he_uniform: {
        double bound = gain * std::sqrt(3.0 / fi);
        rng.fill_uniform(weights, -bound, bound);
        break;
      }
      case Kind::he_normal:
        rng.fill_normal(weights, 0.0, gain / std::sqrt(fi));
        break;
    }
    for (auto& b : bias) b = T(0);
  }
};

}  // namespace gan::layer
