// Data-parallel training is the same training: run under `mpirun -np K`, K ranks on K
// shards of a global batch of 64 must end, after 20 steps, with the weights of one
// process on the whole batch (to 1e-5 relative: only float summation order differs),
// and every rank must hold exactly rank 0's weights. Rank 0 trains the one-process
// reference itself. Checked for a critic with a gradient penalty and n_critic 5
// (least squares + WGAN-GP's penalty and recipe), a conditional model (generator labels drawn
// across ranks) and BEGAN (k_t fed by averaged loss terms), and for BatchNorm networks with
// synchronized statistics (with per-rank statistics, the default, only the ranks' agreement).
// Before training, rank 0's state is broadcast over a scrambled state on the other ranks. Prints
// the largest relative difference per model. (Not the Wasserstein loss: its gradient on a hidden
// bias whose unit is active on every sample is 0 in exact arithmetic, and Adam turns the rounding
// residue, different for any other summation order, into steps of ±lr; README, "Data-parallel
// training".) Exit status 0 when all hold, 1 otherwise (on every rank).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>
#include <vector>

#include "gan/distributed/mpi.hpp"
#include "gan/distributed/replicate.hpp"
#include "gan/layer/batch_norm.hpp"
#include "gan/layer/dense.hpp"
#include "gan/layer/leaky_relu.hpp"
#include "gan/layer/relu.hpp"
#include "gan/net/mlp.hpp"
#include "gan/net/sequential.hpp"
#include "gan/optim/sgd.hpp"
#include "gan/variants.hpp"

namespace {

using namespace gan;
using G = net::MlpGenerator<float, layer::Identity>;
using D = net::MlpDiscriminator<float>;
using A = net::MlpAutoencoder<float>;
/// MLPs with BatchNorm after the first layer.
using BnG = net::Sequential<layer::Dense<float>, layer::BatchNorm<float>, layer::ReLU<float>,
                            layer::Dense<float>>;
using BnD = net::Sequential<layer::Dense<float>, layer::BatchNorm<float>, layer::LeakyReLU<float>,
                            layer::Dense<float>>;

constexpr Index batch = 64, samples = 640, features = 2, steps = 20;
constexpr double tolerance = 1e-5;

/// A fixed data set: two Gaussian clusters, labels 0 … 2.
struct Data {
  Tensor<float> x{core::features(samples, features)};
  std::vector<std::int32_t> labels;
  Data() {
    Rng rng(11, Stream::data);
    for (Index i = 0; i < samples; ++i) {
      labels.push_back(static_cast<std::int32_t>(i % 3));
      for (Index k = 0; k < features; ++k)
        x.view().sample(i)[k] = static_cast<float>(rng.normal(labels.back() - 1.0, 0.3));
    }
  }
  LabeledBatch<float> global_batch(Index step, bool labeled) const {
    const Index first = (step * batch) % samples;
    std::span<const std::int32_t> l(labels);
    return {ConstView<float>(x.view()).rows(first, batch),
            labeled ? l.subspan(static_cast<std::size_t>(first), batch) : l.first(0)};
  }
};

/// Largest |a − b| / max(|b|, rms(b)) over a network's weights: relative, with the
/// weights' RMS as the floor for weights near 0.
double relative_difference(std::span<const float> a, std::span<const float> b) {
  double sq = 0;
  for (float v : b) sq += double(v) * v;
  const double rms = std::sqrt(sq / double(b.size()));
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(double(a[i]) - b[i]) / std::max<double>(std::abs(b[i]), rms));
  return worst;
}

template <class Model>
void train(Model& m, const Data& data, bool labeled) {
  for (Index s = 0; s < steps; ++s) {
    Index critic = 0;
    m.step_from([&] { return data.global_batch(s * m.options().n_critic + critic++, labeled); });
  }
}

