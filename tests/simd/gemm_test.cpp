#include "gan/simd/gemm.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/simd/gemm_reference.hpp"

namespace {

using gan::Index;
using gan::simd::Trans;

constexpr Trans all_trans[] = {Trans::N, Trans::T};

/// One product: sizes, transposes, scalars, the slack added to each leading dimension and
/// whether a bias is added to every row.
struct Case {
  Index m, n, k;
  Trans ta, tb;
  double alpha, beta;
  Index pad = 0;
  bool bias = false;
};

std::string describe(const Case& c) {
  return gan::core::detail::concat(c.ta == Trans::N ? "N" : "T", c.tb == Trans::N ? "N" : "T",
                                   " m=", c.m, " n=", c.n, " k=", c.k, " alpha=", c.alpha,
                                   " beta=", c.beta, " pad=", c.pad, c.bias ? " bias" : "");
}

/// Operands of one case, filled from a seeded stream; C's slack columns (past n) hold a
/// sentinel that gemm must leave alone.
template <class T>
struct Operands {
  Index lda, ldb, ldc;
  std::vector<T> a, b, c, bias;  // bias: n values, or none
  Operands(const Case& s, std::uint64_t seed) {
    Index a_rows = s.ta == Trans::N ? s.m : s.k, a_cols = s.ta == Trans::N ? s.k : s.m;
    Index b_rows = s.tb == Trans::N ? s.k : s.n, b_cols = s.tb == Trans::N ? s.n : s.k;
    lda = a_cols + s.pad;
    ldb = b_cols + s.pad;
    ldc = s.n + s.pad;
    gan::core::Rng rng(seed, gan::core::Stream::user);
    a.resize(std::size_t(std::max<Index>(a_rows * lda, 1)));
    b.resize(std::size_t(std::max<Index>(b_rows * ldb, 1)));
    c.resize(std::size_t(std::max<Index>(s.m * ldc, 1)));
    rng.fill_uniform(std::span<T>(a), -1, 1);
    rng.fill_uniform(std::span<T>(b), -1, 1);
    if (s.bias) {
      bias.resize(std::size_t(s.n));
      rng.fill_uniform(std::span<T>(bias), -1, 1);
    }
    if (s.beta == 0) {
      std::fill(c.begin(), c.end(), std::numeric_limits<T>::quiet_NaN());
    } else {
      rng.fill_uniform(std::span<T>(c), -1, 1);
    }
    for (Index i = 0; i < s.m; ++i) {
      for (Index j = s.n; j < ldc; ++j) c[std::size_t(i * ldc + j)] = T(1234.5);
    }
  }
  const T* bias_or_null() const { return bias.empty() ? nullptr : bias.data(); }
};

/// Runs gemm on one case and checks it against gemm_reference element by element, within
/// (k + 3)·eps·(|alpha|·Σ|a||b| + |beta·c| + |bias|): the error bound of a k-term dot
/// product and the two additions after it.
template <class T>
void check_case(const Case& s, std::uint64_t seed) {
  CAPTURE(describe(s));
  Operands<T> o(s, seed);
  const T alpha = T(s.alpha), beta = T(s.beta);
  std::vector<T> expect = o.c, bound(o.c.size(), T(0));
  gan::simd::gemm_reference(s.ta, s.tb, s.m, s.n, s.k, alpha, o.a.data(), o.lda, o.b.data(), o.ldb,
                            beta, expect.data(), o.ldc, o.bias_or_null());
  std::vector<T> abs_a(o.a.size()), abs_b(o.b.size());
  for (std::size_t i = 0; i < o.a.size(); ++i) abs_a[i] = std::abs(o.a[i]);
  for (std::size_t i = 0; i < o.b.size(); ++i) abs_b[i] = std::abs(o.b[i]);
  gan::simd::gemm_reference(s.ta, s.tb, s.m, s.n, s.k, std::abs(alpha), abs_a.data(), o.lda,
                            abs_b.data(), o.ldb, T(0), bound.data(), o.ldc);
  std::vector<T> got = o.c;
  gan::simd::gemm(s.ta, s.tb, s.m, s.n, s.k, alpha, o.a.data(), o.lda, o.b.data(), o.ldb, beta,
                  got.data(), o.ldc, o.bias_or_null());
  const T eps = std::numeric_limits<T>::epsilon();
  Index bad = 0;
  for (Index i = 0; i < s.m; ++i) {
    for (Index j = 0; j < o.ldc; ++j) {
      const std::size_t at = std::size_t(i * o.ldc + j);
      if (j >= s.n) {
        if (got[at] != T(1234.5)) ++bad;  // slack past n is never written
        continue;
      }
      const T c0 = beta == T(0) ? T(0) : std::abs(beta * o.c[at]);
      const T b0 = s.bias ? std::abs(o.bias[std::size_t(j)]) : T(0);
      const T tol = T(s.k + 3) * eps * (bound[at] + c0 + b0) + std::numeric_limits<T>::min();
      if (!(std::abs(got[at] - expect[at]) <= tol)) {
        if (bad == 0) {
          CAPTURE(i);
          CAPTURE(j);
          CHECK(got[at] == doctest::Approx(expect[at]));
        }
        ++bad;
      }
    }
  }
  CHECK(bad == 0);
}

/// Every combination of the given sizes with the four transposes.
template <class T>
void check_grid(const std::vector<Index>& ms, const std::vector<Index>& ns,
                const std::vector<Index>& ks, double alpha, double beta, Index pad,
                bool bias = false) {
  std::uint64_t seed = 1;
  for (Trans ta : all_trans) {
    for (Trans tb : all_trans) {
      for (Index m : ms) {
        for (Index n : ns) {
          for (Index k : ks) check_case<T>({m, n, k, ta, tb, alpha, beta, pad, bias}, seed++);
        }
      }
    }
  }
}

/// Sizes around a block boundary b: b−1, b, b+1.
std::vector<Index> around(Index b) {
  return {b - 1, b, b + 1};
}

template <class T>
using Blocking = gan::simd::detail::GemmBlocking<T, xsimd::default_arch>;

template <class T>
void check_edges(int threads) {
  gan::core::ThreadScope scope(threads);
  using B = Blocking<T>;
  const Index MR = B::MR, NR = B::NR, W = B::W, KC = B::KC;
  // Register-tile edges: every M and N sub-tile, K below, at and above KC and a few KCs.
  const std::vector<Index> ms = {0, 1, MR - 1, MR, MR + 1, 2 * MR + 3};
  const std::vector<Index> ns = {0, 1, W - 1, W + 1, NR - 1, NR, NR + 1, 2 * NR + 5};
  const std::vector<Index> ks = {0, 1, 3, KC - 1, KC, KC + 1, 2 * KC + 3};
  for (auto [alpha, beta] : {std::pair{1.0, 0.0}, {-0.75, 1.0}, {1.5, 0.5}}) {
    SUBCASE(gan::core::detail::concat("alpha ", alpha, " beta ", beta).c_str()) {
      check_grid<T>(ms, ns, ks, alpha, beta, 0);
    }
  }
  for (auto [alpha, beta] : {std::pair{1.0, 0.0}, {-0.75, 1.0}, {1.5, 0.5}}) {
    SUBCASE(gan::core::detail::concat("alpha ", alpha, " beta ", beta, " with a bias").c_str()) {
      check_grid<T>(ms, ns, ks, alpha, beta, 0, true);
    }
  }
  SUBCASE("leading dimensions larger than the sizes") {
    check_grid<T>({1, MR + 1}, {W + 1, NR + 3}, {5, KC + 1}, 0.5, 0.5, 7);
  }
  SUBCASE("cache blocks MC and NC") {
    check_grid<T>(around(B::MC), {NR + 1}, {KC + 1}, 1.25, 0.5, 1);
    check_grid<T>({MR + 1}, around(B::NC), {7}, 1.25, 0.0, 1);
  }
  SUBCASE("tiles walked row by row: one K block and a C over 4 L2s") {
    const Index m = 2 * B::MC + 3;
    const Index n = Index(4 * gan::simd::detail::gemm_l2_bytes / sizeof(T)) / m + NR + 5;
    REQUIRE(gan::simd::detail::walks_rows_first<T, xsimd::default_arch>(m, n, 5));
    check_grid<T>({m}, {n}, {5}, 1.25, 0.5, 1);
    check_grid<T>({m}, {n}, {3}, 1.0, 0.0, 0, true);
  }
  SUBCASE("groups of K blocks") {
    // A quarter of MC rows, and a K of a group of K blocks and two blocks more.
    const Index m = B::MC / 4 + 1;
    const Index group = gan::simd::detail::k_group_blocks<T, xsimd::default_arch>(
        Trans::T, gan::simd::detail::round_up(m, MR), KC);
    const Index k = (group + 1) * KC + 1;
    check_grid<T>({m}, {NR + 1, 2 * NR + 3}, {k}, 1.25, 0.5, 1);
    check_grid<T>({m - 2}, {NR}, {k}, 1.0, 0.0, 0, true);
  }
}

}  // namespace

