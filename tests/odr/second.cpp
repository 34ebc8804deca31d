// See odr/first.cpp.
#if defined(GAN_ODR_WITH_IO)
#include <gan/io.hpp>
#else
#include <gan/gan.hpp>
#endif

int second_unit_parameters() {
  gan::layer::Dense<float> d(3, 2);
  return static_cast<int>(d.parameter_count());
}
