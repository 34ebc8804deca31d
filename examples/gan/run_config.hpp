// RunConfig: everything a `gan train` run is, as parsed from the command line or read
// back from a checkpoint's description.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "data_spec.hpp"
#include "gan/core/shape.hpp"
#include "gan/distributed/communicator.hpp"

namespace gan::program {

inline const std::vector<std::string> variant_names = {
    "gan", "nsgan", "dcgan", "cgan", "cdcgan", "wgan", "wgan-gp", "lsgan", "began", "dragan"};

/// The model a run builds: variant, networks and their sizes. Saved in the checkpoint so
/// `gan sample` can rebuild the same model.
struct ModelSpec {
  std::string variant;    ///< one of variant_names
  std::string arch;       ///< mlp or dcgan
  Shape sample;           ///< one data sample (batch 1)
  Index noise = 0;        ///< generator noise size
  Index hidden = 0;       ///< MLP width
  Index classes = 0;      ///< conditional models
  Index pack = 1;         ///< samples D judges at once (PacGAN when > 1)
  double ema = 0;         ///< EMA decay of G's weights, 0 = off
  std::string transform;  ///< the data scaling (transform_text.hpp), to map samples back

  bool conditional() const { return variant == "cgan" || variant == "cdcgan"; }

  /// As key → text, for the checkpoint's leading entries.
  std::map<std::string, std::string> to_texts() const {
    return {{"model.variant", variant},
            {"model.arch", arch},
            {"model.sample", std::to_string(sample.c) + "x" + std::to_string(sample.h) + "x" +
                                 std::to_string(sample.w)},
            {"model.noise", std::to_string(noise)},
            {"model.hidden", std::to_string(hidden)},
            {"model.classes", std::to_string(classes)},
            {"model.pack", std::to_string(pack)},
            {"model.ema", std::to_string(ema)},
            {"data.transform", transform}};
  }
  static ModelSpec from_texts(const std::map<std::string, std::string>& t,
                              const std::string& file) {
    auto get = [&](const char* key) {
      auto it = t.find(key);
      GAN_CHECK(it != t.end(), file, ": not a checkpoint of the gan program (no ", key, ")");
      return it->second;
    };
    auto number = [&](const char* key) {
      const std::string s = get(key);
      char* end = nullptr;
      long long v = std::strtoll(s.c_str(), &end, 10);
      GAN_CHECK(!s.empty() && *end == '\0' && v >= 0 && v < (1LL << 31), file, ": ", key, " is '",
                s, "', expected a count");
      return static_cast<Index>(v);
    };
    ModelSpec m;
    m.variant = get("model.variant");
    m.arch = get("model.arch");
    long long c = 0, h = 0, w = 0;
    GAN_CHECK(std::sscanf(get("model.sample").c_str(), "%lldx%lldx%lld", &c, &h, &w) == 3 &&
                  c > 0 && h > 0 && w > 0 && c * h * w < (1LL << 31),
              file, ": model.sample is '", get("model.sample"), "', expected CxHxW");
    m.sample = core::images(1, c, h, w);
    m.noise = number("model.noise");
    m.hidden = number("model.hidden");
    m.classes = number("model.classes");
    // Checkpoints from before --pack have no model.pack: packs of one.
    m.pack = t.count("model.pack") ? number("model.pack") : 1;
    GAN_CHECK(m.pack >= 1, file, ": model.pack is 0, expected a count of at least 1");
    m.ema = std::strtod(get("model.ema").c_str(), nullptr);
    m.transform = get("data.transform");
    return m;
  }
};

/// A whole training run.
struct RunConfig {
  ModelSpec model;
  DataSpec data;
  std::filesystem::path out;
  std::optional<Index> iterations;  ///< --iters
  std::optional<Index> epochs;      ///< --epochs
  Index batch = 64;
  std::optional<double> lr;
  std::optional<int> n_critic;
  double lr_decay = 0;  ///< --lr-decay: fraction of the run over which the rates fall to 0
  /// --rejection: final samples by discriminator rejection sampling, M at this quantile
  std::optional<double> rejection;
  /// --refit: before rejection sampling, fit a fresh D to the final G for this many steps
  Index refit = 0;
  std::uint64_t seed = 0;
  int threads = 0;  ///< 0 = the library's default
  bool resume = false;
  Index log_every = 10;
  Index sample_every = 0;      ///< 0 = a tenth of the run
  Index checkpoint_every = 0;  ///< 0 = a tenth of the run
  Index toy_size = 100000;     ///< points drawn for a toy data set
  std::optional<Index> label_column;
  bool rollback = false;  ///< --on-divergence rollback: back to the last checkpoint, rates halved
  int max_rollbacks = 5;
  /// --distributed: the ranks training together (distributed.hpp); null for one process.
  distributed::Communicator* comm = nullptr;
};

}  // namespace gan::program
