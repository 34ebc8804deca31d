// GEMM throughput: gan::simd::gemm against OpenBLAS's cblas_sgemm and Eigen's product, in
// GFLOP/s, on the shapes the nets run (forward, input gradient and weight gradient of the
// MLP layers 64→256→256→784 and 784→256→256→1 at batch 64) and on squares, at 1 and 2
// threads, with the register-only FMA peak beside them.
//
// Arguments of each benchmark: trans (0 = NN, 1 = NT, 2 = TN), M, K, N, threads. Counters:
// FLOPS (2·M·N·K per call, as a rate), peak% (that rate over the FMA peak measured at the
// same thread count when the program starts) and sets (operand copies rotated, see
// Operands). Timed on bench/timing.hpp's clocks: process CPU time at one thread, so that
// other programs on a shared machine slow the figures less; wall time at two.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>
#include "gan/core/eigen.hpp"

#include "fma_peak.hpp"
#include "gan/core/aligned.hpp"
#include "gan/core/parallel.hpp"
#include "gan/simd/gemm.hpp"
#include "timing.hpp"

#if defined(GAN_BENCH_OPENBLAS)
#include <cblas.h>
#endif

namespace {

using gan::Index;
using gan::simd::Trans;

using gan::bench::clock_seconds;
using gan::bench::fma_peak;

/// One-thread runs are timed in the process's CPU time, the others in wall time (see
/// clock_seconds).
benchmark::internal::Benchmark* timed(benchmark::internal::Benchmark* b, int threads) {
  return threads == 1 ? b->MeasureProcessCPUTime() : b->UseRealTime();
}

/// Operands of one shape. When one set of A, B and C is larger than twice L2, several
/// copies are made (64 MiB in all) and each call uses the next, so that a call starts with
/// its operands out of the private caches, as in a net whose layers evict each other.
struct Operands {
  Trans ta, tb;
  Index m, k, n, lda, ldb, ldc;
  std::size_t a_size, b_size, c_size;
  int sets = 1;
  gan::core::AlignedBuffer<float> a, b, c;
  int next = 0;

