// 64-byte aligned heap storage, with a counter so that tests can prove a training step
// allocates nothing after the first.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace gan::core {

/// Alignment of every tensor buffer: one cache line, one AVX-512 register.
inline constexpr std::size_t alignment = 64;

namespace detail {
inline std::atomic<long long>& allocation_counter() {
  static std::atomic<long long> count{0};
  return count;
}
struct AlignedFree {
  void operator()(void* p) const noexcept { std::free(p); }
};
}  // namespace detail

/// Number of aligned buffers the library has allocated in this process so far.
inline long long allocation_count() {
  return detail::allocation_counter().load(std::memory_order_relaxed);
}

/// Owning pointer to an aligned array of trivially copyable T.
template <class T>
using AlignedBuffer = std::unique_ptr<T[], detail::AlignedFree>;

/// Allocates count values of T aligned to 64 bytes (uninitialized).
template <class T>
AlignedBuffer<T> allocate_aligned(std::size_t count) {
  if (count == 0) return AlignedBuffer<T>(nullptr);
  std::size_t bytes = (count * sizeof(T) + alignment - 1) / alignment * alignment;
  void* p = std::aligned_alloc(alignment, bytes);
  if (p == nullptr) throw std::bad_alloc();
  detail::allocation_counter().fetch_add(1, std::memory_order_relaxed);
  return AlignedBuffer<T>(static_cast<T*>(p));
}

}  // namespace gan::core
