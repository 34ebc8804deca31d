#include <gan/gan.hpp>

#include <cstdint>
#include <vector>

// Least-squares loss + WGAN-GP's gradient penalty + one-hot labels: a variant no paper
// named is one line. Named ones are aliases: gan::DCGAN<>, gan::WGAN_GP<G, D>, ...
using MyGan =
    gan::GAN<gan::net::MlpGenerator<float>, gan::net::MlpDiscriminator<float>,
             gan::loss::LeastSquares, gan::penalty::GradientPenalty, gan::condition::OneHot<10>>;

int main() {
  MyGan model(gan::net::MlpGenerator<float>(64 + 10, 256, 784),   // noise + labels -> 784
              gan::net::MlpDiscriminator<float>(784 + 10, 256));  // image + labels -> logit
  gan::Tensor<float> real(gan::core::features(64, 784));          // a batch in [-1, 1]
  std::vector<std::int32_t> labels(64, 3);
  gan::StepStats s = model.step(real.view(), labels);  // n_critic D updates, one G update
  gan::Tensor<float> shirts = model.sample(std::vector<std::int32_t>(16, 6));
  return s.d_loss == s.d_loss ? 0 : 1;
}
