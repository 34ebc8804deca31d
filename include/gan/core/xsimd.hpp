// The one place the library includes xsimd, so that a compiler workaround applies to every
// translation unit that uses it (as gan/core/eigen.hpp does for Eigen).
#pragma once

// GCC 12 reports the AVX-512 intrinsics that xsimd's math functions inline (the
// placeholder source register of _mm512_roundscale_round_ps in xsimd::tanh and xsimd::exp)
// as maybe-uninitialized: GCC bug 105593, a false positive that breaks -Werror builds. The
// pragma must be in effect where immintrin.h is first read, so include xsimd through this
// header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#include <xsimd/xsimd.hpp>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
