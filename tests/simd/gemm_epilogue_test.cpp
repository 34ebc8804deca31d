// gemm's epilogue (an activation applied to each tile of C once complete) against the
// product followed by the activation's own pass over C: bit for bit, on every path of the
// driver and on one and two threads.
#include "gan/simd/epilogue.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <limits>
#include <span>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/simd/elementwise.hpp"
#include "gan/simd/gemm.hpp"

namespace {

using gan::Index;
using gan::simd::Epilogue;
using gan::simd::Trans;

struct Product {
  Trans ta, tb;
  Index m, n, k;
  double alpha = 1, beta = 0;
  bool bias = true;
};

/// C with the epilogue against C from the plain product, then leaky_relu or tanh_forward
/// over it; C's slack columns (ldc > n) stay untouched.
template <class T>
void check_epilogue(const Product& p, const Epilogue<T>& epilogue, int threads) {
  CAPTURE(int(p.ta));
  CAPTURE(int(p.tb));
  CAPTURE(p.m);
  CAPTURE(p.n);
  CAPTURE(p.k);
  CAPTURE(p.beta);
  CAPTURE(int(epilogue.kind));
  CAPTURE(threads);
  const Index lda = (p.ta == Trans::N ? p.k : p.m) + 1, ldb = (p.tb == Trans::N ? p.n : p.k) + 2;
  const Index ldc = p.n + 3;
  gan::core::Rng rng(std::uint64_t(p.m * 1000 + p.n * 10 + p.k), gan::core::Stream::user);
  std::vector<T> a(std::size_t((p.ta == Trans::N ? p.m : p.k) * lda + 1));
  std::vector<T> b(std::size_t((p.tb == Trans::N ? p.k : p.n) * ldb + 1));
  std::vector<T> c(std::size_t(p.m * ldc)), bias(std::size_t(p.n));
  // Values around 0, so that the leaky slope and tanh's both regimes are taken.
  rng.fill_uniform(std::span<T>(a), -1, 1);
  rng.fill_uniform(std::span<T>(b), -1, 1);
  rng.fill_uniform(std::span<T>(c), -1, 1);
  rng.fill_uniform(std::span<T>(bias), -1, 1);
  const T* with_bias = p.bias ? bias.data() : nullptr;
  gan::core::ThreadScope scope(threads);
  std::vector<T> fused = c, plain = c;
  gan::simd::gemm(p.ta, p.tb, p.m, p.n, p.k, T(p.alpha), a.data(), lda, b.data(), ldb, T(p.beta),
                  fused.data(), ldc, with_bias, {}, epilogue);
  gan::simd::gemm(p.ta, p.tb, p.m, p.n, p.k, T(p.alpha), a.data(), lda, b.data(), ldb, T(p.beta),
                  plain.data(), ldc, with_bias);
  for (Index i = 0; i < p.m; ++i) {
    T* row = plain.data() + i * ldc;
    if (epilogue.kind == Epilogue<T>::Kind::leaky) {
      gan::simd::leaky_relu(row, p.n, epilogue.slope, row);
    } else {
      gan::simd::tanh_forward(row, p.n, row);
    }
  }
  CHECK(std::memcmp(fused.data(), plain.data(), fused.size() * sizeof(T)) == 0);
}

}  // namespace

TEST_CASE_TEMPLATE("gemm's epilogue gives the bits of the product and then the activation", T,
                   float, double) {
  using B = gan::simd::detail::GemmBlocking<T, xsimd::default_arch>;
  const Index MR = B::MR, NR = B::NR, KC = B::KC, W = B::W;
  const Product products[] = {
      // Tile edges: rows and columns off the register tile, K over two blocks.
      {Trans::N, Trans::N, 2 * MR + 3, 2 * NR + W / 2 + 1, 2 * KC + 3},
      {Trans::T, Trans::N, MR + 1, NR + 1, 7, -0.75, 1.0},
      {Trans::T, Trans::T, 3, W - 1, KC + 1, 1.5, 0.5, false},
      // A small batch's NT product, computed transposed (computes_transposed).
      {Trans::N, Trans::T, 64, 200, 300},
      {Trans::N, Trans::T, MR + 3, 5 * NR + 1, 3 * MR, 1.0, 0.5},
      // A one-K-block product whose C walks row by row (walks_rows_first).
      {Trans::T, Trans::N, 2 * B::MC + 3,
       Index(4 * gan::simd::detail::gemm_l2_bytes / sizeof(T)) / (2 * B::MC + 3) + NR + 5, 5},
      // k = 0: C = beta·C + bias, then the activation.
      {Trans::N, Trans::T, 9, 21, 0, 1.0, 0.5},
  };
  for (int threads : {1, 2}) {
    for (const Product& p : products) {
      check_epilogue<T>(p, Epilogue<T>::leaky_relu(T(0.2)), threads);
      check_epilogue<T>(p, Epilogue<T>::leaky_relu(T(0)), threads);
      check_epilogue<T>(p, Epilogue<T>::tanh(), threads);
    }
  }
}

TEST_CASE_TEMPLATE("an epilogue applied to any part of an array gives one pass's bits", T, float,
                   double) {
  // Parts that start and end off the SIMD width: every value still takes the vector path.
  std::vector<T> x(203), whole(203), parts(203);
  gan::core::Rng rng(5, gan::core::Stream::user);
  rng.fill_uniform(std::span<T>(x), -3, 3);
  for (const Epilogue<T>& e : {Epilogue<T>::leaky_relu(T(0.1)), Epilogue<T>::tanh()}) {
    whole = x;
    parts = x;
    e.apply(whole.data(), 1, Index(whole.size()), 0);
    for (Index begin = 0; begin < Index(parts.size()); begin += 7) {
      e.apply(parts.data() + begin, 1, std::min<Index>(7, Index(parts.size()) - begin), 0);
    }
    CHECK(std::memcmp(whole.data(), parts.data(), whole.size() * sizeof(T)) == 0);
    if (e.kind == Epilogue<T>::Kind::tanh) {
      std::vector<T> pass(x.size());
      gan::simd::tanh_forward(x.data(), Index(x.size()), pass.data());
      CHECK(std::memcmp(whole.data(), pass.data(), whole.size() * sizeof(T)) == 0);
    }
  }
  const Epilogue<T> none;
  CHECK_FALSE(bool(none));
}
