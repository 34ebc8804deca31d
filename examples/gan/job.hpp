// Job: what to do with a model once its type is known (train it, or sample from a
// checkpoint), so that each network family compiles in its own translation unit.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "gan/data/dataset.hpp"
#include "run_config.hpp"

namespace gan::program {

/// `gan sample`: what to draw and where to write it.
struct SampleConfig {
  std::filesystem::path checkpoint;
  Index n = 64;
  std::optional<std::int32_t> label;  ///< conditional models: every sample of this class
  std::filesystem::path out;          ///< .png, .csv or .idx
  std::uint64_t seed = 0;
};

struct Job {
  enum class Kind { train, sample } kind;
  const RunConfig* train = nullptr;         ///< for Kind::train
  data::Dataset<float>* dataset = nullptr;  ///< for Kind::train
  const SampleConfig* sample = nullptr;     ///< for Kind::sample
};

/// Model options from the command line over the variant's paper defaults.
template <class Model>
typename Model::Options model_options(const Job& job, const ModelSpec& spec) {
  auto o = Model::default_options();
  o.ema_decay = spec.ema;
  if (job.train) {
    const RunConfig& c = *job.train;
    if (c.lr) o.g_optimizer.lr = o.d_optimizer.lr = *c.lr;
    if (c.n_critic) o.n_critic = *c.n_critic;
    o.seed = c.seed;
  }
  return o;
}

/// Runs the job on a model of the MLP family / the 28×28 convolutional family.
int run_mlp(const ModelSpec& spec, const Job& job);
int run_dcgan(const ModelSpec& spec, const Job& job);

}  // namespace gan::program
