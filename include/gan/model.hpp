// GAN<G, D, Loss, Penalty, Condition, Optimizer>: one adversarial training step and
// sampling, composed from policies at compile time.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "gan/batch.hpp"
#include "gan/condition/concept.hpp"
#include "gan/condition/none.hpp"
#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/distributed/communicator.hpp"
#include "gan/divergence.hpp"
#include "gan/loss/concept.hpp"
#include "gan/model_options.hpp"
#include "gan/net/concept.hpp"
#include "gan/net/tape.hpp"
#include "gan/optim/adam.hpp"
#include "gan/penalty/concept.hpp"
#include "gan/penalty/none.hpp"
#include "gan/simd/reduce.hpp"
#include "gan/stats.hpp"

namespace gan {

/// A generative adversarial network: generator G, discriminator D, the adversarial Loss,
/// a Penalty on D, a Condition (how labels enter), and one Optimizer instance per
/// network. Each classic variant is an alias of this template (variants.hpp); any other
/// combination is one line:
///
///     using MyGan = gan::GAN<net::MlpGenerator<float>, net::MlpDiscriminator<float>,
///                            loss::LeastSquares, penalty::GradientPenalty>;
///
/// One step runs n_critic discriminator updates, then one generator update (Goodfellow
/// et al. 2014, Algorithm 1). All hyperparameters are run-time values in Options, whose
/// defaults are the papers' (default_options()).
template <net::Network G, net::Network D, loss::Loss Loss, class Penalty = penalty::None,
          condition::Condition Condition = condition::None,
          template <class> class Optimizer = optim::Adam>
class GAN {
 public:
  using Scalar = typename G::Scalar;
  using T = Scalar;
  using Generator = G;
  using Discriminator = D;
  using LossPolicy = Loss;
  using PenaltyPolicy = Penalty;
  using ConditionPolicy = Condition;
  using OptimizerType = Optimizer<T>;
  using Options = ModelOptions<typename OptimizerType::Options, typename Loss::Options,
                               typename Penalty::Options>;

  static_assert(std::is_same_v<T, typename D::Scalar>, "G and D must share one scalar type");
  static_assert(penalty::Penalty<Penalty, D>, "Penalty does not model penalty::Penalty");
  static_assert(!Penalty::needs_second_order || net::TwiceDifferentiableNetwork<D>,
                "this penalty differentiates D's input gradient, so every layer of the critic "
                "must be TwiceDifferentiable; BatchNorm is not: use LayerNorm or no "
                "normalization in a gradient-penalty critic (Gulrajani et al. 2017, sec. 4)");
  static_assert(!Loss::autoencoder || net::Autoencoder<D>,
                "BoundaryEquilibrium (BEGAN) needs an autoencoder discriminator whose output "
                "is shaped like its input, e.g. net::MlpAutoencoder or net::ConvAutoencoder28");
  static_assert(Loss::autoencoder || !net::Autoencoder<D>,
                "an autoencoder discriminator needs a reconstruction loss (BoundaryEquilibrium)");
  static_assert(!(net::FixedShape<G> && net::FixedShape<D>) ||
                    Condition::may_fit(net::fixed_input_of<G>(), net::fixed_output_of<G>(),
                                       net::fixed_input_of<D>()),
                "the networks' input sizes leave no room for the condition's labels: G's input "
                "must hold noise and one value per class, D's input G's output plus one "
                "channel (images) or feature (vectors) per class");

  /// The papers' settings: the optimizer's defaults, then the loss's recipe, then the
  /// penalty's (recipe.hpp).
  static Options default_options() {
    Options o;
    apply_recipe(Loss::recipe, o);
    apply_recipe(Penalty::recipe, o);
    return o;
  }