TEST_CASE("gemm runs on the instruction set the build targets") {
  const std::string arch = xsimd::default_arch::name();
  MESSAGE("xsimd::default_arch = ", arch, ", float tile ", Blocking<float>::MR, "x",
          Blocking<float>::NR, ", KC ", Blocking<float>::KC, ", MC ", Blocking<float>::MC, ", NC ",
          Blocking<float>::NC);
#if defined(__AVX512BW__)
  CHECK(arch == "avx512bw");
  CHECK(Blocking<float>::MR == 8);
  CHECK(Blocking<float>::NR == 32);
#elif defined(__AVX2__) && defined(__FMA__)
  CHECK(arch == "fma3+avx2");
  CHECK(Blocking<float>::MR == 6);
  CHECK(Blocking<float>::NR == 16);
#elif defined(__SSE2__) && !defined(__SSE3__)
  CHECK(arch == "sse2");
  CHECK(Blocking<float>::MR == 4);
  CHECK(Blocking<float>::NR == 8);
#endif
  CHECK(gan::simd::detail::gemm_has_fast_path<float>);
  CHECK(gan::simd::detail::gemm_has_fast_path<double>);
}

TEST_CASE_TEMPLATE("gemm matches the reference at every tile and block edge", T, float, double) {
  SUBCASE("one thread") {
    check_edges<T>(1);
  }
  SUBCASE("two threads") {
    check_edges<T>(2);
  }
}

