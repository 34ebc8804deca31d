// `gan sample` for a given model type: load the checkpoint, draw, write PNG, CSV or IDX.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "gan/data/csv.hpp"
#include "gan/data/idx_dataset.hpp"
#include "gan/io/checkpoint.hpp"
#include "gan/io/grid.hpp"
#include "job.hpp"
#include "training_state.hpp"
#include "transform_text.hpp"

namespace gan::program {

template <class Model>
int sample_run(Model& model, const SampleConfig& cfg) {
  const ModelSpec spec =
      ModelSpec::from_texts(io::read_checkpoint_texts(cfg.checkpoint), cfg.checkpoint.string());
  TrainingState<Model> state{spec, model, nullptr, cfg.checkpoint.string()};
  io::load_checkpoint(state, cfg.checkpoint);

  std::vector<std::int32_t> labels;
  if constexpr (Model::ConditionPolicy::conditional) {
    labels.resize(static_cast<std::size_t>(cfg.n));
    if (cfg.label) {
      std::fill(labels.begin(), labels.end(), *cfg.label);
      model.condition().check_labels(labels);
    } else {
      for (Index i = 0; i < cfg.n; ++i)
        labels[i] = static_cast<std::int32_t>(i % model.condition().classes());
    }
  } else {
    GAN_CHECK(!cfg.label, "--label: the model in ", cfg.checkpoint.string(), " is not conditional");
  }
  Rng rng(cfg.seed, Stream::user);
  Tensor<float> z(core::features(cfg.n, model.noise_size()));
  rng.fill_normal(z.span());
  Tensor<float> samples(model.generator().output_shape(cfg.n));
  model.sample_from(z.view(), labels, samples.view());
  samples.resize(spec.sample.with_batch(cfg.n));  // MLP networks make images as vectors

  const std::string ext = cfg.out.extension().string();
  const Shape s = samples.shape();
  if (ext == ".png") {
    GAN_CHECK((s.c == 1 || s.c == 3) && s.h > 1 && s.w > 1, cfg.out.string(),
              ": PNG output needs image samples, the model makes ", s.with_batch(1),
              " (write .csv instead)");
    io::write_grid<float>(cfg.out, samples.view(), {.columns = spec.conditional() ? 10 : 8});
  } else if (ext == ".idx" || ext == ".gz") {
    data::write_idx_samples<float>(cfg.out, samples.view());
  } else if (ext == ".csv") {
    parse_transform(spec.transform, cfg.checkpoint.string()).invert(samples.view());
    data::write_csv<float>(cfg.out, samples.view().reshaped(core::features(s.n, s.features())),
                           labels);
  } else {
    core::fail(cfg.out.string(), ": unknown output type '", ext, "' (expected .png, .csv or .idx)");
  }
  std::fprintf(stderr, "gan: wrote %td samples to %s\n", cfg.n, cfg.out.string().c_str());
  return 0;
}

}  // namespace gan::program