  /// The networks, the options, and the condition (which holds the class count when it
  /// is a run-time value, as OneHot<dynamic_classes>).
  GAN(G g, D d, Options o = default_options(), Condition condition = Condition())
      : m_g(std::move(g)),
        m_d(std::move(d)),
        m_options(o),
        m_g_optimizer(o.g_optimizer),
        m_d_optimizer(o.d_optimizer),
        m_loss(o.loss),
        m_penalty(o.penalty),
        m_condition(std::move(condition)),
        m_noise_rng(o.seed, Stream::noise),
        m_penalty_rng(o.seed, Stream::penalty),
        m_label_rng(o.seed, Stream::labels) {
    GAN_CHECK(o.n_critic >= 1, "GAN: n_critic must be >= 1, got ", o.n_critic);
    GAN_CHECK(o.ema_decay >= 0 && o.ema_decay < 1, "GAN: ema_decay must be in [0, 1), got ",
              o.ema_decay);
    const Shape g_in = m_g.input_shape(1), g_out = m_g.output_shape(1), d_in = m_d.input_shape(1);
    GAN_CHECK(m_condition.fits(g_in, g_out, d_in),
              "GAN: networks do not fit the condition: G takes ", g_in, " and gives ", g_out,
              ", D takes ", d_in, "; with ", m_condition.classes(), " classes D must take ",
              m_condition.discriminator_input_shape(g_out));
    m_noise = g_in.features() - m_condition.classes();
    if (m_options.ema_decay > 0) m_g_ema.emplace(m_g);
    if constexpr (requires { m_g.use_gradients_of(m_d.gradient_array(1)); }) {
      if (o.share_gradients) m_g.use_gradients_of(m_d.gradient_array(m_g.parameter_count()));
      // The averaged copy only samples (no backward pass): it needs no gradients of its own.
      if (m_g_ema) m_g_ema->use_gradients_of(m_g.gradient_array());
    }
    // Sized now, so that a checkpoint of a model that has not stepped has the same
    // layout as any other.
    m_g_optimizer.reset(static_cast<Index>(m_g.parameters().size()));
    m_d_optimizer.reset(static_cast<Index>(m_d.parameters().size()));
  }
  GAN(Options o = default_options())
  requires(std::is_default_constructible_v<G>&& std::is_default_constructible_v<D>&&
               std::is_default_constructible_v<Condition>)
      : GAN(G(), D(), o) {}

  /// One step: n_critic discriminator updates, each on `real` with fresh noise, then one
  /// generator update.
  StepStats step(ConstView<T> real) requires(!Condition::conditional) {
    return step_from([&] { return LabeledBatch<T>{real, {}}; });
  }
  StepStats step(ConstView<T> real,
                 std::span<const std::int32_t> labels) requires(Condition::conditional) {
    return step_from([&] { return LabeledBatch<T>{real, labels}; });
  }
  /// One step drawing each critic update's real batch from `next()` (a LabeledBatch<T>).
  template <class Source>
  StepStats step_from(Source&& next) {
    StepStats s;
    Index n = 0;
    for (int i = 0; i < m_options.n_critic; ++i) {
      LabeledBatch<T> b = local_rows(next());
      n = b.x.n();
      train_discriminator(b, s);
    }
    train_generator(n, s);
    s.step = ++m_steps;
    m_loss.report(s);
    return s;
  }

  /// One discriminator update on a batch from `next()` (a LabeledBatch<T>) with fresh
  /// noise; G is not updated and the step counter does not move. For fitting a D to a
  /// trained G (fit_discriminator.hpp).
  template <class Source>
  StepStats discriminator_step_from(Source&& next) {
    StepStats s;
    train_discriminator(local_rows(next()), s);
    s.step = m_steps;
    m_loss.report(s);
    return s;
  }

