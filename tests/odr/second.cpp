// See odr/first.cpp.
#include <gan/gan.hpp>

int second_unit_parameters() {
  gan::layer::Dense<float> d(3, 2);
  return static_cast<int>(d.parameter_count());
}
