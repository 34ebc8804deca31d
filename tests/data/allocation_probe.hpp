// Counts the program's heap allocations through operator new and the largest single
// request, so that tests can prove a reader allocated nothing large for a lying header.
// The replacement operators live in allocation_probe_test.cpp.
#pragma once

#include <cstddef>

namespace gan::test::probe {

/// Starts a measurement: zeroes the count and the largest request.
void reset();
/// Allocations through operator new since reset().
long long count();
/// Largest single request, in bytes, since reset().
std::size_t largest();

}  // namespace gan::test::probe