TEST_CASE_TEMPLATE("gemm gives bit-identical results on 1 and 2 threads", T, float, double) {
  // Large enough to take the parallel path, split over N (m ≤ n) and over M (m > n); odd
  // sizes put tile edges inside every thread's share.
  const Case cases[] = {{64, 784, 256, Trans::N, Trans::T, 1, 0},
                        {256, 784, 64, Trans::T, Trans::N, 1, 1},
                        {64, 256, 784, Trans::N, Trans::N, 1, 0},
                        {301, 67, 131, Trans::T, Trans::T, -0.5, 0.5},
                        {67, 301, 131, Trans::N, Trans::T, 2, 0},
                        {64, 784, 256, Trans::N, Trans::T, 1, 0, 0, true},
                        {301, 67, 131, Trans::N, Trans::N, 1, 0.5, 0, true}};
  for (const Case& s : cases) {
    CAPTURE(describe(s));
    REQUIRE(double(s.m) * double(s.n) * double(s.k) >= gan::simd::detail::gemm_parallel_min_fmas);
    Operands<T> o(s, 7);
    std::vector<T> one = o.c, two = o.c;
    {
      gan::core::ThreadScope scope(1);
      gan::simd::gemm(s.ta, s.tb, s.m, s.n, s.k, T(s.alpha), o.a.data(), o.lda, o.b.data(), o.ldb,
                      T(s.beta), one.data(), o.ldc, o.bias_or_null());
    }
    {
      gan::core::ThreadScope scope(2);
      gan::simd::gemm(s.ta, s.tb, s.m, s.n, s.k, T(s.alpha), o.a.data(), o.lda, o.b.data(), o.ldb,
                      T(s.beta), two.data(), o.ldc, o.bias_or_null());
    }
    CHECK(std::memcmp(one.data(), two.data(), one.size() * sizeof(T)) == 0);
    check_case<T>(s, 7);
  }
}

