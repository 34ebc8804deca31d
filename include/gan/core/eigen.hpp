// The one place the library includes Eigen, so that a compiler workaround applies to
// every translation unit that uses it.
#pragma once

// GCC 12 reports Eigen's AVX-512 kernels (ptranspose, predux, the placeholder of
// _mm512_undefined_pd) as maybe-uninitialized: GCC bug 105593, a false positive that
// breaks -Werror builds. A diagnostic pragma holds where the packet functions are
// defined, so it must be in effect when Eigen is first included: include Eigen through
// this header (or include a gan header before Eigen).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
