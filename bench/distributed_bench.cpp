// Data-parallel W1 and W2 (WORKLOADS.md) over MPI: iterations per second of the global
// batch of 64 split over the ranks, and the time each step spends inside MPI_Allreduce
// (the gradients of G and D and a few loss values; it includes waiting for the slowest
// rank), with the bytes it sends. Run it under mpirun, one line of results from rank 0:
//
//     mpirun -np 2 --oversubscribe gan_bench_distributed --workload W1 --threads 1
//
// Options: --workload W1|W2, --iters N (timed, default 200 W1 / 20 W2), --threads T (per
// rank, default 1). Two untimed warm-up steps first. Last, the allreduces of a step's
// gradients alone (median of 15, after a barrier): the transfer without the waiting.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/distributed/mpi.hpp"
#include "gan/distributed/replicate.hpp"
#include "workloads.hpp"

namespace {

using namespace gan;

struct Settings {
  std::string workload = "W1";
  long iters = 0;
  int threads = 1;
};

Settings parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i], value = argv[i + 1];
    if (name == "--workload")
      s.workload = value;
    else if (name == "--iters")
      s.iters = std::atol(value.c_str());
    else if (name == "--threads")
      s.threads = std::atoi(value.c_str());
    else
      core::fail("unknown option ", name, " (expected --workload, --iters, --threads)");
  }
  GAN_CHECK(s.workload == "W1" || s.workload == "W2", "--workload ", s.workload,
            ": expected W1 or W2");
  if (s.iters <= 0) s.iters = s.workload == "W1" ? 200 : 20;
  GAN_CHECK(s.threads >= 1, "--threads must be >= 1");
  return s;
}

/// Median seconds of the allreduces of one step (W1 and W2 have n_critic 1: D's gradients,
/// then G's) with the ranks lined up by a barrier first: the transfer alone, without the
/// waiting for a slower rank that the in-step figure includes.
template <class Model>
double allreduce_alone(distributed::MpiCommunicator& comm, Model& model) {
  std::vector<double> t;
  for (int i = 0; i < 15; ++i) {
    MPI_Barrier(comm.handle());
    const double start = MPI_Wtime();
    comm.average(model.discriminator().gradients());
    comm.average(model.generator().gradients());
    t.push_back(MPI_Wtime() - start);
  }
  std::nth_element(t.begin(), t.begin() + 7, t.end());
  double median = t[7];
  comm.average(std::span<double>(&median, 1));
  return median;
}

template <class W>
void run(const Settings& s, distributed::MpiCommunicator& comm) {
  W w;
  distributed::replicate(w.model(), comm);
  w.model().set_communicator(&comm);
  w.step();  // sizes every buffer
  w.step();
  comm.reset_stats();
  MPI_Barrier(comm.handle());
  const double start = MPI_Wtime();
  for (long i = 0; i < s.iters; ++i) w.step();
  double seconds = MPI_Wtime() - start, slowest = 0;
  MPI_Allreduce(&seconds, &slowest, 1, MPI_DOUBLE, MPI_MAX, comm.handle());
  const distributed::CommStats st = comm.stats();
  double reduce_seconds = st.seconds;  // mean over the ranks
  comm.average(std::span<double>(&reduce_seconds, 1));
  const double alone = allreduce_alone(comm, w.model());
  if (comm.rank() != 0) return;
  const double steps = double(s.iters);
  std::printf(
      "%s ranks %d threads %d batch %td (%td a rank): %.2f it/s, allreduce %.3f ms a step "
      "(%.1f%% of the step), %.3f MB a step in %.0f calls; the gradients' allreduces alone "
      "%.3f ms\n",
      s.workload.c_str(), comm.ranks(), s.threads, bench::train_batch,
      bench::train_batch / comm.ranks(), steps / slowest, 1e3 * reduce_seconds / steps,
      100 * reduce_seconds / slowest, double(st.bytes) / steps / 1e6, double(st.calls) / steps,
      1e3 * alone);
}

}  // namespace

int main(int argc, char** argv) {
  distributed::MpiSession session(&argc, &argv);
  distributed::MpiCommunicator comm;
  try {
    const Settings s = parse(argc, argv);
    set_num_threads(s.threads);
    if (s.workload == "W1")
      run<bench::W1>(s, comm);
    else
      run<bench::W2>(s, comm);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan_bench_distributed: %s\n", e.what());
    comm.abort(1);
  }
  return 0;
}