  /// n samples from fixed noise (N, noise) and labels (empty if unconditional), into out.
  /// Uses the averaged generator when EMA is on, in evaluation mode (running statistics).
  void sample_from(ConstView<T> z, std::span<const std::int32_t> labels, TensorView<T> out) {
    GAN_CHECK(z.features() == m_noise, "sample: noise of ", z.features(),
              " values a sample, G takes ", m_noise);
    G& g = sampling_generator();
    m_sample_input.resize(g.input_shape(z.n()));
    for (Index i = 0; i < z.n(); ++i)
      std::copy(z.sample(i), z.sample(i) + m_noise, m_sample_input.view().sample(i));
    m_condition.encode_generator_input(labels, m_sample_input.view(), m_noise);
    g.set_training(false);
    out.copy_from(g.forward(m_sample_input.view(), m_sample_tape));
    g.set_training(true);
  }
  /// n samples (labels drawn uniformly when conditional).
  Tensor<T> sample(Index n) {
    std::vector<std::int32_t> labels(Condition::conditional ? n : 0);
    m_condition.draw_labels(m_label_rng, labels);
    return sample_labels(labels, n);
  }
  /// One sample per given label.
  Tensor<T> sample(std::span<const std::int32_t> labels) requires(Condition::conditional) {
    return sample_labels(labels, static_cast<Index>(labels.size()));
  }
  /// Draws an (n, noise) block of generator noise from the noise stream.
  Tensor<T> draw_noise(Index n) {
    Tensor<T> z(core::features(n, m_noise));
    m_noise_rng.fill_normal(z.span());
    return z;
  }

  /// Visits everything needed to resume training bit for bit: both networks' parameters
  /// and buffers, both optimizers' state, learning rates and step counts, the EMA weights,
  /// the random streams, the step counter and the loss's state. The visitor has
  ///   template <class U> void array(std::string_view name, std::span<U> values);
  ///   void integer(std::string_view name, std::int64_t& value);
  ///   void real(std::string_view name, double& value);
  /// and either reads into or writes from the references it is given (io/checkpoint.hpp
  /// has both); the model re-applies each value after the visit, so one function serves
  /// saving and loading.
  template <class V>
  void visit_state(V& v) {
    v.array("g.parameters", m_g.parameters());
    v.array("g.buffers", m_g.buffers());
    v.array("d.parameters", m_d.parameters());
    v.array("d.buffers", m_d.buffers());
    visit_optimizer(v, "g.optimizer.", m_g_optimizer);
    visit_optimizer(v, "d.optimizer.", m_d_optimizer);
    if (m_g_ema) {
      v.array("g_ema.parameters", m_g_ema->parameters());
      v.array("g_ema.buffers", m_g_ema->buffers());
    }
    visit_rng(v, "rng.noise.", m_noise_rng);
    visit_rng(v, "rng.penalty.", m_penalty_rng);
    visit_rng(v, "rng.labels.", m_label_rng);
    std::int64_t steps = m_steps;
    v.integer("steps", steps);
    m_steps = steps;
    m_loss.for_each_state([&](std::string_view name, double& value) {
      v.real(std::string("loss.").append(name), value);
    });
  }

  /// What a checkpoint must match to be loaded: the layers and shapes of both networks
  /// and the kinds of the policies.
  std::string architecture() const {
    return core::detail::concat("G\n", m_g.describe(), "D\n", m_d.describe(), "autoencoder ",
                                Loss::autoencoder, " second_order ", Penalty::needs_second_order,
                                " classes ", m_condition.classes(), " ema ", m_g_ema.has_value(),
                                " scalar ", sizeof(T));
  }

  /// Data-parallel training (distributed/): with a communicator of K ranks, every rank is
  /// given the same global batch of B samples (B a multiple of K) and trains on its rows
  /// [r·B/K, (r+1)·B/K). Its noise, penalty draws and generator labels are the ones one
  /// process would draw for those rows, and the gradients and loss values are averaged
  /// over the ranks before each optimizer step, so that all ranks take the same steps and
  /// K ranks match one process on batch B up to float summation order. BatchNorm uses each
  /// rank's statistics unless `stats` is synchronized; DRAGAN's spread is each rank's. The
  /// ranks must start from the same state (distributed/replicate.hpp). Null, the default:
  /// one process, and one branch per update. The communicator must outlive its use.
  using BatchStatistics = distributed::BatchStatistics;
  void set_communicator(distributed::Communicator* c,
                        BatchStatistics stats = BatchStatistics::per_rank) {
    m_comm = c;
    distributed::Communicator* sync = stats == BatchStatistics::synchronized ? c : nullptr;
    if constexpr (requires { m_g.set_batch_communicator(sync); }) m_g.set_batch_communicator(sync);
    if constexpr (requires { m_d.set_batch_communicator(sync); }) m_d.set_batch_communicator(sync);
  }
  distributed::Communicator* communicator() const { return m_comm; }

