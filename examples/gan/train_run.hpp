// One `gan train` run for a given model type: resume, the training loop with its
// progress, log, sample and checkpoint callbacks, and the final outputs.
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/data/loader.hpp"
#include "gan/distributed/replicate.hpp"
#include "gan/fit_discriminator.hpp"
#include "gan/io/checkpoint.hpp"
#include "gan/io/grid.hpp"
#include "gan/loss/minimax.hpp"
#include "gan/net/mlp.hpp"
#include "gan/rejection_sampler.hpp"
#include "gan/train/log_csv.hpp"
#include "gan/train/progress_bar.hpp"
#include "gan/train/trainer.hpp"
#include "outputs.hpp"
#include "run_config.hpp"
#include "training_state.hpp"

namespace gan::program {

/// Samples in data units for pictures and metrics, from the model's sampling generator
/// (labels uniform for conditional models), in batches.
template <class Model>
Tensor<float> generate_samples(Model& model, Index n, Rng& rng) {
  Tensor<float> out(model.generator().output_shape(n));
  const Index batch = 500;
  for (Index first = 0; first < n; first += batch) {
    const Index count = std::min(batch, n - first);
    Tensor<float> z(core::features(count, model.noise_size()));
    rng.fill_normal(z.span());
    std::vector<std::int32_t> labels;
    if constexpr (Model::ConditionPolicy::conditional) {
      labels.resize(static_cast<std::size_t>(count));
      model.condition().draw_labels(rng, labels);
    }
    model.sample_from(z.view(), labels, out.view().rows(first, count));
  }
  return out;
}

/// n samples of `model` kept by discriminator rejection sampling, M at --rejection's
/// quantile; records the acceptance rate and log M in `extra`.
template <class Model>
Tensor<float> kept_samples(Model& model, Index n, const RunConfig& cfg,
                           std::map<std::string, double>& extra) {
  RejectionSampler<Model> drs(model, {.quantile = *cfg.rejection, .seed = cfg.seed});
  Tensor<float> samples = drs.sample(n);
  extra["rejection_acceptance"] = drs.acceptance();
  extra["rejection_log_bound"] = drs.log_bound();
  return samples;
}

/// --rejection: n samples through the RejectionSampler, reading the model's own D, or
/// with --refit a fresh MLP D of three hidden layers, each twice as wide as G's, fitted
/// to the final G (fit_discriminator.hpp).
template <class Model>
Tensor<float> rejection_samples(Model& model, Index n, const RunConfig& cfg,
                                data::Loader<float>& loader, std::map<std::string, double>& extra) {
  using Mlp = net::MlpGenerator<float, layer::Identity>;
  if constexpr (std::is_same_v<typename Model::Generator, Mlp> &&
                !Model::ConditionPolicy::conditional) {
    if (cfg.refit > 0) {
      const Index width = 2 * cfg.model.hidden;
      std::fprintf(stderr, "gan: fitting a D of width %td to the final G, %td steps\n", width,
                   cfg.refit);
      const auto started = std::chrono::steady_clock::now();
      net::DeepMlpDiscriminator<float> fresh(cfg.model.sample.features(), width);
      Rng init(cfg.seed, Stream::init);
      fresh.initialize(init);
      train::ProgressBar bar(stderr);
      // Minimax: the plain cross-entropy, whose optimal logit is log(p_data/p_g) itself. A
      // smoothed D's ratio, D/(1 − s − D), runs to infinity as D nears 1 − s, and one such
      // sample in the burn-in set M so high that 2 of 10 grid25 seeds kept under 0.04%.
      auto fitted = fit_discriminator<loss::Minimax>(
          model, std::move(fresh), [&] { return loader.next(); },
          {.steps = cfg.refit, .seed = cfg.seed, .progress = [&](const train::Progress& p) {
             bar.update(p);
           }});
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      std::fprintf(stderr, "gan: fitted in %.1f s\n", took.count());
      extra["refit_seconds"] = took.count();
      return kept_samples(fitted, n, cfg, extra);
    }
  }
  if constexpr (HasDensityRatio<Model> && !Model::ConditionPolicy::conditional) {
    GAN_CHECK(cfg.refit == 0, "--refit: the ", cfg.model.arch, " networks take no refitted D");
    return kept_samples(model, n, cfg, extra);
  } else {
    core::fail("--rejection: the ", cfg.model.variant, " model's D gives no density ratio");
  }
}

/// The progress grid: fixed noise (and, for conditional models, one row per class), so
/// that pictures from different steps compare.
template <class Model>
struct FixedGrid {
  Tensor<float> z;
  std::vector<std::int32_t> labels;
  Index columns = 8;

