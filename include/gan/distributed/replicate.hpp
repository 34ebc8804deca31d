// replicate: makes every rank's training state rank 0's (weights, buffers, optimizer
// state, random streams, counters, and whatever else the state's visit_state visits), so
// that data-parallel ranks start identical, whether fresh or resumed from a checkpoint
// that rank 0 alone has read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "gan/core/error.hpp"
#include "gan/distributed/communicator.hpp"

namespace gan::distributed {

namespace detail {
/// A visitor in the form model.hpp's visit_state documents (plus text(), as the gan
/// program's TrainingState uses) that overwrites each value with rank 0's.
class BroadcastVisitor {
 public:
  explicit BroadcastVisitor(Communicator& c) : m_comm(&c) {}

  template <class U>
  void array(std::string_view name, std::span<U> values) {
    std::int64_t size = static_cast<std::int64_t>(values.size()), root_size = size;
    integer(name, root_size);
    GAN_CHECK(root_size == size, "replicate: ", name, " holds ", size, " values on rank ",
              m_comm->rank(), " and ", root_size, " on rank 0");
    m_comm->broadcast(std::as_writable_bytes(values));
  }
  void integer(std::string_view, std::int64_t& value) {
    m_comm->broadcast(std::as_writable_bytes(std::span<std::int64_t>(&value, 1)));
  }
  void real(std::string_view, double& value) {
    m_comm->broadcast(std::as_writable_bytes(std::span<double>(&value, 1)));
  }
  void text(std::string_view name, std::string& value) {
    std::int64_t size = static_cast<std::int64_t>(value.size());
    integer(name, size);
    value.resize(static_cast<std::size_t>(size));
    m_comm->broadcast(std::as_writable_bytes(std::span<char>(value)));
  }

 private:
  Communicator* m_comm;
};
}  // namespace detail

/// Collective: every rank's `state` (a GAN, or anything with visit_state) ← rank 0's.
/// Throws gan::Error on a rank whose state has a different layout from rank 0's.
template <class State>
void replicate(State& state, Communicator& comm) {
  detail::BroadcastVisitor v(comm);
  state.visit_state(v);
}

}  // namespace gan::distributed
