// Mixture: an equal-weight mixture of isotropic Gaussians, the description of the toy
// data sets (data/toy.hpp) that samplers and the mode-coverage metrics share.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"

namespace gan::data {

/// K Gaussians in `dim` dimensions, each with standard deviation `sigma` in every
/// coordinate, drawn with equal probability 1/K.
struct Mixture {
  std::string name;
  Index dim = 0;
  double sigma = 0;
  std::vector<double> centres;  // (K, dim)

  /// Number of components K.
  Index modes() const { return dim > 0 ? static_cast<Index>(centres.size()) / dim : 0; }
  /// Centre of component k (dim values).
  std::span<const double> centre(Index k) const {
    GAN_CHECK(k >= 0 && k < modes(), "mixture ", name, ": component ", k, " of ", modes());
    return std::span<const double>(centres).subspan(static_cast<std::size_t>(k * dim),
                                                    static_cast<std::size_t>(dim));
  }
  /// Checks that the description is usable: dim ≥ 1, sigma > 0, K ≥ 1 whole centres.
  void validate() const {
    GAN_CHECK(dim >= 1, "mixture ", name, ": dimension ", dim, ": expected >= 1");
    GAN_CHECK(sigma > 0, "mixture ", name, ": sigma ", sigma, ": expected > 0");
    GAN_CHECK(!centres.empty() && static_cast<Index>(centres.size()) % dim == 0, "mixture ", name,
              ": ", centres.size(), " centre coordinates: expected a positive multiple of ", dim);
  }
};

}  // namespace gan::data
