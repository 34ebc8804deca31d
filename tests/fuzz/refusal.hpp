// The one outcome besides success that a reader may have on bad input: a gan::Error.
// Anything else (another exception, a crash, a sanitizer report) escapes to libFuzzer as
// a finding.
#pragma once

#include "gan/core/error.hpp"

namespace gan::fuzz {

/// Runs f; returns whether it succeeded, false when it refused the input with gan::Error.
template <class F>
bool accepts(F&& f) {
  try {
    f();
    return true;
  } catch (const gan::Error&) {
    return false;
  }
}

}  // namespace gan::fuzz