  Shape sample;  ///< the data's sample shape (MLP networks make images as vectors)

  FixedGrid(Model& model, std::uint64_t seed, Shape sample_shape) : sample(sample_shape) {
    Rng rng(seed, Stream::user);
    Index n = 64;
    if constexpr (Model::ConditionPolicy::conditional) {
      const Index k = model.condition().classes();
      columns = 10;
      n = k * columns;
      for (Index c = 0; c < k; ++c)
        labels.insert(labels.end(), static_cast<std::size_t>(columns),
                      static_cast<std::int32_t>(c));
    }
    z = Tensor<float>(core::features(n, model.noise_size()));
    rng.fill_normal(z.span());
  }

  void write(Model& model, const std::filesystem::path& path) {
    Tensor<float> images(model.generator().output_shape(z.n()));
    model.sample_from(z.view(), labels, images.view());
    io::write_grid<float>(path, images.view().reshaped(sample.with_batch(z.n())),
                          {.columns = columns});
  }
};

template <class Model>
int train_run(Model& model, const RunConfig& cfg, data::Dataset<float>& dataset) {
  namespace fs = std::filesystem;
  // --distributed: every rank trains; rank 0 alone reads and writes files and prints.
  const bool writer = !cfg.comm || cfg.comm->rank() == 0;
  model.set_communicator(cfg.comm);
  std::error_code ec;
  fs::create_directories(cfg.out, ec);
  GAN_CHECK(!ec && fs::is_directory(cfg.out), cfg.out.string(),
            ": cannot create the output folder (", ec ? ec.message() : "not a folder", ")");
  data::Loader<float> loader(dataset, {.batch = cfg.batch, .seed = cfg.seed});
  GAN_CHECK(loader.batches_per_epoch() > 0, "data set ", dataset.name(), " has ", dataset.size(),
            " samples, fewer than one batch of ", cfg.batch);
  const fs::path checkpoint = cfg.out / "checkpoint.gan";
  TrainingState<Model> state{cfg.model, model, &loader, checkpoint.string()};
  if (cfg.resume && writer) {
    GAN_CHECK(fs::exists(checkpoint), checkpoint.string(), ": nothing to resume (no checkpoint)");
    io::load_checkpoint(state, checkpoint);
  }
  if (cfg.comm) distributed::replicate(state, *cfg.comm);  // rank 0's weights, cursor, ...
  const Index total = cfg.iterations ? *cfg.iterations
                      : cfg.epochs   ? *cfg.epochs * loader.batches_per_epoch()
                                     : default_iterations(cfg.data, loader.batches_per_epoch());
  const Index tenth = std::max<Index>(1, total / 10);
  if (writer)
    std::fprintf(stderr, "gan: %s on %s (%td samples), %s networks%s, %td steps of batch %td%s\n",
                 cfg.model.variant.c_str(), cfg.data.text.c_str(), dataset.size(),
                 cfg.model.arch.c_str(),
                 cfg.model.pack > 1
                     ? (" (D judges packs of " + std::to_string(cfg.model.pack) + ")").c_str()
                     : "",
                 total, cfg.batch,
                 model.steps() > 0 ? (" from step " + std::to_string(model.steps())).c_str() : "");

  std::optional<train::LogCsv> log;
  if (writer) log.emplace(cfg.out / "log.csv", model.steps());
  train::ProgressBar bar(stderr);
  FixedGrid<Model> fixed(model, cfg.seed, cfg.model.sample);
  const bool images = cfg.data.kind == DataKind::images;
  if (images && writer) fs::create_directories(cfg.out / "progress");

  train::Trainer<Model> trainer(model, total);
  // The rates of every step come from the options' rates, the rollbacks' factor and the
  // decay, never from the rates stored in a checkpoint (already decayed after a resume).
  auto set_base_rates = [&] {
    trainer.base_rates(model.options().g_optimizer.lr * state.lr_scale,
                       model.options().d_optimizer.lr * state.lr_scale);
  };
  set_base_rates();
  if (cfg.lr_decay > 0) {
    const Index span = std::max<Index>(1, static_cast<Index>(cfg.lr_decay * double(total)));
    trainer.schedule(train::linear_decay(std::max<Index>(0, total - span), total));
  } else {
    trainer.schedule([](Index) { return 1.0; });
  }
  if (writer) trainer.every(1, [&](const train::Progress& p) { bar.update(p); });
  if (writer)
    trainer.every(cfg.log_every, [&](const train::Progress& p) { log->write(p.stats, p.seconds); });
  if (images && writer) {
    trainer.every(cfg.sample_every > 0 ? cfg.sample_every : tenth, [&](const train::Progress& p) {
      char name[32];
      std::snprintf(name, sizeof name, "step_%07td.png", p.step);
      fixed.write(model, cfg.out / "progress" / name);
    });
  }
  std::optional<Index> checkpointed;  // the step checkpoint.gan holds
  if (cfg.resume) checkpointed = model.steps();
  auto save = [&] {
    if (writer) io::save_checkpoint(state, checkpoint);  // --distributed: rank 0 writes
    checkpointed = model.steps();
  };
  trainer.every(cfg.checkpoint_every > 0 ? cfg.checkpoint_every : tenth,
                [&](const train::Progress&) { save(); });
  if (cfg.rollback && !checkpointed) save();
  const Index started_at = model.steps();
  train::Progress last;
  for (int rollbacks = 0;; ++rollbacks) {
    try {
      last = trainer.run([&] { return loader.next(); });
      break;
    } catch (const Divergence& e) {
      if (!cfg.rollback) {
        throw Divergence(core::detail::concat(
            e.what(), "; ",
            checkpointed ? checkpoint.string() + " holds step " + std::to_string(*checkpointed)
                         : std::string("no checkpoint was written yet"),
            " (--on-divergence rollback goes back to the last checkpoint with lower learning "
            "rates)"));
      }
      GAN_CHECK(rollbacks < cfg.max_rollbacks, "training diverged again after ", rollbacks,
                " rollbacks (--max-rollbacks): ", e.what());
      // --distributed: the ranks diverge together (their gradients are averaged); rank 0
      // reads the checkpoint and the others take its state.
      if (writer) io::load_checkpoint(state, checkpoint);
      if (cfg.comm) distributed::replicate(state, *cfg.comm);
      state.lr_scale *= 0.5;
      set_base_rates();
      if (!writer) continue;
      log->rewind(model.steps());
      std::fprintf(stderr,
                   "\ngan: %s\ngan: rolled back to step %td of %s; learning rates now %g x the "
                   "initial ones\n",
                   e.what(), model.steps(), checkpoint.string().c_str(), state.lr_scale);
    }
  }
  if (model.steps() == started_at) save();  // nothing ran
  if (!writer) return 0;

  Rng rng(cfg.seed, static_cast<std::uint64_t>(Stream::user) + 1);
  std::map<std::string, double> extra;
  auto metrics = finish_outputs(
      model, cfg.data, dataset, cfg.out, [&](Index n) {
        Tensor<float> samples = cfg.rejection ? rejection_samples(model, n, cfg, loader, extra)
                                              : generate_samples(model, n, rng);
        samples.resize(cfg.model.sample.with_batch(n));  // same values, the data's shape
        return samples;
      },
      [&](const fs::path& p) { fixed.write(model, p); }, extra);
  std::string line;
  for (const auto& [k, v] : metrics) line += " " + k + " " + std::to_string(v);
  std::fprintf(stderr,
               "gan: wrote %s (log.csv, checkpoint.gan, samples.png, loss.png, metrics.json);%s\n",
               cfg.out.string().c_str(), line.c_str());
  return 0;
}

}  // namespace gan::program
