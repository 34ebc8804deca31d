// A variant no paper named, declared in one line and trained: least-squares loss (LSGAN),
// the R1 gradient penalty on real data (Mescheder et al. 2018) and one-hot class
// conditioning (CGAN), on the eight Gaussians of the ring8 toy set with each mode a class. Prints
// how many samples of each class land on their own mode. Usage: custom_variant [steps]
#include <gan/data/toy.hpp>
#include <gan/gan.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace gan;
using Generator = net::MlpGenerator<float, layer::Identity>;
using Discriminator = net::MlpDiscriminator<float>;
using LsR1Conditional =
    GAN<Generator, Discriminator, loss::LeastSquares, penalty::R1, condition::OneHot<8>>;

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 3000;
  const data::Mixture ring = data::ring8();
  // G takes 4 noise values and the 8-class code; D takes a point and the code.
  LsR1Conditional model(Generator(4 + 8, 64, 2), Discriminator(2 + 8, 64));

  Rng rng(1, Stream::data);
  Tensor<float> x(core::features(64, 2));
  std::vector<std::int32_t> labels(64);
  for (int step = 1; step <= steps; ++step) {
    for (Index i = 0; i < 64; ++i) {  // a point of mode k, labeled k
      labels[i] = static_cast<std::int32_t>(rng.below(8));
      for (Index d = 0; d < 2; ++d)
        x(i, d) = static_cast<float>(ring.centre(labels[i])[d] + rng.normal(0, ring.sigma));
    }
    StepStats s = model.step(x.view(), labels);
    if (step % 500 == 0)
      std::printf("step %d  D %.4f  G %.4f  penalty %.4f\n", step, s.d_loss, s.g_loss, s.penalty);
  }

  int on_mode = 0;
  for (std::int32_t k = 0; k < 8; ++k) {
    std::vector<std::int32_t> asked(100, k);
    Tensor<float> samples = model.sample(asked);
    for (Index i = 0; i < 100; ++i) {
      double dx = samples(i, 0) - ring.centre(k)[0], dy = samples(i, 1) - ring.centre(k)[1];
      on_mode += std::sqrt(dx * dx + dy * dy) < 0.25;  // closer to its own mode than to a neighbour
    }
  }
  std::printf("%d of 800 conditional samples lie on the mode of their class\n", on_mode);
  return on_mode > 400 ? 0 : 1;
}