  Index noise_size() const { return m_noise; }
  Index steps() const { return m_steps; }
  void set_steps(Index s) { m_steps = s; }
  const Options& options() const { return m_options; }
  G& generator() { return m_g; }
  D& discriminator() { return m_d; }
  /// The weight-averaged generator (nullptr when EMA is off).
  G* ema_generator() { return m_g_ema ? &*m_g_ema : nullptr; }
  OptimizerType& generator_optimizer() { return m_g_optimizer; }
  OptimizerType& discriminator_optimizer() { return m_d_optimizer; }
  Loss& loss() { return m_loss; }
  Penalty& penalty() { return m_penalty; }
  const Condition& condition() const { return m_condition; }
  Rng& noise_rng() { return m_noise_rng; }
  Rng& penalty_rng() { return m_penalty_rng; }
  Rng& label_rng() { return m_label_rng; }

 private:
  static void apply_recipe(const Recipe& r, Options& o) {
    for (auto* opt : {&o.g_optimizer, &o.d_optimizer}) {
      if (r.learning_rate) opt->lr = *r.learning_rate;
      if constexpr (requires {
                      opt->beta1;
                      opt->beta2;
                    }) {
        if (r.beta1) opt->beta1 = *r.beta1;
        if (r.beta2) opt->beta2 = *r.beta2;
      }
    }
    if (r.n_critic) o.n_critic = *r.n_critic;
  }

  template <class V, class O>
  static void visit_optimizer(V& v, const std::string& prefix, O& opt) {
    opt.for_each_state(
        [&](std::string_view name, auto values) { v.array(prefix + std::string(name), values); });
    std::int64_t count = opt.step_count();
    v.integer(prefix + "steps", count);
    opt.set_step_count(count);
    double lr = opt.learning_rate();
    v.real(prefix + "lr", lr);
    opt.set_learning_rate(lr);
  }

  template <class V>
  static void visit_rng(V& v, const std::string& prefix, Rng& rng) {
    core::RngState s = rng.state();
    std::int64_t seed = static_cast<std::int64_t>(s.seed),
                 stream = static_cast<std::int64_t>(s.stream),
                 block = static_cast<std::int64_t>(s.block), used = s.used;
    v.integer(prefix + "seed", seed);
    v.integer(prefix + "stream", stream);
    v.integer(prefix + "block", block);
    v.integer(prefix + "used", used);
    GAN_CHECK(used >= 0 && used <= 4, "random stream ", prefix, "used must be in [0, 4], got ",
              used);
    rng.restore({static_cast<std::uint64_t>(seed), static_cast<std::uint64_t>(stream),
                 static_cast<std::uint64_t>(block), static_cast<std::uint32_t>(used)});
  }

  G& sampling_generator() {
    if (!m_g_ema) return m_g;
    auto src = m_g.buffers();
    std::copy(src.begin(), src.end(), m_g_ema->buffers().begin());  // running statistics
    return *m_g_ema;
  }

  Tensor<T> sample_labels(std::span<const std::int32_t> labels, Index n) {
    Tensor<T> z = draw_noise(n);
    Tensor<T> out(m_g.output_shape(n));
    sample_from(z.view(), labels, out.view());
    return out;
  }

