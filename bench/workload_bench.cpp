// The speed workloads of WORKLOADS.md: W1 (MLP GAN), W2 (DCGAN on 28×28), W3 (WGAN-GP on
// the MLPs) in iterations per second, W4 (sampling from W1's and W2's generators at batch
// 256) in samples per second, at 1 and 2 threads, with the useful GFLOP/s of each
// (bench/workloads.hpp) and their share of the FMA peak measured by the same program.
//
// Benchmark names: W1/threads:1, W4_dcgan/threads:2, fma_peak/threads:1, ... Counters:
//   rate    iterations (W1–W3) or samples (W4) per second
//   GFLOPS  useful operations per second, in 10⁹
//   peak%   GFLOPS over the FMA peak at the same thread count on the same clock
//   flops   useful operations of one iteration (W4: of one batch of 256 samples)
// Timed on bench/timing.hpp's clocks (process CPU time at 1 thread, wall time at 2)
// through manual timing, after two untimed warm-up iterations. Run one workload a process
// (--benchmark_filter=W2/threads:1) to read its peak resident memory, as bench/compare does.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "fma_peak.hpp"
#include "gan/core/parallel.hpp"
#include "timing.hpp"
#include "workloads.hpp"

namespace {

using namespace gan::bench;

/// The workload of type W for `threads` threads, built and warmed up (two iterations, the
/// first of which sizes every buffer) on first use, then kept: Google Benchmark calls a
/// benchmark several times while it settles on an iteration count.
template <class W>
W& workload(int threads) {
  static std::map<int, std::unique_ptr<W>> made;
  std::unique_ptr<W>& w = made[threads];
  if (!w) {
    w = std::make_unique<W>();
    w->step();
    w->step();
  }
  return *w;
}

template <class Workload>
void run(benchmark::State& state, double items_per_iteration) {
  const int threads = int(state.range(0));
  const double peak = fma_peak(threads);
  gan::core::ThreadScope scope(threads);
  Workload& w = workload<Workload>(threads);
  const double flops = w.flops();
  double total = 0;
  for (auto _ : state) {
    const double start = clock_seconds(threads);
    w.step();
    const double seconds = clock_seconds(threads) - start;
    state.SetIterationTime(seconds);
    total += seconds;
  }
  const double iterations = double(state.iterations());
  state.counters["rate"] = items_per_iteration * iterations / total;
  state.counters["GFLOPS"] = 1e-9 * flops * iterations / total;
  state.counters["peak%"] = 100 * flops * iterations / total / peak;
  state.counters["flops"] = flops;
}

void fma_peak_bench(benchmark::State& state) {
  const int threads = int(state.range(0));
  double flops = 0, total = 0;
  for (auto _ : state) {
    const double start = clock_seconds(threads);
    flops += fma_peak_run(1 << 20, threads);
    const double seconds = clock_seconds(threads) - start;
    state.SetIterationTime(seconds);
    total += seconds;
  }
  state.counters["GFLOPS"] = 1e-9 * flops / total;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  auto add = [](const char* name, void (*fn)(benchmark::State&)) {
    return benchmark::RegisterBenchmark(name, fn)
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  };
  add("fma_peak", fma_peak_bench)->MinTime(0.2);
  // The workloads take --benchmark_min_time (0.5 s by default).
  add("W1", [](benchmark::State& s) { run<W1>(s, 1); });
  add("W2", [](benchmark::State& s) { run<W2>(s, 1); });
  add("W3", [](benchmark::State& s) { run<W3>(s, 1); });
  add("W4_mlp", [](benchmark::State& s) { run<W4Mlp>(s, double(sample_batch)); });
  add("W4_dcgan", [](benchmark::State& s) { run<W4Dcgan>(s, double(sample_batch)); });
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
