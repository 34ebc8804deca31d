#include "gan/core/tensor.hpp"

#include <doctest/doctest.h>

#include <cstdint>

using gan::Tensor;
using gan::core::features;
using gan::core::images;

TEST_CASE("Tensor is 64-byte aligned and zero-filled") {
  Tensor<float> t(images(2, 3, 5, 7));
  CHECK(reinterpret_cast<std::uintptr_t>(t.data()) % 64 == 0);
  CHECK(t.size() == 2 * 3 * 5 * 7);
  CHECK(t.features() == 105);
  for (float v : t.span()) CHECK(v == 0.0f);
  Tensor<double> d(features(3, 3), 1.5);
  CHECK(reinterpret_cast<std::uintptr_t>(d.data()) % 64 == 0);
  CHECK(d(2, 2) == 1.5);
}

TEST_CASE("Tensor indexing is row-major, batch first, w fastest") {
  Tensor<int> t(images(2, 3, 4, 5));
  for (gan::Index k = 0; k < t.size(); ++k) t[k] = static_cast<int>(k);
  CHECK(t(1, 2, 3, 4) == ((1 * 3 + 2) * 4 + 3) * 5 + 4);
  CHECK(t(1, 7) == 60 + 7);
  auto v = t.view().rows(1, 1);
  CHECK(v.n() == 1);
  CHECK(v(0, 0) == 60);
  CHECK(t.matrix()(1, 7) == 67);
}

TEST_CASE("Tensor resize keeps the buffer when it fits") {
  Tensor<float> t(features(64, 784));
  const float* p = t.data();
  long long before = gan::core::allocation_count();
  t.resize(features(32, 784));
  t.resize(features(64, 784));
  CHECK(t.data() == p);
  CHECK(gan::core::allocation_count() == before);
  t.resize(features(65, 784));
  CHECK(gan::core::allocation_count() == before + 1);

  // A moved-from tensor is empty and allocates again when resized.
  Tensor<float> u = std::move(t);
  CHECK(u.data() != nullptr);
  CHECK(u.size() == 65 * 784);
  CHECK(t.size() == 0);
  CHECK(t.capacity() == 0);
  CHECK(t.span().empty());
  t.resize(features(2, 3));
  t.fill(1.0f);
  CHECK(t[5] == 1.0f);
  CHECK(gan::core::allocation_count() == before + 2);
}

TEST_CASE("views convert to const and check reshapes") {
  Tensor<float> t(images(2, 1, 2, 2), 3.0f);
  gan::ConstView<float> c = t.view();
  CHECK(c[7] == 3.0f);
  auto r = t.view().reshaped(features(2, 4));
  CHECK(r.features() == 4);
  CHECK_THROWS_WITH_AS(t.view().reshaped(features(3, 4)),
                       "reshape from 2x1x2x2 to 3x4 changes the number of values", gan::Error);
  Tensor<float> copy = t;
  CHECK(copy.data() != t.data());
  CHECK(copy[3] == 3.0f);
}
