// Replaces the global operator new and delete (for the whole data test program) to
// count allocations and record the largest request.
#include "data/allocation_probe.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

namespace {
std::atomic<long long> g_count{0};
std::atomic<std::size_t> g_largest{0};
}  // namespace

// Not inlined (nor the deletes below): GCC would otherwise see malloc() meet operator
// delete, or free() meet operator new, at a call site and warn (-Wmismatched-new-delete),
// not knowing that the operators are replaced together.
[[gnu::noinline]] void* operator new(std::size_t n) {
  g_count.fetch_add(1, std::memory_order_relaxed);
  std::size_t seen = g_largest.load(std::memory_order_relaxed);
  while (n > seen && !g_largest.compare_exchange_weak(seen, n, std::memory_order_relaxed)) {
  }
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace gan::test::probe {
void reset() {
  g_count.store(0);
  g_largest.store(0);
}
long long count() {
  return g_count.load();
}
std::size_t largest() {
  return g_largest.load();
}
}  // namespace gan::test::probe

TEST_CASE("the allocation probe sees vector allocations and their size") {
  // Values are taken before any CHECK, which may allocate on its own.
  gan::test::probe::reset();
  std::vector<char> v(12345);
  long long after_one = gan::test::probe::count();
  std::size_t largest_one = gan::test::probe::largest();
  v.push_back('x');  // grows: one more allocation, larger
  long long after_two = gan::test::probe::count();
  std::size_t largest_two = gan::test::probe::largest();
  CHECK(after_one == 1);
  CHECK(largest_one == 12345);
  CHECK(after_two == 2);
  CHECK(largest_two > 12345);
}
