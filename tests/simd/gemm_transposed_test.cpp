// A small batch's NT product, which gemm computes as its transpose with the large operand
// read in place (computes_transposed, gemm_transposed, gemm_streaming_a), against the NN
// product on a transposed copy of B: the same operations in the same order, so the same
// bits, on one and two threads.
#include "gan/simd/gemm.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <limits>
#include <span>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"

namespace {

using gan::Index;
using gan::simd::Trans;
using Arch = xsimd::default_arch;

struct Product {
  Index m, n, k;
  double alpha, beta;
  bool bias = false;
  Index pad = 0;  // slack added to every leading dimension
};

/// C = alpha·A·Bᵀ + beta·C (+ bias) through gemm's NT entry, and through its NN entry on a
/// copy of B stored transposed; both C must match bit for bit, the slack past n untouched.
template <class T>
void check_same_bits(const Product& p, int threads) {
  CAPTURE(p.m);
  CAPTURE(p.n);
  CAPTURE(p.k);
  CAPTURE(p.alpha);
  CAPTURE(p.beta);
  CAPTURE(p.bias);
  CAPTURE(threads);
  REQUIRE(gan::simd::detail::computes_transposed(Trans::N, Trans::T, p.m, p.n, p.k));
  const Index lda = p.k + p.pad, ldb = p.k + p.pad, ldbt = p.n + p.pad, ldc = p.n + p.pad;
  gan::core::Rng rng(std::uint64_t(p.m * 131 + p.n * 7 + p.k), gan::core::Stream::user);
  std::vector<T> a(std::size_t(p.m * lda)), b(std::size_t(p.n * ldb)), bias(std::size_t(p.n));
  std::vector<T> c(std::size_t(p.m * ldc));
  rng.fill_uniform(std::span<T>(a), -1, 1);
  rng.fill_uniform(std::span<T>(b), -1, 1);
  rng.fill_uniform(std::span<T>(bias), -1, 1);
  if (p.beta == 0) {
    std::fill(c.begin(), c.end(), std::numeric_limits<T>::quiet_NaN());  // never read
  } else {
    rng.fill_uniform(std::span<T>(c), -1, 1);
  }
  for (Index i = 0; i < p.m; ++i) {
    for (Index j = p.n; j < ldc; ++j) c[std::size_t(i * ldc + j)] = T(1234.5);
  }
  std::vector<T> bt(std::size_t(p.k * ldbt), T(0));  // Bᵀ: k×n
  for (Index j = 0; j < p.n; ++j) {
    for (Index q = 0; q < p.k; ++q) bt[std::size_t(q * ldbt + j)] = b[std::size_t(j * ldb + q)];
  }
  const T* with_bias = p.bias ? bias.data() : nullptr;
  std::vector<T> transposed = c, direct = c;
  gan::core::ThreadScope scope(threads);
  gan::simd::gemm(Trans::N, Trans::T, p.m, p.n, p.k, T(p.alpha), a.data(), lda, b.data(), ldb,
                  T(p.beta), transposed.data(), ldc, with_bias);
  gan::simd::gemm(Trans::N, Trans::N, p.m, p.n, p.k, T(p.alpha), a.data(), lda, bt.data(), ldbt,
                  T(p.beta), direct.data(), ldc, with_bias);
  CHECK(std::memcmp(transposed.data(), direct.data(), transposed.size() * sizeof(T)) == 0);
  Index slack_written = 0;
  for (Index i = 0; i < p.m; ++i) {
    for (Index j = p.n; j < ldc; ++j)
      slack_written += transposed[std::size_t(i * ldc + j)] != T(1234.5);
  }
  CHECK(slack_written == 0);
}

}  // namespace

TEST_CASE_TEMPLATE("a small batch's NT product, computed transposed, has the NN product's bits", T,
                   float, double) {
  using B = gan::simd::detail::GemmBlocking<T, Arch>;
  const Index MR = B::MR, NR = B::NR, KC = B::KC;
  for (int threads : {1, 2}) {
    SUBCASE("batches at and off the register tile, every scaling") {
      for (Index m : {Index(1), MR - 1, MR + 3, Index(64)}) {
        for (Index n : {2 * m, 2 * m + NR + 1}) {
          for (Index k : {2 * m + 1, 2 * KC + 3}) {
            check_same_bits<T>({m, n, k, 1.0, 0.0}, threads);
            check_same_bits<T>({m, n, k, 1.0, 0.0, true}, threads);
            check_same_bits<T>({m, n, k, -0.75, 1.0}, threads);
            check_same_bits<T>({m, n, k, 1.5, 0.5}, threads);
            check_same_bits<T>({m, n, k, 1.5, 0.5, true, 3}, threads);
          }
        }
      }
    }
    SUBCASE("the largest batch, several M blocks of streamed rows") {
      check_same_bits<T>({128, 3 * 128 + MR + 1, 300, 1.0, 0.0, true}, threads);
      check_same_bits<T>({128, 2 * 128, 256, 0.5, 1.0}, threads);
    }
    SUBCASE("several groups of packed K blocks") {
      // Two groups and a K block more, whatever the machine's L2.
      const Index m = MR + 1, n = 2 * NR + 3;
      const Index group = gan::simd::detail::streaming_group_blocks<T, Arch>(m, KC);
      const Index k = (2 * group + 1) * KC + 5;
      check_same_bits<T>({m, n, k, 1.0, 0.0}, threads);
      check_same_bits<T>({m, n, k, 1.0, 0.5, true}, threads);
    }
  }
}

TEST_CASE("gemm computes transposed only a small batch against a long and wide B") {
  using gan::simd::detail::computes_transposed;
  CHECK(computes_transposed(Trans::N, Trans::T, 64, 1024, 6272));       // W2's Dense forward
  CHECK(computes_transposed(Trans::N, Trans::T, 64, 256, 784));         // W1's first layer
  CHECK_FALSE(computes_transposed(Trans::N, Trans::T, 64, 256, 64));    // k = m
  CHECK_FALSE(computes_transposed(Trans::N, Trans::T, 256, 784, 784));  // m > 128
  CHECK_FALSE(computes_transposed(Trans::N, Trans::N, 64, 1024, 6272));
  CHECK_FALSE(computes_transposed(Trans::T, Trans::T, 64, 1024, 6272));
}