/// Trains `make()` on every rank with the communicator, and on rank 0 once more alone;
/// returns true when the checks hold (on every rank). With BatchNorm statistics per rank
/// the training differs from one process's (only the ranks' agreement is checked).
template <class Make>
bool check(const char* name, Make make, distributed::MpiCommunicator& comm, const Data& data,
           distributed::BatchStatistics stats = distributed::BatchStatistics::synchronized,
           bool same_as_one_process = true) {
  auto model = make();
  using Model = decltype(model);
  constexpr bool labeled = Model::ConditionPolicy::conditional;
  if (comm.rank() != 0) {  // replicate() must undo all of this
    std::ranges::fill(model.generator().parameters(), 7.0f);
    std::ranges::fill(model.discriminator().parameters(), -3.0f);
    model.noise_rng().discard(1000 + 4 * static_cast<std::uint64_t>(comm.rank()));
  }
  distributed::replicate(model, comm);
  model.set_communicator(&comm, stats);
  train(model, data, labeled);

  // Every rank holds rank 0's weights, bit for bit.
  std::vector<float> g(model.generator().parameters().begin(),
                       model.generator().parameters().end());
  std::vector<float> d(model.discriminator().parameters().begin(),
                       model.discriminator().parameters().end());
  comm.broadcast(std::as_writable_bytes(std::span<float>(g)));
  comm.broadcast(std::as_writable_bytes(std::span<float>(d)));
  int ok = std::ranges::equal(g, model.generator().parameters()) &&
           std::ranges::equal(d, model.discriminator().parameters());
  if (!ok) std::printf("%s: rank %d's weights differ from rank 0's\n", name, comm.rank());

  if (comm.rank() == 0) {
    auto alone = make();
    train(alone, data, labeled);
    const double eg =
        relative_difference(model.generator().parameters(), alone.generator().parameters());
    const double ed =
        relative_difference(model.discriminator().parameters(), alone.discriminator().parameters());
    const double moved =
        relative_difference(alone.generator().parameters(), make().generator().parameters());
    std::printf(
        "%s: %d ranks x batch %td vs 1 x %td after %td steps: max relative difference "
        "G %.3g, D %.3g (G moved %.3g from its start)\n",
        name, comm.ranks(), batch / comm.ranks(), batch, steps, eg, ed, moved);
    ok = ok && moved > 100 * tolerance;
    if (same_as_one_process) ok = ok && eg <= tolerance && ed <= tolerance;
  }
  double verdict = ok;  // a failure anywhere fails everywhere
  comm.average(std::span<double>(&verdict, 1));
  return verdict == 1.0;
}

}  // namespace

int main(int argc, char** argv) {
  distributed::MpiSession session(&argc, &argv);
  distributed::MpiCommunicator comm;
  const Data data;
  const G g(8, 32, features);
  const D d(features, 32);
  bool ok = true;
  ok &= check(
      "lsgan-gp",
      [&] {
        using M = GAN<G, D, loss::LeastSquares, penalty::GradientPenalty>;
        auto o = M::default_options();  // n_critic 5, Adam(1e-4, 0, 0.9): WGAN-GP's recipe
        return M(g, d, o);
      },
      comm, data);
  ok &= check(
      "cgan",
      [&] {
        using M = CGAN<3, G, D>;
        return M(G(8 + 3, 32, features), D(features + 3, 32));
      },
      comm, data);
  ok &= check(
      "began", [&] { return BEGAN<G, A>(g, A(features, 32, 4)); }, comm, data);
  // SGD, not Adam: a bias just before BatchNorm has a gradient of 0 in exact arithmetic
  // (so has G's output bias under D's BatchNorm), and Adam scales the rounding residue,
  // which any other summation order changes, up to steps of ±lr.
  auto bn_gan = [&] {
    using M = GAN<BnG, BnD, loss::NonSaturating, penalty::None, condition::None, optim::Sgd>;
    auto o = M::default_options();
    o.g_optimizer.lr = o.d_optimizer.lr = 0.05;
    o.g_optimizer.momentum = o.d_optimizer.momentum = 0.5;
    return M(
        BnG(core::features(1, 8), layer::Dense<float>(8, 32), layer::BatchNorm<float>(32),
            layer::ReLU<float>(), layer::Dense<float>(32, features)),
        BnD(core::features(1, features), layer::Dense<float>(features, 32),
            layer::BatchNorm<float>(32), layer::LeakyReLU<float>(0.2), layer::Dense<float>(32, 1)),
        o);
  };
  ok &= check("batchnorm-synchronized", bn_gan, comm, data);
  if (comm.ranks() > 1)
    ok &= check("batchnorm-per-rank", bn_gan, comm, data, distributed::BatchStatistics::per_rank,
                false);
  if (comm.rank() == 0) std::printf("%s\n", ok ? "all equal" : "FAILED");
  return ok ? 0 : 1;
}