  explicit Operands(const benchmark::State& state)
      : ta(state.range(0) & 2 ? Trans::T : Trans::N),
        tb(state.range(0) & 1 ? Trans::T : Trans::N),
        m(state.range(1)),
        k(state.range(2)),
        n(state.range(3)),
        lda(ta == Trans::N ? k : m),
        ldb(tb == Trans::N ? n : k),
        ldc(n),
        a_size(std::size_t(m * k)),
        b_size(std::size_t(k * n)),
        c_size(std::size_t(m * n)) {
    const std::size_t bytes = (a_size + b_size + c_size) * sizeof(float);
    long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    if (l2 <= 0) l2 = 1 << 20;
    if (bytes > 2 * std::size_t(l2))
      sets = int(std::clamp<std::size_t>((64u << 20) / bytes, 1, 64));
    a = gan::core::allocate_aligned<float>(a_size * std::size_t(sets));
    b = gan::core::allocate_aligned<float>(b_size * std::size_t(sets));
    c = gan::core::allocate_aligned<float>(c_size * std::size_t(sets));
    for (std::size_t i = 0; i < a_size * std::size_t(sets); ++i) a[i] = float(i % 17) * 0.01f;
    for (std::size_t i = 0; i < b_size * std::size_t(sets); ++i) b[i] = float(i % 13) * 0.01f;
    std::fill(c.get(), c.get() + c_size * std::size_t(sets), 0.0f);
  }
  const float* a_set() const { return a.get() + a_size * std::size_t(next); }
  const float* b_set() const { return b.get() + b_size * std::size_t(next); }
  float* c_set() { return c.get() + c_size * std::size_t(next); }
  void advance() { next = (next + 1) % sets; }
};

/// Sets the counters of a GEMM benchmark whose loop started at clock_seconds(threads) =
/// start: FLOPS (a rate over the benchmark's own clock), peak% (the same rate, timed on
/// the same clock, over the FMA peak) and sets (operand copies rotated).
void finish(benchmark::State& state, const Operands& o, int threads, double start) {
  const double seconds = clock_seconds(threads) - start;
  const double flops = 2.0 * double(o.m) * double(o.n) * double(o.k);
  state.counters["FLOPS"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak%"] = 100 * flops * double(state.iterations()) / seconds / fma_peak(threads);
  state.counters["sets"] = o.sets;
}

void gan_sgemm(benchmark::State& state) {
  Operands o(state);
  const int threads = int(state.range(4));
  fma_peak(threads);
  gan::core::ThreadScope scope(threads);
  const double start = clock_seconds(threads);
  for (auto _ : state) {
    gan::simd::gemm(o.ta, o.tb, o.m, o.n, o.k, 1.0f, o.a_set(), o.lda, o.b_set(), o.ldb, 0.0f,
                    o.c_set(), o.ldc);
    benchmark::ClobberMemory();
    o.advance();
  }
  finish(state, o, threads, start);
}

#if defined(GAN_BENCH_OPENBLAS)
void openblas_sgemm(benchmark::State& state) {
  Operands o(state);
  const int threads = int(state.range(4));
  fma_peak(threads);
  openblas_set_num_threads(threads);
  const double start = clock_seconds(threads);
  for (auto _ : state) {
    cblas_sgemm(CblasRowMajor, o.ta == Trans::N ? CblasNoTrans : CblasTrans,
                o.tb == Trans::N ? CblasNoTrans : CblasTrans, blasint(o.m), blasint(o.n),
                blasint(o.k), 1.0f, o.a_set(), blasint(o.lda), o.b_set(), blasint(o.ldb), 0.0f,
                o.c_set(), blasint(o.ldc));
    benchmark::ClobberMemory();
    o.advance();
  }
  finish(state, o, threads, start);
  state.SetLabel(openblas_get_corename());
  // OpenBLAS's workers spin for a while after a call; on two shared cores they would take
  // the core the next benchmark's second thread needs. Let them go to sleep first.
  if (threads > 1) std::this_thread::sleep_for(std::chrono::milliseconds(300));
}
#endif

void eigen_product(benchmark::State& state) {
  using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Map = Eigen::Map<Matrix>;
  using ConstMap = Eigen::Map<const Matrix>;
  Operands o(state);
  const int threads = int(state.range(4));
  fma_peak(threads);
  Eigen::setNbThreads(threads);
  const double start = clock_seconds(threads);
  for (auto _ : state) {
    // Stored shapes: A is m×k (N) or k×m (T), B is k×n (N) or n×k (T).
    ConstMap a(o.a_set(), o.ta == Trans::N ? o.m : o.k, o.ta == Trans::N ? o.k : o.m);
    ConstMap b(o.b_set(), o.tb == Trans::N ? o.k : o.n, o.tb == Trans::N ? o.n : o.k);
    Map c(o.c_set(), o.m, o.n);
    if (o.ta == Trans::N && o.tb == Trans::N) c.noalias() = a * b;
    if (o.ta == Trans::N && o.tb == Trans::T) c.noalias() = a * b.transpose();
    if (o.ta == Trans::T && o.tb == Trans::N) c.noalias() = a.transpose() * b;
    if (o.ta == Trans::T && o.tb == Trans::T) c.noalias() = a.transpose() * b.transpose();
    benchmark::ClobberMemory();
    o.advance();
  }
  finish(state, o, threads, start);
}

void fma_peak_bench(benchmark::State& state) {
  const int threads = int(state.range(0));
  double flops = 0;
  for (auto _ : state) flops += gan::bench::fma_peak_run(1 << 16, threads);
  state.counters["FLOPS"] = benchmark::Counter(flops, benchmark::Counter::kIsRate);
}

constexpr std::int64_t NN = 0, NT = 1, TN = 2;

/// The shapes, as {transposes, M, K, N}.
std::vector<std::vector<std::int64_t>> shapes() {
  std::vector<std::vector<std::int64_t>> list;
  // W1 shapes M×K×N: forward as NN, and as NT (Dense computes x·Wᵀ with W stored
  // out×in). As NN the same numbers are also input gradients dy·W (M = batch, K = outputs,
  // N = inputs) of the layers 256→256, 256→784 and 784→256.
  for (std::int64_t trans : {NN, NT}) {
    for (auto [m, k, n] :
         {std::tuple{64, 64, 256}, {64, 256, 256}, {64, 256, 784}, {64, 784, 256}}) {
      list.push_back({trans, m, k, n});
    }
  }
  // The input gradient of the layer 64→256.
  list.push_back({NN, 64, 256, 64});
  // Weight gradients dyᵀ·x (TN): M = outputs, K = batch, N = inputs.
  for (auto [m, k, n] : {std::tuple{256, 64, 784}, {784, 64, 256}, {256, 64, 256}, {256, 64, 64}}) {
    list.push_back({TN, m, k, n});
  }
  // W2's two large Dense layers, 1024 → 6272 in G and 6272 → 1024 in D, at batch 64: their
  // forwards (NT), input gradients (NN) and weight gradients (TN). Their 25 MB weights do
  // not fit in cache: these products stream them.
  for (std::int64_t trans : {NN, NT}) {
    list.push_back({trans, 64, 1024, 6272});
    list.push_back({trans, 64, 6272, 1024});
  }
  list.push_back({TN, 6272, 64, 1024});
  list.push_back({TN, 1024, 64, 6272});
  for (std::int64_t s : {64, 128, 256, 512, 1024}) list.push_back({NN, s, s, s});
  return list;
}

}  // namespace

// The three implementations are registered shape by shape, so that the figures compared
// are measured seconds apart, not minutes apart, on a machine whose speed drifts.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  for (int threads : {1, 2}) {
    timed(
        benchmark::RegisterBenchmark("fma_peak", fma_peak_bench)->ArgName("threads")->Arg(threads),
        threads);
  }
  for (std::int64_t threads : {1, 2}) {
    for (auto args : shapes()) {
      args.push_back(threads);
      auto add = [&](const char* name, void (*fn)(benchmark::State&)) {
        timed(benchmark::RegisterBenchmark(name, fn)->Args(args)->ArgNames(
                  {"trans", "M", "K", "N", "threads"}),
              int(threads));
      };
      add("gan", gan_sgemm);
#if defined(GAN_BENCH_OPENBLAS)
      add("openblas", openblas_sgemm);
#endif
      add("eigen", eigen_product);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