  /// This rank's rows of a global batch (all of it in one process).
  LabeledBatch<T> local_rows(LabeledBatch<T> b) const {
    if (!m_comm) return b;
    const Index k = m_comm->ranks(), n = b.x.n() / k;
    GAN_CHECK(n * k == b.x.n(), "GAN: a batch of ", b.x.n(), " samples does not split over ", k,
              " ranks");
    return {b.x.rows(m_comm->rank() * n, n), local_rows(b.labels, n)};
  }
  std::span<const std::int32_t> local_rows(std::span<const std::int32_t> labels, Index n) const {
    if (!m_comm || labels.empty()) return labels;
    return labels.subspan(static_cast<std::size_t>(m_comm->rank() * n),
                          static_cast<std::size_t>(n));
  }
  /// A rank draws its part of a global draw, in which each rank's part is `local` 32-bit
  /// values of `rng`: it skips the parts of the ranks before it, draws, then skips the rest.
  template <class Draw>
  auto draw_part(Rng& rng, std::uint64_t local, Draw&& draw) {
    if (!m_comm) return draw();
    const auto r = static_cast<std::uint64_t>(m_comm->rank());
    const auto k = static_cast<std::uint64_t>(m_comm->ranks());
    rng.discard(r * local);
    const std::uint64_t start = rng.position();
    auto result = draw();
    GAN_CHECK(rng.position() - start == local, "GAN: a rank drew ", rng.position() - start,
              " random values where its part is ", local, ": this draw cannot be split over ranks");
    rng.discard((k - 1 - r) * local);
    return result;
  }
  /// 32-bit values one penalty application draws for n samples; 0 for penalties that do
  /// not say (they must draw nothing to train on several ranks: draw_part checks).
  static std::uint64_t penalty_draws(Index n, Index data_features) {
    if constexpr (requires { Penalty::random_values(n, data_features); })
      return static_cast<std::uint64_t>(Penalty::random_values(n, data_features));
    else
      return 0;
  }

  /// Draws noise into G's input, encodes the labels, and runs G (training mode).
  ConstView<T> generate(Index n, std::span<const std::int32_t> labels) {
    m_g_input.resize(m_g.input_shape(n));
    draw_part(m_noise_rng, 4 * static_cast<std::uint64_t>(n * m_noise), [&] {  // 4 a normal
      for (Index i = 0; i < n; ++i)
        m_noise_rng.fill_normal(std::span<T>(m_g_input.view().sample(i), m_noise));
      return 0;
    });
    m_condition.encode_generator_input(labels, m_g_input.view(), m_noise);
    return m_g.forward(m_g_input.view(), m_g_tape);
  }

  void train_discriminator(const LabeledBatch<T>& b, StepStats& s) {
    const Index n = b.x.n();
    GAN_CHECK(b.x.shape().same_sample(m_g.output_shape(1)), "GAN: real samples of shape ",
              b.x.shape().with_batch(1), ", the generator makes ", m_g.output_shape(1));
    if constexpr (Condition::conditional) {
      GAN_CHECK(static_cast<Index>(b.labels.size()) == n, "GAN: ", b.labels.size(), " labels for ",
                n, " real samples");
    }
    ConstView<T> fake = generate(n, b.labels);  // G(z), labels of the real batch
    ConstView<T> in_real = m_condition.discriminator_input(b.x, b.labels, m_real_scratch);
    ConstView<T> in_fake = m_condition.discriminator_input(fake, b.labels, m_fake_scratch);
    ConstView<T> out_real = m_d.forward(in_real, m_d_real_tape);
    ConstView<T> out_fake = m_d.forward(in_fake, m_d_fake_tape);
    m_d_out_real.resize(out_real.shape());
    m_d_out_fake.resize(out_fake.shape());
    loss::DiscriminatorLoss l =
        m_loss.discriminator(loss::Batch<T>{in_real, out_real}, loss::Batch<T>{in_fake, out_fake},
                             m_d_out_real.view(), m_d_out_fake.view());
    net::backward_first(m_d, m_d_real_tape, m_d_out_real.view());
    m_d.backward(m_d_fake_tape, m_d_out_fake.view(), {}, net::Grad::parameters);
    const Index data_features = m_condition.discriminator_data_features(b.x.shape());
    double p = draw_part(m_penalty_rng, penalty_draws(in_real.n(), data_features), [&] {
      return m_penalty.apply(m_d, in_real, in_fake, data_features, m_penalty_rng, m_workspace);
    });
    if (m_comm) {
      m_comm->average(m_d.gradients());
      double v[4] = {l.value, l.real, l.fake, p};
      m_comm->average(std::span<double>(v));
      l.value = v[0], l.real = v[1], l.fake = v[2], p = v[3];
    }
    s.d_loss = l.value + p;
    s.penalty = p;
    s.d_real = l.real;
    s.d_fake = l.fake;
    s.d_grad_norm = norm(m_d.gradients());
    check_finite("discriminator", s.d_loss, s.d_grad_norm);
    m_d_optimizer.step(m_d.parameters(), m_d.gradients());
    m_penalty.after_step(m_d);
    m_loss.after_discriminator_step(l);
  }

