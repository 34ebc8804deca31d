// The 28×28 convolutional family of the gan program: the W2 networks of WORKLOADS.md
// (DCGAN / InfoGAN style), a LayerNorm critic for the gradient penalties and BEGAN's
// convolutional autoencoder.
#include "gan/net/began28.hpp"
#include "gan/net/dcgan28.hpp"
#include "gan/variants.hpp"
#include "job.hpp"
#include "perform.hpp"

namespace gan::program {

int run_dcgan(const ModelSpec& s, const Job& job) {
  GAN_CHECK(s.sample == core::images(1, 1, 28, 28),
            "the dcgan networks take 1x28x28 images, the data has ", s.sample, " (use --arch mlp)");
  using G = net::DcganGenerator28<float>;
  using D = net::DcganDiscriminator28<float>;
  using Critic = net::DcganCritic28<float>;
  auto run = [&]<class Model>(Model model) { return perform(model, job); };
  if (s.variant == "gan")
    return run(MinimaxGAN<G, D>(G(), D(), model_options<MinimaxGAN<G, D>>(job, s)));
  if (s.variant == "nsgan" || s.variant == "dcgan")
    return run(DCGAN<>(G(), D(), model_options<DCGAN<>>(job, s)));
  if (s.variant == "cgan" || s.variant == "cdcgan") {
    GAN_CHECK(s.classes == 10, "the conditional DCGAN takes 10 classes, the data has ", s.classes);
    return run(ConditionalDCGAN<10>(model_options<ConditionalDCGAN<10>>(job, s)));
  }
  if (s.variant == "wgan") return run(WGAN<G, D>(G(), D(), model_options<WGAN<G, D>>(job, s)));
  if (s.variant == "wgan-gp")
    return run(WGAN_GP<G, Critic>(G(), Critic(), model_options<WGAN_GP<G, Critic>>(job, s)));
  if (s.variant == "lsgan") return run(LSGAN<G, D>(G(), D(), model_options<LSGAN<G, D>>(job, s)));
  if (s.variant == "dragan")
    return run(DRAGAN<G, Critic>(G(), Critic(), model_options<DRAGAN<G, Critic>>(job, s)));
  if (s.variant == "began") {
    using A = net::ConvAutoencoder28<float>;
    return run(BEGAN<G, A>(G(), A(), model_options<BEGAN<G, A>>(job, s)));
  }
  core::fail("unknown variant ", s.variant);
}

}  // namespace gan::program
