// gemm with an untransposed B whose columns lie in groups (simd::ColumnGroups), as a
// convolution reads its batch-first activations: the same bits as on a copy of B with its
// columns side by side.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/simd/gemm.hpp"
#include "gan/simd/gemm_reference.hpp"

namespace {

using gan::Index;
using gan::simd::ColumnGroups;
using gan::simd::Trans;

/// A k×(count·size) operand stored in groups, with slack around each group's rows
/// (ldb > size) and between groups (stride > k·ldb), and the same operand side by side.
template <class T>
struct GroupedB {
  Index k, size, count, ldb, stride;
  std::vector<T> grouped, packed;  // packed: k × (count·size), row-major
  GroupedB(Index k_, Index size_, Index count_, std::uint64_t seed)
      : k(k_), size(size_), count(count_), ldb(size_ + 3), stride(k_ * (size_ + 3) + 5) {
    gan::core::Rng rng(seed, gan::core::Stream::user);
    grouped.resize(std::size_t(count * stride));
    rng.fill_uniform(std::span<T>(grouped), -1, 1);
    const Index n = count * size;
    packed.resize(std::size_t(k * n));
    for (Index p = 0; p < k; ++p) {
      for (Index j = 0; j < n; ++j) {
        packed[std::size_t(p * n + j)] =
            grouped[std::size_t((j / size) * stride + p * ldb + j % size)];
      }
    }
  }
  ColumnGroups groups() const { return {size, stride}; }
};

/// C from the grouped B and C from its side-by-side copy, bit for bit, for both storage
/// orders of A, with and without beta and bias.
template <class T>
void check_same_bits(Index m, Index k, Index size, Index count, int threads) {
  gan::core::ThreadScope scope(threads);
  const Index n = size * count;
  GroupedB<T> b(k, size, count, std::uint64_t(m * 1000 + k * 10 + size));
  gan::core::Rng rng(3, gan::core::Stream::user);
  std::vector<T> a(std::size_t(m * k)), c0(std::size_t(m * n)), bias(std::size_t{0} + n);
  rng.fill_uniform(std::span<T>(a), -1, 1);
  rng.fill_uniform(std::span<T>(c0), -1, 1);
  rng.fill_uniform(std::span<T>(bias), -1, 1);
  for (Trans ta : {Trans::N, Trans::T}) {
    const Index lda = ta == Trans::N ? k : m;
    for (T beta : {T(0), T(0.5)}) {
      for (const T* bias_or_null :
           {static_cast<const T*>(nullptr), static_cast<const T*>(bias.data())}) {
        CAPTURE(ta == Trans::N ? "A as stored" : "A transposed");
        CAPTURE(beta);
        CAPTURE(bias_or_null != nullptr);
        std::vector<T> from_groups = c0, side_by_side = c0, reference = c0;
        gan::simd::gemm(ta, Trans::N, m, n, k, T(1.5), a.data(), lda, b.grouped.data(), b.ldb, beta,
                        from_groups.data(), n, bias_or_null, b.groups());
        gan::simd::gemm(ta, Trans::N, m, n, k, T(1.5), a.data(), lda, b.packed.data(), n, beta,
                        side_by_side.data(), n, bias_or_null);
        CHECK(std::memcmp(from_groups.data(), side_by_side.data(), sizeof(T) * c0.size()) == 0);
        // The oracle takes the groups too. (Its own rounding may differ between two call
        // sites: GCC fuses its multiply-adds or not depending on where it is inlined.)
        std::vector<T> oracle = c0;
        gan::simd::gemm_reference(ta, Trans::N, m, n, k, T(1.5), a.data(), lda, b.grouped.data(),
                                  b.ldb, beta, reference.data(), n, bias_or_null, b.groups());
        gan::simd::gemm_reference(ta, Trans::N, m, n, k, T(1.5), a.data(), lda, b.packed.data(), n,
                                  beta, oracle.data(), n, bias_or_null);
        const T tol = T(4 * (k + 3)) * std::numeric_limits<T>::epsilon();
        std::size_t far = 0;
        for (std::size_t i = 0; i < c0.size(); ++i) {
          const T bound = tol * (T(2) + std::abs(oracle[i]));
          far += std::abs(reference[i] - oracle[i]) > bound;
          far += std::abs(from_groups[i] - oracle[i]) > bound;
        }
        CHECK(far == 0);
      }
    }
  }
}

template <class T>
using Blocking = gan::simd::detail::GemmBlocking<T, xsimd::default_arch>;

}  // namespace

TEST_CASE("ColumnGroups places columns group by group") {
  const ColumnGroups g{3, 10};
  CHECK(g.at(0) == 0);
  CHECK(g.at(2) == 2);
  CHECK(g.at(3) == 10);
  CHECK(g.at(7) == 21);
  CHECK(g.run(0) == 3);
  CHECK(g.run(4) == 2);
  const ColumnGroups part = g.from(4);  // column 4 of g onwards
  CHECK(part.at(0) == g.at(4));
  CHECK(part.at(2) == g.at(6));
  CHECK(part.run(0) == g.run(4));
  const ColumnGroups plain{};
  CHECK(!plain.grouped());
  CHECK(plain.at(17) == 17);
}

TEST_CASE_TEMPLATE("gemm reads grouped columns of B as a copy side by side, bit for bit", T, float,
                   double) {
  const Index MR = Blocking<T>::MR, NR = Blocking<T>::NR, W = Blocking<T>::W;
  const Index KC = Blocking<T>::KC;
  // Group sizes below, at and above a vector and a micropanel, and the 7×7 of a
  // convolution, so that micropanels start and end inside groups and span several.
  for (Index size : {Index(1), Index(3), W - 1, NR - 1, NR, NR + 1, Index(49)}) {
    for (Index count : {1, 2, 5}) {
      for (Index m : {Index(1), MR + 1}) {
        for (Index k : {Index(1), KC + 1}) {
          CAPTURE(size);
          CAPTURE(count);
          CAPTURE(m);
          CAPTURE(k);
          check_same_bits<T>(m, k, size, count, 1);
        }
      }
    }
  }
  SUBCASE("two threads, the split falling inside a group") {
    // 64×(40·49)×128 takes the parallel path; the halves of 1,960 columns meet in group 20.
    REQUIRE(64.0 * 40 * 49 * 128 >= gan::simd::detail::gemm_parallel_min_fmas);
    check_same_bits<T>(64, 128, 49, 40, 2);
    check_same_bits<T>(2 * Blocking<T>::MC + 1, 128, 49, 3, 2);  // split over M
  }
}

TEST_CASE("gemm rejects grouped columns of a transposed B and a short row stride") {
  float x[64] = {};
  CHECK_THROWS_WITH_AS(gan::simd::gemm(Trans::N, Trans::T, 2, 4, 2, 1.0f, x, 2, x, 2, 0.0f, x, 4,
                                       static_cast<const float*>(nullptr), ColumnGroups{2, 8}),
                       "gemm: grouped columns need an untransposed B", gan::Error);
  CHECK_THROWS_WITH_AS(gan::simd::gemm(Trans::N, Trans::N, 2, 4, 2, 1.0f, x, 2, x, 1, 0.0f, x, 4,
                                       static_cast<const float*>(nullptr), ColumnGroups{2, 8}),
                       "gemm: ldb 1 too small", gan::Error);
}
