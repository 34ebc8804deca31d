// Must not compile: rejection sampling from a WGAN, whose critic estimates no density
// ratio.
#include <gan/gan.hpp>

using namespace gan;

int main() {
  WGAN<net::MlpGenerator<float>, net::MlpDiscriminator<float>> model(
      net::MlpGenerator<float>(8, 16, 4), net::MlpDiscriminator<float>(4, 16));
  RejectionSampler sampler(model);
  (void)sampler;
}
