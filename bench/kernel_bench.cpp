// The kernels under the workloads, layer by layer, at batch 64: each W2 convolution's
// forward pass and both backward passes (input gradient, weight gradient) in GFLOP/s, and
// the element-wise kernels (activations, BatchNorm, the Adam step) in GB/s of the arrays
// they must read and write. At 1 and 2 threads, on bench/timing.hpp's clocks; the SGEMM
// itself is in gemm_bench.cpp.
//
// Names: conv/<layer>/<pass>/threads:T with pass fwd | bwd_input | bwd_weight, and
// <kernel>/threads:T for the element-wise ones. Counters: GFLOPS and peak% (convolutions),
// GBps (element-wise).
#include <benchmark/benchmark.h>

#include <functional>
#include <memory>
#include <string>
#include <tuple>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/layer/batch_norm.hpp"
#include "gan/layer/conv2d.hpp"
#include "gan/layer/conv_transpose2d.hpp"
#include "gan/layer/leaky_relu.hpp"
#include "gan/layer/tanh.hpp"
#include "gan/optim/adam.hpp"
#include "timing.hpp"
#include "workloads.hpp"

namespace {

using gan::Index;
using gan::Shape;
using gan::Tensor;
using gan::bench::clock_seconds;
using gan::bench::train_batch;

/// Runs f under the benchmark loop on `threads` threads, timed on clock_seconds.
void timed_loop(benchmark::State& state, int threads, const std::function<void()>& f) {
  gan::core::ThreadScope scope(threads);
  f();  // warm up: sizes the scratch buffers
  for (auto _ : state) {
    const double start = clock_seconds(threads);
    f();
    state.SetIterationTime(clock_seconds(threads) - start);
  }
}

Tensor<float> random_tensor(Shape s, std::uint64_t seed) {
  Tensor<float> t(s);
  gan::Rng rng(seed, gan::Stream::user);
  rng.fill_uniform(t.span(), -1.0, 1.0);
  return t;
}

/// One W2 convolution layer L with its parameters, input x and an output gradient dy.
template <class L>
struct ConvCase {
  L layer;
  Tensor<float> values, grads, x, y, dy, dx;
  ConvCase(L l, Shape in) : layer(std::move(l)) {
    values = Tensor<float>(gan::core::features(layer.parameter_count(), 1));
    grads = Tensor<float>(values.shape(), 0.0f);
    layer.bind_parameters(values.data(), grads.data());
    gan::Rng rng(3, gan::Stream::init);
    layer.initialize(rng);
    x = random_tensor(in, 4);
    y = Tensor<float>(layer.output_shape(in));
    dy = random_tensor(y.shape(), 5);
    dx = Tensor<float>(in);
  }
  double flops() const {
    return 2.0 * double(train_batch) *
           gan::bench::detail::layer_macs(layer, x.shape().with_batch(1), y.shape().with_batch(1));
  }
};

template <class L>
void register_conv(const std::string& name, L layer, Shape in) {
  for (int pass = 0; pass < 3; ++pass) {
    static const char* passes[] = {"fwd", "bwd_input", "bwd_weight"};
    auto fn = [=](benchmark::State& state) {
      const int threads = int(state.range(0));
      const double peak = gan::bench::fma_peak(threads);
      ConvCase<L> c(layer, in);
      timed_loop(state, threads, [&] {
        if (pass == 0) c.layer.forward(c.x.view(), c.y.view());
        if (pass == 1) c.layer.backward(c.x.view(), c.y.view(), c.dy.view(), c.dx.view());
        if (pass == 2) c.layer.accumulate_grad(c.x.view(), c.dy.view());
      });
      state.counters["GFLOPS"] =
          benchmark::Counter(1e-9 * c.flops(), benchmark::Counter::kIsIterationInvariantRate);
      state.counters["peak%"] =
          benchmark::Counter(100 * c.flops() / peak, benchmark::Counter::kIsIterationInvariantRate);
    };
    benchmark::RegisterBenchmark(("conv/" + name + "/" + passes[pass]).c_str(), fn)
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->UseManualTime();
  }
}

/// An element-wise kernel f over arrays whose traffic is `bytes` a call.
void register_elementwise(const std::string& name, double bytes,
                          std::function<std::function<void()>()> make) {
  benchmark::RegisterBenchmark(name.c_str(),
                               [=](benchmark::State& state) {
                                 auto f = make();
                                 timed_loop(state, int(state.range(0)), f);
                                 state.counters["GBps"] = benchmark::Counter(
                                     1e-9 * bytes, benchmark::Counter::kIsIterationInvariantRate);
                               })
      ->ArgName("threads")
      ->Arg(1)
      ->Arg(2)
      ->UseManualTime();
}

void register_all() {
  using namespace gan::layer;
  using gan::core::features;
  using gan::core::images;
  const Index n = train_batch;
  register_conv("D1_conv_1x28_to_64x14", Conv2d<float>(1, 64, 4, 2, 1), images(n, 1, 28, 28));
  register_conv("D2_conv_64x14_to_128x7", Conv2d<float>(64, 128, 4, 2, 1), images(n, 64, 14, 14));
  register_conv("G1_convT_128x7_to_64x14", ConvTranspose2d<float>(128, 64, 4, 2, 1),
                images(n, 128, 7, 7));
  register_conv("G2_convT_64x14_to_1x28", ConvTranspose2d<float>(64, 1, 4, 2, 1),
                images(n, 64, 14, 14));

  // Activations on W1's widest layer output (64×784) and W2's (64, 64, 14, 14).
  const Shape dense = features(n, 784), image = images(n, 64, 14, 14);
  const double f = sizeof(float);
  register_elementwise("leaky_relu_fwd_64x784", 2 * f * double(dense.size()), [=] {
    auto x = std::make_shared<Tensor<float>>(random_tensor(dense, 1));
    auto y = std::make_shared<Tensor<float>>(dense);
    return [=] { LeakyReLU<float>(0.2).forward(x->view(), y->view()); };
  });
  register_elementwise("leaky_relu_bwd_64x784", 3 * f * double(dense.size()), [=] {
    auto x = std::make_shared<Tensor<float>>(random_tensor(dense, 1));
    auto dy = std::make_shared<Tensor<float>>(random_tensor(dense, 2));
    auto dx = std::make_shared<Tensor<float>>(dense);
    return [=] { LeakyReLU<float>(0.2).backward(x->view(), x->view(), dy->view(), dx->view()); };
  });
  register_elementwise("tanh_fwd_64x784", 2 * f * double(dense.size()), [=] {
    auto x = std::make_shared<Tensor<float>>(random_tensor(dense, 1));
    auto y = std::make_shared<Tensor<float>>(dense);
    return [=] { Tanh<float>().forward(x->view(), y->view()); };
  });
  // BatchNorm on W2's feature maps (forward: read x, write y; backward: read x, dy, write dx):
  // the generator's 64×14×14 and the discriminator's 128×7×7, whose planes are only six
  // SIMD blocks long; and on its widest dense layer (64×6272).
  for (Shape s : {image, images(n, 128, 7, 7), features(n, 128 * 7 * 7)}) {
    const std::string tag = s.h == 1 ? "_64x6272" : s.h == 7 ? "_64x128x7x7" : "_64x64x14x14";
    auto make = [=](bool backward) {
      return [=]() -> std::function<void()> {
        auto bn = std::make_shared<BatchNorm<float>>(s.c);
        auto params = std::make_shared<Tensor<float>>(features(2 * s.c, 1));
        auto grads = std::make_shared<Tensor<float>>(features(2 * s.c, 1), 0.0f);
        auto buffers = std::make_shared<Tensor<float>>(features(2 * s.c, 1));
        bn->bind_parameters(params->data(), grads->data());
        bn->bind_buffers(buffers->data());
        gan::Rng rng;
        bn->initialize(rng);
        auto x = std::make_shared<Tensor<float>>(random_tensor(s, 1));
        auto dy = std::make_shared<Tensor<float>>(random_tensor(s, 2));
        auto y = std::make_shared<Tensor<float>>(s);
        // The arrays the layer is bound to live as long as the returned function.
        if (!backward)
          return
              [=, keep = std::tuple{params, grads, buffers}] { bn->forward(x->view(), y->view()); };
        return [=, keep = std::tuple{params, grads, buffers}] {
          bn->accumulate_grad(x->view(), dy->view());
          bn->backward(x->view(), y->view(), dy->view(), y->view());
        };
      };
    };
    register_elementwise("batch_norm_fwd" + tag, 2 * f * double(s.size()), make(false));
    register_elementwise("batch_norm_bwd" + tag, 3 * f * double(s.size()), make(true));
  }
  // Adam over W2's discriminator (6.6 M parameters): reads θ, g, m, v; writes θ, m, v.
  const Index params = 6'600'000;
  register_elementwise("adam_step_6.6M", 7 * f * double(params), [=] {
    auto p = std::make_shared<Tensor<float>>(random_tensor(features(params, 1), 1));
    auto g = std::make_shared<Tensor<float>>(random_tensor(features(params, 1), 2));
    auto adam = std::make_shared<gan::optim::Adam<float>>();
    adam->reset(params);
    return [=] { adam->step(p->span(), g->span()); };
  });
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
