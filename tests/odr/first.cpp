// With odr/second.cpp: two translation units that include the whole library link together.
#if defined(GAN_ODR_WITH_IO)
#include <gan/io.hpp>
#else
#include <gan/gan.hpp>
#endif

int second_unit_parameters();

int main() {
  gan::Rng rng(1, gan::Stream::user);
  gan::Tensor<float> t(gan::core::features(2, 3));
  return (second_unit_parameters() > 0 && t.size() == 6) ? 0 : 1;
}
