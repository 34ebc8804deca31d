// The MLP family of the gan program: the W1 networks (two hidden LeakyReLU layers) with a
// linear output, for toy mixtures, CSV data and flattened images.
#include "gan/net/mlp.hpp"
#include "gan/variants.hpp"
#include "job.hpp"
#include "perform.hpp"

namespace gan::program {

namespace {

using G = net::MlpGenerator<float, layer::Identity>;
using D = net::MlpDiscriminator<float>;

/// GAN<G, D, Loss, Penalty, C, Optimizer> on the MLPs, D's input sized for the condition.
template <class Loss, class Penalty, template <class> class Optimizer = optim::Adam, class C>
int run_model(const ModelSpec& s, const Job& job, C condition) {
  using M = GAN<G, D, Loss, Penalty, C, Optimizer>;
  G g(s.noise + s.classes, s.hidden, s.sample.features());
  D d(condition.discriminator_input_shape(s.sample).features(), s.hidden);
  M model(std::move(g), std::move(d), model_options<M>(job, s), std::move(condition));
  return perform(model, job);
}

}  // namespace

int run_mlp(const ModelSpec& s, const Job& job) {
  if (s.variant == "cgan")
    return run_model<loss::NonSaturating, penalty::None>(
        s, job, condition::OneHot<condition::dynamic_classes>(s.classes));
  if (s.variant == "began") {
    GAN_CHECK(s.pack == 1, "began takes no --pack");
    using A = net::MlpAutoencoder<float>;
    const Index features = s.sample.features();
    BEGAN<G, A> model(G(s.noise, s.hidden, features),
                      A(features, s.hidden, std::max<Index>(2, s.hidden / 8)),
                      model_options<BEGAN<G, A>>(job, s));
    return perform(model, job);
  }
  // The unconditional aliases (variants.hpp) with D judging packs of s.pack samples: with
  // packs of one, a step is bit for bit the step without packing (tests/condition/).
  const condition::Packed<condition::dynamic_pack> packs(s.pack);
  if (s.variant == "gan") return run_model<loss::Minimax, penalty::None>(s, job, packs);
  if (s.variant == "nsgan") return run_model<loss::NonSaturating, penalty::None>(s, job, packs);
  if (s.variant == "wgan")
    return run_model<loss::Wasserstein, penalty::WeightClip, optim::RmsProp>(s, job, packs);
  if (s.variant == "wgan-gp")
    return run_model<loss::Wasserstein, penalty::GradientPenalty>(s, job, packs);
  if (s.variant == "lsgan") return run_model<loss::LeastSquares, penalty::None>(s, job, packs);
  if (s.variant == "dragan") return run_model<loss::NonSaturating, penalty::Dragan>(s, job, packs);
  core::fail("variant ", s.variant, " has no MLP networks (use --arch dcgan)");
}

}  // namespace gan::program