TEST_CASE(
    "gemm with alpha = 0 or k = 0 scales C by beta and adds the bias, reading neither A nor B") {
  std::vector<float> c(6, std::numeric_limits<float>::quiet_NaN());
  const float* none = nullptr;
  gan::simd::gemm(Trans::N, Trans::N, 2, 3, 0, 1.0f, none, 0, none, 3, 0.0f, c.data(), 3);
  for (float v : c) CHECK(v == 0.0f);
  std::fill(c.begin(), c.end(), 2.0f);
  std::vector<float> a(8, std::numeric_limits<float>::quiet_NaN());
  gan::simd::gemm(Trans::N, Trans::T, 2, 3, 4, 0.0f, a.data(), 4, a.data(), 4, 0.5f, c.data(), 3);
  for (float v : c) CHECK(v == 1.0f);
  const float bias[3] = {1.0f, -2.0f, 0.5f};
  gan::simd::gemm(Trans::N, Trans::N, 2, 3, 0, 1.0f, none, 0, none, 3, 2.0f, c.data(), 3, bias);
  for (int i = 0; i < 6; ++i) CHECK(c[std::size_t(i)] == 2.0f + bias[i % 3]);
}

TEST_CASE("gemm allocates nothing once its buffers have grown") {
  std::vector<float> a(64 * 256, 0.5f), b(256 * 128, 0.25f), c(64 * 128);
  auto run = [&] {
    gan::simd::gemm(Trans::N, Trans::T, 64, 128, 256, 1.0f, a.data(), 256, b.data(), 256, 0.0f,
                    c.data(), 128);
  };
  run();
  const long long before = gan::core::allocation_count();
  for (int i = 0; i < 3; ++i) run();
  CHECK(gan::core::allocation_count() == before);
  CHECK(c[0] == doctest::Approx(256 * 0.125));
}

TEST_CASE("gemm rejects negative sizes and short leading dimensions") {
  float x = 0;
  CHECK_THROWS_WITH_AS(
      gan::simd::gemm(Trans::N, Trans::N, -1, 1, 1, 1.0f, &x, 1, &x, 1, 0.0f, &x, 1),
      "gemm: negative size -1x1x1", gan::Error);
  CHECK_THROWS_WITH_AS(
      gan::simd::gemm(Trans::N, Trans::N, 2, 2, 3, 1.0f, &x, 2, &x, 2, 0.0f, &x, 2),
      "gemm: lda 2 too small", gan::Error);
  CHECK_THROWS_WITH_AS(
      gan::simd::gemm(Trans::N, Trans::T, 2, 2, 3, 1.0f, &x, 3, &x, 2, 0.0f, &x, 2),
      "gemm: ldb 2 too small", gan::Error);
  CHECK_THROWS_WITH_AS(
      gan::simd::gemm(Trans::T, Trans::N, 2, 4, 3, 1.0f, &x, 2, &x, 4, 0.0f, &x, 3),
      "gemm: ldc 3 too small", gan::Error);
}
