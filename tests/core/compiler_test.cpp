// The build's compiler flags produce correct vector constants: GCC 12 with AVX-512
// miscompiles them unless the SLP vectorizer is off (cmake/GanCompilerChecks.cmake).
#include <doctest/doctest.h>

#include <vector>

TEST_CASE("vector constants with a zero upper half are built correctly") {
  std::vector<double> v{1, 1, 1, 1, 0, 0, 0, 0};
  std::vector<long> w{7, 7, 0, 0};
  std::vector<float> f{3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK(v[4] == 0.0);
  CHECK(v[7] == 0.0);
  CHECK(w[2] == 0);
  CHECK(w[3] == 0);
  CHECK(f[8] == 0.0f);
  CHECK(f[15] == 0.0f);
}
