// Communicator: what data-parallel training needs from a group of processes (ranks), as
// an interface with no MPI in it, so that the model (model.hpp) and the gan program
// depend on it alone. distributed/mpi.hpp implements it over MPI.
#pragma once

#include <cstddef>
#include <span>

namespace gan::distributed {

/// Batch statistics (BatchNorm) in data-parallel training: each rank's shard's own, the
/// default (as PyTorch's DistributedDataParallel), or the global batch's (synchronized
/// BatchNorm: one process on the whole batch, for a few small allreduces a layer).
enum class BatchStatistics { per_rank, synchronized };

/// A group of `ranks()` processes training one model together, this one being `rank()`.
/// Every member is collective: all ranks call it, in the same order, with spans of the
/// same sizes.
class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int ranks() const = 0;

  /// values ← their mean over the ranks, in place.
  virtual void average(std::span<float> values) = 0;
  virtual void average(std::span<double> values) = 0;
  /// values ← rank 0's values.
  virtual void broadcast(std::span<std::byte> values) = 0;
  /// Ends the processes of all ranks with exit status `code`: what a rank that fails
  /// alone must do, since the others would wait for it in their next collective call.
  [[noreturn]] virtual void abort(int code) = 0;
};

}  // namespace gan::distributed
