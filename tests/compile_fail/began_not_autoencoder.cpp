// Must not compile: BoundaryEquilibrium (BEGAN) with a discriminator that scores rather
// than reconstructs.
#include <gan/gan.hpp>

using namespace gan;

int main() {
  BEGAN<net::MlpGenerator<float>, net::MlpDiscriminator<float>> model(
      net::MlpGenerator<float>(8, 16, 4), net::MlpDiscriminator<float>(4, 16));
  (void)model;
}
