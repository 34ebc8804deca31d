// The clocks the benchmarks are timed with, and the FMA peak they are measured against.
//
// One-thread figures are timed in the process's CPU time, so that other programs sharing
// the cores slow them less (all threads of the process count, so a library that hands
// work to helper threads is not flattered); figures of more threads in wall time, which is
// what running them in parallel buys.
#pragma once

#include <algorithm>
#include <ctime>
#include <map>

#include "fma_peak.hpp"

namespace gan::bench {

/// Seconds on the clock that figures of `threads` threads are timed with.
inline double clock_seconds(int threads) {
  timespec t;
  clock_gettime(threads == 1 ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

/// FLOP/s of the register-only FMA loop on `threads` threads, on clock_seconds(threads),
/// best of 5 runs of about 10 ms; measured once per thread count and process.
inline double fma_peak(int threads) {
  static std::map<int, double> peaks;
  auto found = peaks.find(threads);
  if (found != peaks.end()) return found->second;
  fma_peak_run(1 << 16, threads);  // warm up (clock ramp, thread start)
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const double start = clock_seconds(threads);
    const double flops = fma_peak_run(1 << 22, threads);
    best = std::max(best, flops / (clock_seconds(threads) - start));
  }
  return peaks[threads] = best;
}

}  // namespace gan::bench
