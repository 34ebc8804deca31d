// The map between 8-bit pixels [0, 255] and the generator's range [−1, 1] (a tanh output):
// x = p / 127.5 − 1, as in DCGAN (Radford et al. 2016). Every image reader and writer
// of the library uses these two functions, so that a pixel survives a round trip exactly.
#pragma once

#include <cstdint>

namespace gan::data {

/// Half the pixel range: x = p / pixel_half_range − 1.
inline constexpr double pixel_half_range = 127.5;

/// A pixel in [0, 255] as a value in [−1, 1].
template <class T>
constexpr T from_pixel(std::uint8_t p) {
  return static_cast<T>(p / pixel_half_range - 1.0);
}

/// A value in [−1, 1] as the nearest pixel; values outside are clamped, NaN gives 0.
template <class T>
constexpr std::uint8_t to_pixel(T x) {
  double v = (static_cast<double>(x) + 1.0) * pixel_half_range;
  if (!(v > 0.0)) return 0;  // also NaN
  if (v >= 255.0) return 255;
  return static_cast<std::uint8_t>(v + 0.5);
}

}  // namespace gan::data
