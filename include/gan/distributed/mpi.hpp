// MPI for data-parallel training (target gan::mpi, which links MPI::MPI_CXX): the process's
// MPI session, and a Communicator over an MPI communicator that times its allreduces.
//
// Typical use, one process (rank) per socket or machine, each running the same program:
//
//     gan::distributed::MpiSession mpi(&argc, &argv);
//     gan::distributed::MpiCommunicator comm;          // MPI_COMM_WORLD
//     Model model(...);                                // same seed on every rank
//     gan::distributed::replicate(model, comm);        // rank 0's state everywhere
//     model.set_communicator(&comm);
//     for (...) model.step_from([&] { return loader.next(); });  // the global batch
//
// Every rank reads the same global batch (a Loader with the same seed and the global batch
// size) and trains on its rows; see GAN::set_communicator.
#pragma once

// Only MPI's C API is used: leave out the deprecated C++ bindings, which do not compile
// cleanly under -Wextra.
#ifndef OMPI_SKIP_MPICXX
#define OMPI_SKIP_MPICXX 1
#endif
#ifndef MPICH_SKIP_MPICXX
#define MPICH_SKIP_MPICXX 1
#endif
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <span>

#include "gan/core/error.hpp"
#include "gan/distributed/communicator.hpp"

namespace gan::distributed {

/// MPI_Init_thread on construction and MPI_Finalize on destruction, unless MPI was already
/// initialized (then it leaves both to whoever did). Threads of the compute kernels
/// (OpenMP) never call MPI, so MPI_THREAD_FUNNELED is all it asks for.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized) return;
    int provided = 0;
    GAN_CHECK(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) == MPI_SUCCESS,
              "MPI_Init_thread failed");
    m_owner = true;
  }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  ~MpiSession() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (m_owner && !finalized) MPI_Finalize();
  }

 private:
  bool m_owner = false;
};

/// Time and volume of a communicator's allreduces since construction or reset().
struct CommStats {
  double seconds = 0;   ///< wall time inside MPI_Allreduce
  long long calls = 0;  ///< MPI_Allreduce calls
  long long bytes = 0;  ///< bytes each rank contributed
};

/// A Communicator over an MPI communicator (MPI_COMM_WORLD by default). average() is one
/// in-place MPI_Allreduce (sum) then a scaling by 1/K; broadcast() is MPI_Bcast from rank 0.
class MpiCommunicator : public Communicator {
 public:
  explicit MpiCommunicator(MPI_Comm comm = MPI_COMM_WORLD) : m_comm(comm) {
    MPI_Comm_rank(comm, &m_rank);
    MPI_Comm_size(comm, &m_ranks);
  }

  int rank() const override { return m_rank; }
  int ranks() const override { return m_ranks; }
  void average(std::span<float> values) override { average_as(values, MPI_FLOAT); }
  void average(std::span<double> values) override { average_as(values, MPI_DOUBLE); }
  void broadcast(std::span<std::byte> values) override {
    for (std::size_t first = 0; first < values.size(); first += chunk) {
      const std::size_t count = std::min(chunk, values.size() - first);
      check(MPI_Bcast(values.data() + first, static_cast<int>(count), MPI_BYTE, 0, m_comm),
            "MPI_Bcast");
    }
  }

  const CommStats& stats() const { return m_stats; }
  void reset_stats() { m_stats = {}; }
  [[noreturn]] void abort(int code) override {
    MPI_Abort(m_comm, code);
    std::abort();
  }
  MPI_Comm handle() const { return m_comm; }

 private:
  static constexpr std::size_t chunk = INT_MAX;  // MPI counts are int

  template <class T>
  void average_as(std::span<T> values, MPI_Datatype type) {
    const double start = MPI_Wtime();
    for (std::size_t first = 0; first < values.size(); first += chunk) {
      const std::size_t count = std::min(chunk, values.size() - first);
      check(MPI_Allreduce(MPI_IN_PLACE, values.data() + first, static_cast<int>(count), type,
                          MPI_SUM, m_comm),
            "MPI_Allreduce");
    }
    m_stats.seconds += MPI_Wtime() - start;
    m_stats.calls += 1;
    m_stats.bytes += static_cast<long long>(values.size_bytes());
    if (m_ranks == 1) return;
    const T scale = T(1) / static_cast<T>(m_ranks);
    for (T& v : values) v *= scale;
  }

  static void check(int code, const char* call) {
    GAN_CHECK(code == MPI_SUCCESS, call, " failed with MPI error code ", code);
  }

  MPI_Comm m_comm;
  int m_rank = 0, m_ranks = 1;
  CommStats m_stats;
};

}  // namespace gan::distributed