  void train_generator(Index n, StepStats& s) {
    // Labels of the whole global batch (rejection sampling draws a varying count), of
    // which this rank takes its rows.
    const Index ranks = m_comm ? m_comm->ranks() : 1;
    m_g_labels.resize(Condition::conditional ? n * ranks : 0);
    m_condition.draw_labels(m_label_rng, m_g_labels);
    const std::span<const std::int32_t> labels = local_rows(m_g_labels, n);
    ConstView<T> fake = generate(n, labels);
    ConstView<T> in_fake = m_condition.discriminator_input(fake, labels, m_fake_scratch);
    ConstView<T> out = m_d.forward(in_fake, m_d_fake_tape);
    m_d_out_fake.resize(out.shape());
    m_d_input_grad.resize(in_fake.shape());
    if constexpr (Loss::autoencoder) m_direct_grad.resize(in_fake.shape());
    s.g_loss =
        m_loss.generator(loss::Batch<T>{in_fake, out}, m_d_out_fake.view(), m_direct_grad.view());
    m_d.backward(m_d_fake_tape, m_d_out_fake.view(), m_d_input_grad.view(), net::Grad::input);
    if constexpr (Loss::autoencoder) m_d_input_grad.array() += m_direct_grad.array();
    ConstView<T> d_fake =
        m_condition.data_gradient(ConstView<T>(m_d_input_grad.view()), m_fake_scratch);
    net::backward_first(m_g, m_g_tape, d_fake);
    if (m_comm) {
      m_comm->average(m_g.gradients());
      m_comm->average(std::span<double>(&s.g_loss, 1));
    }
    s.g_grad_norm = norm(m_g.gradients());
    check_finite("generator", s.g_loss, s.g_grad_norm);
    m_g_optimizer.step(m_g.parameters(), m_g.gradients());
    if (m_g_ema) update_ema();
  }

  /// θ_ema ← d·θ_ema + (1 − d)·θ
  void update_ema() {
    const T d = static_cast<T>(m_options.ema_decay);
    auto src = m_g.parameters();
    auto dst = m_g_ema->parameters();
    for (std::size_t i = 0; i < src.size(); ++i) dst[i] = d * dst[i] + (T(1) - d) * src[i];
  }

  static double norm(std::span<const T> v) {
    return std::sqrt(simd::sum_of_squares(v.data(), static_cast<Index>(v.size())));
  }

  void check_finite(const char* who, double loss, double grad_norm) const {
    if (!std::isfinite(loss) || !std::isfinite(grad_norm)) {
      throw Divergence(core::detail::concat("step ", m_steps + 1, ": the ", who, " loss is ", loss,
                                            " and its gradient norm ", grad_norm,
                                            "; weights left as after step ", m_steps));
    }
  }

  G m_g;
  D m_d;
  Options m_options;
  OptimizerType m_g_optimizer, m_d_optimizer;
  Loss m_loss;
  Penalty m_penalty;
  Condition m_condition;
  Rng m_noise_rng, m_penalty_rng, m_label_rng;
  std::optional<G> m_g_ema;
  Index m_noise = 0;
  Index m_steps = 0;
  distributed::Communicator* m_comm = nullptr;

  // Buffers, kept between steps so that a step allocates nothing after the first.
  net::Tape<T> m_g_tape, m_d_real_tape, m_d_fake_tape, m_sample_tape;
  Tensor<T> m_g_input, m_sample_input;
  Tensor<T> m_d_out_real, m_d_out_fake, m_d_input_grad, m_direct_grad;
  condition::Scratch<T> m_real_scratch, m_fake_scratch;
  penalty::Workspace<T> m_workspace;
  std::vector<std::int32_t> m_g_labels;
};

}  // namespace gan
