// The MLP family of the gan program: the W1 networks (two hidden LeakyReLU layers) with a
// linear output, for toy mixtures, CSV data and flattened images.
#include "gan/net/mlp.hpp"
#include "gan/variants.hpp"
#include "job.hpp"
#include "perform.hpp"

namespace gan::program {

int run_mlp(const ModelSpec& s, const Job& job) {
  using G = net::MlpGenerator<float, layer::Identity>;
  using D = net::MlpDiscriminator<float>;
  const Index features = s.sample.features();
  G g(s.noise + s.classes, s.hidden, features);
  D d(features + s.classes, s.hidden);
  auto run = [&]<class Model>(Model model) { return perform(model, job); };
  if (s.variant == "gan")
    return run(MinimaxGAN<G, D>(g, d, model_options<MinimaxGAN<G, D>>(job, s)));
  if (s.variant == "nsgan") return run(NSGAN<G, D>(g, d, model_options<NSGAN<G, D>>(job, s)));
  if (s.variant == "cgan") {
    using M = GAN<G, D, loss::NonSaturating, penalty::None,
                  condition::OneHot<condition::dynamic_classes>>;
    return run(M(g, d, model_options<M>(job, s),
                 condition::OneHot<condition::dynamic_classes>(s.classes)));
  }
  if (s.variant == "wgan") return run(WGAN<G, D>(g, d, model_options<WGAN<G, D>>(job, s)));
  if (s.variant == "wgan-gp") return run(WGAN_GP<G, D>(g, d, model_options<WGAN_GP<G, D>>(job, s)));
  if (s.variant == "lsgan") return run(LSGAN<G, D>(g, d, model_options<LSGAN<G, D>>(job, s)));
  if (s.variant == "dragan") return run(DRAGAN<G, D>(g, d, model_options<DRAGAN<G, D>>(job, s)));
  if (s.variant == "began") {
    using A = net::MlpAutoencoder<float>;
    return run(BEGAN<G, A>(g, A(features, s.hidden, std::max<Index>(2, s.hidden / 8)),
                           model_options<BEGAN<G, A>>(job, s)));
  }
  core::fail("variant ", s.variant, " has no MLP networks (use --arch dcgan)");
}

}  // namespace gan::program
