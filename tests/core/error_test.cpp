#include "gan/core/error.hpp"

#include <doctest/doctest.h>

TEST_CASE("GAN_CHECK throws gan::Error with the streamed message") {
  auto f = [](int v) { GAN_CHECK(v > 0, "value must be positive, got ", v); };
  CHECK_NOTHROW(f(1));
  CHECK_THROWS_WITH_AS(f(-3), "value must be positive, got -3", gan::Error);
  try {
    f(0);
  } catch (const std::runtime_error& e) {  // gan::Error is a std::runtime_error
    CHECK(std::string(e.what()) == "value must be positive, got 0");
  }
}
