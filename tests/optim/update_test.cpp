#include "gan/optim/update.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/optim/adam.hpp"

using gan::Index;

namespace {

// A map with a state array and a root, as the optimizers' updates have.
template <class V>
void kernel(V g, V& p, V& s) {
  s = s * V(0.5) + g * g;
  p = p - g / (xsimd::sqrt(s) + V(0.125));
}

template <class T>
void check_against_scalar_loop(Index n) {
  CAPTURE(n);
  gan::Rng rng(3, gan::Stream::user);
  std::vector<T> g(n), p(n), s(n);
  rng.fill_uniform(std::span<T>(g), -1, 1);
  rng.fill_uniform(std::span<T>(p), -1, 1);
  rng.fill_uniform(std::span<T>(s), 0, 1);
  std::vector<T> p_ref = p, s_ref = s;
  for (Index i = 0; i < n; ++i) kernel<T>(g[i], p_ref[i], s_ref[i]);
  gan::optim::detail::update([](auto gv, auto& pv, auto& sv) { kernel(gv, pv, sv); }, n, g.data(),
                             p.data(), s.data());
  for (Index i = 0; i < n; ++i) {
    CHECK(p[i] == doctest::Approx(p_ref[i]).epsilon(1e-6));
    CHECK(s[i] == doctest::Approx(s_ref[i]).epsilon(1e-6));
  }
}

}  // namespace

TEST_CASE("update covers the batches and the scalar tail") {
  constexpr Index wf = xsimd::batch<float>::size, wd = xsimd::batch<double>::size;
  for (Index n : {Index(0), Index(1), wf - 1, wf, wf + 1, 3 * wf + 5})
    check_against_scalar_loop<float>(n);
  for (Index n : {Index(1), wd - 1, wd + 1, 5 * wd + 3}) check_against_scalar_loop<double>(n);
}

TEST_CASE("an optimizer step does not depend on the thread count") {
  // Large enough to be split between threads; odd so that a tail remains.
  const Index n = 3 * gan::optim::detail::parallel_threshold + 7;
  gan::Rng rng(9, gan::Stream::user);
  std::vector<float> g(n), p(n);
  rng.fill_normal(std::span<float>(g));
  rng.fill_normal(std::span<float>(p));
  auto run = [&](int threads) {
    gan::core::ThreadScope scope(threads);
    gan::optim::Adam<float> opt({.lr = 0.01, .beta1 = 0.5});
    std::vector<float> q = p;
    for (int k = 0; k < 3; ++k) opt.step(q, g);
    return q;
  };
  const auto one = run(1), two = run(2), three = run(3);
  CHECK(one == two);
  CHECK(one == three);
  CHECK(one != p);
}
