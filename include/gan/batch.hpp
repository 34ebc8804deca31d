// LabeledBatch: a batch of data with its labels, as data sources hand it to a model.
#pragma once

#include <cstdint>
#include <span>

#include "gan/core/tensor.hpp"

namespace gan {

/// A batch of data with its labels (empty for unconditional models).
template <class T>
struct LabeledBatch {
  ConstView<T> x;
  std::span<const std::int32_t> labels;
};

}  // namespace gan
