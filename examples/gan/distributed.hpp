// `gan train --distributed`: data-parallel training over the ranks of `mpirun -np K`.
// Every rank builds the same model, reads the same global batch of --batch samples and
// trains on its K-th of it (GAN::set_communicator); rank 0 reads the checkpoint when
// resuming, broadcasts its state, and alone prints and writes files (train_run.hpp).
#pragma once

#include <cstdio>
#include <exception>
#include <optional>

#include "cli.hpp"
#include "run_config.hpp"
#if GAN_PROGRAM_WITH_MPI
#include "gan/distributed/mpi.hpp"
#endif

namespace gan::program {

/// MPI for the whole command when --distributed is given (nothing otherwise): sets
/// cfg.comm. Usage errors: a gan built without MPI, a --batch that the ranks do not
/// divide.
class Distribution {
 public:
  Distribution(cli::Args& a, RunConfig& cfg) {
    if (!a.flag("distributed")) return;
#if GAN_PROGRAM_WITH_MPI
    m_session.emplace(nullptr, nullptr);
    m_comm.emplace();
    const int k = m_comm->ranks();
    if (cfg.batch % k != 0)
      a.fail("--batch ", cfg.batch, " is the global batch: it must be a multiple of the ", k,
             " ranks");
    if ((cfg.batch / k) % cfg.model.pack != 0)
      a.fail("--batch ", cfg.batch, " over ", k, " ranks leaves ", cfg.batch / k,
             " samples a rank, not a multiple of --pack ", cfg.model.pack);
    cfg.comm = &*m_comm;
#else
    (void)cfg;
    a.fail("--distributed needs a gan built with MPI (libopenmpi-dev, cmake -DGAN_WITH_MPI=ON)");
#endif
  }

 private:
#if GAN_PROGRAM_WITH_MPI
  std::optional<distributed::MpiSession> m_session;
  std::optional<distributed::MpiCommunicator> m_comm;
#endif
};

/// f(), except that when it throws on a rank of a distributed run, that rank prints the
/// error and ends all ranks (exit status 1): one rank failing alone (rank 0 writing a file,
/// reading the checkpoint) would leave the others waiting for it.
template <class F>
int on_all_ranks(const RunConfig& cfg, F&& f) {
  if (!cfg.comm) return f();
  try {
    return f();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan train: rank %d of %d: %s\n", cfg.comm->rank(), cfg.comm->ranks(),
                 e.what());
    std::fflush(stderr);
    cfg.comm->abort(1);
  }
  return 1;  // not reached: abort() ends the process
}

}  // namespace gan::program
