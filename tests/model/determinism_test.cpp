// Determinism: the same seed gives bit-identical weights on a second run, and at 1 and at
// 2 threads, since every parallel reduction (the GEMM's K blocks, BatchNorm's statistics,
// bias gradients, gradient norms) adds in an order fixed by the shapes, not by the thread
// count. Checked on the W2 DCGAN (convolutions, BatchNorm) and an MLP WGAN-GP (penalty).
#include <doctest/doctest.h>

#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/variants.hpp"

using namespace gan;

namespace {

/// Every weight and buffer of both networks after `steps` steps on random batches of n,
/// trained with `threads` threads.
template <class Model, class Make>
std::vector<float> state_after(Make make, int threads, int steps, Index n) {
  core::ThreadScope scope(threads);
  Model m = make();
  Tensor<float> real(m.generator().output_shape(n));
  Rng rng(21, Stream::data);
  for (int i = 0; i < steps; ++i) {
    rng.fill_uniform(real.span(), -1.0, 1.0);
    m.step(real.view());
  }
  std::vector<float> all;
  for (auto span : {m.generator().parameters(), m.discriminator().parameters(),
                    m.generator().buffers(), m.discriminator().buffers()})
    all.insert(all.end(), span.begin(), span.end());
  return all;
}

template <class Model, class Make>
void check_deterministic(Make make, int steps, Index n) {
  const std::vector<float> one = state_after<Model>(make, 1, steps, n);
  const std::vector<float> two = state_after<Model>(make, 2, steps, n);
  const std::vector<float> again = state_after<Model>(make, 2, steps, n);
  REQUIRE(!one.empty());
  CHECK(two == again);
  CHECK(one == two);
}

}  // namespace

TEST_CASE("DCGAN: bit-identical weights on a second run and at 1 and 2 threads") {
  check_deterministic<DCGAN<>>([] { return DCGAN<>(); }, 2, 16);
}

TEST_CASE("WGAN-GP on MLPs: bit-identical weights on a second run and at 1 and 2 threads") {
  using G = net::MlpGenerator<float>;
  using D = net::MlpDiscriminator<float>;
  auto make = [] {
    auto o = WGAN_GP<G, D>::default_options();
    o.seed = 5;
    return WGAN_GP<G, D>(G(16, 96, 40), D(40, 96), o);
  };
  check_deterministic<WGAN_GP<G, D>>(make, 3, 24);
  // and the seed matters
  auto other = [] {
    auto o = WGAN_GP<G, D>::default_options();
    o.seed = 6;
    return WGAN_GP<G, D>(G(16, 96, 40), D(40, 96), o);
  };
  CHECK(state_after<WGAN_GP<G, D>>(make, 2, 3, 24) != state_after<WGAN_GP<G, D>>(other, 2, 3, 24));
}
