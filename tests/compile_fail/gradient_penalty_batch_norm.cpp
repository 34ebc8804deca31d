// Must not compile: a gradient penalty on a critic containing BatchNorm.
#include <gan/gan.hpp>

using namespace gan;
using Critic = net::Sequential<layer::Dense<float>, layer::BatchNorm<float>, layer::Dense<float>>;

int main() {
  WGAN_GP<net::MlpGenerator<float>, Critic> model(
      net::MlpGenerator<float>(8, 16, 4),
      Critic(core::features(1, 4), layer::Dense<float>(4, 8), layer::BatchNorm<float>(8),
             layer::Dense<float>(8, 1)));
  (void)model;
}
