// A program outside the project that uses the library: trains nothing, but runs a small
// network forward and backward through the public header.
#include <gan/gan.hpp>

#include <cstdio>

int main() {
  using namespace gan;
  net::Sequential d(core::features(1, 4), layer::Dense<float>(4, 8), layer::LeakyReLU<float>(0.2),
                    layer::Dense<float>(8, 1));
  net::Tape<float> tape;
  Tensor<float> x(core::features(3, 4), 0.5f), dy(core::features(3, 1), 1.0f);
  d.forward(x.view(), tape);
  d.backward(tape, dy.view(), {}, net::Grad::parameters);
  std::printf("consumer ok: %td parameters\n", d.parameter_count());
  return 0;
}
