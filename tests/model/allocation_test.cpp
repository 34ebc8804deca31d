// A training step of the speed workloads (WORKLOADS.md: W1 MLP GAN, W2 DCGAN, W3 WGAN-GP)
// allocates nothing after the first: neither tensors (core::allocation_count) nor anything
// else through operator new, which this file replaces for the model test program to count
// calls. At 1 and at 2 threads, since each thread keeps its own packing and index buffers.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "gan/core/aligned.hpp"
#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/variants.hpp"

namespace {
std::atomic<long long> g_news{0};
}  // namespace

// Not inlined (nor the deletes): GCC would otherwise see malloc() meet operator delete at
// a call site and warn (-Wmismatched-new-delete), not knowing the operators are replaced
// together.
[[gnu::noinline]] void* operator new(std::size_t n) {
  g_news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

using namespace gan;

namespace {

/// Steps `model` once on random data in [−1, 1] of the generator's output shape (batch n),
/// then `steps` more, and checks that those allocated nothing.
template <class Model>
void check_steps_allocate_nothing(Model& model, Index n, int steps = 3) {
  Tensor<float> real(model.generator().output_shape(n));
  Rng rng(11, Stream::data);
  rng.fill_uniform(real.span(), -1.0, 1.0);
  model.step(real.view());
  const long long tensors = core::allocation_count();
  const long long news = g_news.load();
  for (int i = 0; i < steps; ++i) model.step(real.view());
  CHECK(core::allocation_count() - tensors == 0);
  CHECK(g_news.load() - news == 0);
}

}  // namespace

TEST_CASE("the operator new probe counts") {
  // Through a volatile pointer: a new-expression whose result goes nowhere may be elided.
  static int* volatile escaped = nullptr;
  const long long before = g_news.load();
  escaped = new int(3);
  delete escaped;
  CHECK(g_news.load() - before == 1);
}

TEST_CASE("W1: an MLP GAN step allocates nothing after the first") {
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    core::ThreadScope scope(threads);
    NSGAN<net::MlpGenerator<float>, net::MlpDiscriminator<float>> m(
        net::MlpGenerator<float>(64, 256, 784), net::MlpDiscriminator<float>(784, 256));
    check_steps_allocate_nothing(m, 64);
  }
}

TEST_CASE("W2: a DCGAN step allocates nothing after the first") {
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    core::ThreadScope scope(threads);
    DCGAN<> m;
    check_steps_allocate_nothing(m, 16, 2);
  }
}

TEST_CASE("W3: a WGAN-GP step (5 critic steps) allocates nothing after the first") {
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    core::ThreadScope scope(threads);
    WGAN_GP<net::MlpGenerator<float>, net::MlpDiscriminator<float>> m(
        net::MlpGenerator<float>(64, 256, 784), net::MlpDiscriminator<float>(784, 256));
    check_steps_allocate_nothing(m, 64, 2);
  }
}
