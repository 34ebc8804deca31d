// The three commands of the gan program: parse, load, dispatch to the model family.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "distributed.hpp"
#include "gan/core/parallel.hpp"
#include "gan/io/checkpoint.hpp"
#include "gan/model.hpp"
#include "job.hpp"
#include "outputs.hpp"
#include "transform_text.hpp"

namespace gan::program {

inline const char* train_help =
    "usage: gan train --variant V --data D --out DIR [options]\n"
    "\n"
    "  --variant V        gan nsgan dcgan cgan cdcgan wgan wgan-gp lsgan began dragan\n"
    "  --data D           ring8 grid25 gauss1d fashion-mnist[:DIR] idx:IMAGES[,LABELS] csv:PATH\n"
    "  --out DIR          output folder (created)\n"
    "  --arch A           mlp or dcgan (default: dcgan for 28x28 images, mlp otherwise;\n"
    "                     mlp takes images as vectors of their pixels)\n"
    "  --epochs E         passes over the data, or\n"
    "  --iters N          generator steps (default: 20000 toy mixtures, 5000 gauss1d,\n"
    "                     10 epochs images, 10000 CSV)\n"
    "  --batch B          batch size (default 64)\n"
    "  --lr X             learning rate of both networks (default: the variant's paper)\n"
    "  --lr-decay F       learning rates fall linearly to 0 over the last fraction F of\n"
    "                     the run (e.g. 0.5; default 0, constant rates)\n"
    "  --n-critic K       discriminator updates per generator update (default: the paper's)\n"
    "  --noise Z          MLP generator noise size (default 8, 64 for images)\n"
    "  --hidden H         MLP width (default 256)\n"
    "  --ema DECAY        average G's weights for sampling (e.g. 0.999; default off)\n"
    "  --rejection Q      final samples and metrics by discriminator rejection sampling:\n"
    "                     keep G's samples by D's density ratio, bounded at its Q quantile\n"
    "                     (e.g. 0.99; gan, nsgan, dcgan, lsgan, dragan; default off)\n"
    "  --refit N          with --rejection: read the ratio from a fresh D (three hidden\n"
    "                     layers twice as wide as --hidden) fitted to the final G for\n"
    "                     N steps (MLP networks; any unconditional variant; needed\n"
    "                     with --pack)\n"
    "  --pack M           D judges packs of M samples, all real or all generated (PacGAN,\n"
    "                     Lin et al. 2018; MLP networks; gan nsgan wgan wgan-gp lsgan\n"
    "                     dragan; --batch a multiple of M; default 1)\n"
    "  --label-column C   CSV: integer label column (negative counts from the end)\n"
    "  --seed S           random seed (default 0)\n"
    "  --threads T        threads (default: all cores)\n"
    "  --log-every N      log.csv row every N steps (default 10)\n"
    "  --sample-every N   progress grid every N steps (default: a tenth of the run)\n"
    "  --checkpoint-every N  (default: a tenth of the run)\n"
    "  --resume           continue from DIR/checkpoint.gan\n"
    "  --on-divergence A  when a loss or gradient turns NaN or infinite: stop (default;\n"
    "                     exit status 1 naming the step and the values) or rollback (load\n"
    "                     the last checkpoint, halve the learning rates, go on)\n"
    "  --max-rollbacks N  rollbacks before giving up (default 5)\n"
    "  --distributed      data-parallel over the ranks of `mpirun -np K gan train ...`\n"
    "                     (builds with MPI): --batch is the global batch, a multiple of K\n";

inline const char* sample_help =
    "usage: gan sample --checkpoint FILE --n N --out FILE.png|.csv|.idx [--label L] [--seed S]\n";

inline const char* eval_help =
    "usage: gan eval --data D --samples FILE.csv|FILE.idx\n"
    "  prints the metrics of the samples as JSON: modes/hq/rkl (toy mixtures), kl/w1\n"
    "  (gauss1d), fd/precision/recall/entropy (images), w1_mean (CSV)\n";

inline bool wants_help(int argc, char** argv, const char* text) {
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::fputs(text, stdout);
      return true;
    }
  }
  return false;
}

inline int run_family(const ModelSpec& spec, const Job& job) {
  return spec.arch == "dcgan" ? run_dcgan(spec, job) : run_mlp(spec, job);
}

inline int train_command(int argc, char** argv) {
  if (wants_help(argc, argv, train_help)) return 0;
  cli::Spec spec{{"variant", "data", "out", "arch", "epochs", "iters", "batch", "lr", "lr-decay",
                  "n-critic", "noise", "hidden", "ema", "rejection", "refit", "pack", "label-column", "seed", "threads",
                  "log-every", "sample-every", "checkpoint-every", "on-divergence",
                  "max-rollbacks"},
                 {"resume", "distributed"}};
  cli::Args a("train", spec, argc, argv, 2);
  RunConfig c;
  c.model.variant = a.choice("variant", "", variant_names);
  c.data = DataSpec::parse(a.required("data"), "train");
  c.out = a.required("out");
  if (a.has("epochs") && a.has("iters")) a.fail("give --epochs or --iters, not both");
  if (a.has("epochs")) c.epochs = a.integer("epochs", 1, 1, 1000000);
  if (a.has("iters")) c.iterations = a.integer("iters", 1, 1, 1000000000);
  c.batch = a.integer("batch", 64, 1, 65536);
  if (a.has("lr")) c.lr = a.number("lr", 0, 1e-12, 1e12);
  c.lr_decay = a.number("lr-decay", 0, 0, 1);
  if (a.has("n-critic")) c.n_critic = static_cast<int>(a.integer("n-critic", 1, 1, 1000));
  c.model.ema = a.number("ema", 0, 0, 0.999999);
  c.refit = a.integer("refit", 0, 1, 100000000);
  if (c.refit > 0 && !a.has("rejection")) a.fail("--refit fits a D for --rejection: give both");
  if (c.refit > 0 && c.model.conditional())
    a.fail("--refit takes an unconditional variant, not ", c.model.variant);
  if (a.has("rejection")) {
    c.rejection = a.number("rejection", 0.99, 1e-6, 1);
    const std::vector<std::string> ratio = {"gan", "nsgan", "dcgan", "lsgan", "dragan"};
    if (c.refit == 0 && std::find(ratio.begin(), ratio.end(), c.model.variant) == ratio.end())
      a.fail("--rejection needs an unconditional model whose D estimates a density ratio "
             "(gan, nsgan, dcgan, lsgan, dragan), not ", c.model.variant);
  }
  c.model.pack = a.integer("pack", 1, 1, 4096);
  if (c.model.pack > 1) {
    const std::vector<std::string> packable = {"gan", "nsgan", "wgan", "wgan-gp", "lsgan", "dragan"};
    if (std::find(packable.begin(), packable.end(), c.model.variant) == packable.end())
      a.fail("--pack takes gan, nsgan, wgan, wgan-gp, lsgan or dragan, not ", c.model.variant);
    if (c.batch % c.model.pack != 0)
      a.fail("--batch ", c.batch, " is not a multiple of --pack ", c.model.pack);
    if (c.rejection && c.refit == 0)
      a.fail("--rejection needs a D that judges one sample at a time, not packs of ",
             c.model.pack, ": add --refit N");
  }
  c.seed = static_cast<std::uint64_t>(a.integer("seed", 0, 0, (1LL << 62)));
  c.threads = static_cast<int>(a.integer("threads", 0, 1, 1024));
  c.log_every = a.integer("log-every", 10, 1, 1000000000);
  c.sample_every = a.integer("sample-every", 0, 1, 1000000000);
  c.checkpoint_every = a.integer("checkpoint-every", 0, 1, 1000000000);
  c.resume = a.flag("resume");
  c.rollback = a.choice("on-divergence", "stop", {"stop", "rollback"}) == "rollback";
  c.max_rollbacks = static_cast<int>(a.integer("max-rollbacks", 5, 0, 60));
  const Distribution distribution(a, c);  // --distributed: MPI for the rest of the command
  if (a.has("label-column")) c.label_column = a.integer("label-column", 0, -100000, 100000);
  if (c.threads > 0) set_num_threads(c.threads);

  data::Dataset<float> dataset = c.data.load(c.seed, c.toy_size, c.label_column);
  const bool image28 = dataset.shape().same_sample(core::images(1, 1, 28, 28));
  c.model.arch = a.choice("arch", image28 ? "dcgan" : "mlp", {"mlp", "dcgan"});
  if ((c.model.variant == "dcgan" || c.model.variant == "cdcgan") && c.model.arch != "dcgan")
    a.fail("--variant ", c.model.variant, " uses the convolutional networks: --arch dcgan");
  if (c.model.arch == "dcgan" && !image28)
    a.fail("--arch dcgan takes 28x28 gray images; ", c.data.text, " holds samples of shape ",
           dataset.shape().with_batch(1));
  if (c.model.arch == "dcgan" && c.model.pack > 1) a.fail("--pack takes the MLP networks: --arch mlp");
  if (c.model.arch == "dcgan" && c.refit > 0) a.fail("--refit takes the MLP networks: --arch mlp");
  c.model.sample = dataset.shape().with_batch(1);
  if (c.model.arch == "mlp" && c.model.sample.features() != c.model.sample.c)
    dataset = flattened(std::move(dataset));  // an MLP sees an image as its c·h·w values
  c.model.noise = c.model.arch == "dcgan" ? 62 : a.integer("noise", image28 ? 64 : 8, 1, 100000);
  c.model.hidden = a.integer("hidden", 256, 1, 100000);
  if (c.model.conditional()) {
    if (!dataset.labeled())
      a.fail("--variant ", c.model.variant,
             " needs labeled data (fashion-mnist, idx:IMAGES,LABELS or "
             "csv with --label-column)");
    c.model.classes = dataset.classes();
  }
  c.model.transform = transform_text(dataset.transform());
  Job job{Job::Kind::train, &c, &dataset, nullptr};
  return run_family(c.model, job);
}

inline int sample_command(int argc, char** argv) {
  if (wants_help(argc, argv, sample_help)) return 0;
  cli::Args a("sample", cli::Spec{{"checkpoint", "n", "label", "out", "seed"}, {}}, argc, argv, 2);
  SampleConfig s;
  s.checkpoint = a.required("checkpoint");
  s.n = a.integer("n", 64, 1, 1000000);
  if (a.has("label")) s.label = static_cast<std::int32_t>(a.integer("label", 0, 0, 1000000));
  s.out = a.required("out");
  s.seed = static_cast<std::uint64_t>(a.integer("seed", 0, 0, (1LL << 62)));
  const ModelSpec spec =
      ModelSpec::from_texts(io::read_checkpoint_texts(s.checkpoint), s.checkpoint.string());
  Job job{Job::Kind::sample, nullptr, nullptr, &s};
  return run_family(spec, job);
}

inline int eval_command(int argc, char** argv) {
  if (wants_help(argc, argv, eval_help)) return 0;
  cli::Args a("eval", cli::Spec{{"data", "samples", "label-column"}, {}}, argc, argv, 2);
  DataSpec d = DataSpec::parse(a.required("data"), "eval");
  const std::filesystem::path file = a.required("samples");
  std::optional<Index> label_column;
  if (a.has("label-column")) label_column = a.integer("label-column", 0, -100000, 100000);
  data::Dataset<float> dataset = d.load(0, 100000, label_column);
  const std::string ext = file.extension().string();
  data::Dataset<float> samples;
  if (ext == ".csv") {
    data::CsvOptions o;
    samples = data::read_csv<float>(file, o);
    // CSV samples are in data units: apply the data set's scaling.
    dataset.transform().apply(samples.samples());
  } else if (ext == ".idx" || ext == ".gz") {
    samples = data::load_idx_dataset<float>(file.stem().string(), file);
  } else {
    a.fail("--samples ", file.string(), ": expected a .csv or .idx file");
  }
  Shape want = dataset.shape().with_batch(samples.size());
  GAN_CHECK(samples.shape().features() == want.features(), file.string(), ": samples of ",
            samples.shape().features(), " values, the data set's have ", want.features());
  ConstView<float> fake = samples.samples().reshaped(want);
  auto metrics = compute_metrics(d, dataset, fake);
  std::string text = "{";
  bool first = true;
  for (const auto& [k, v] : metrics) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    text += (first ? "\"" : ", \"") + k + "\": " + (std::isfinite(v) ? buf : "null");
    first = false;
  }
  std::printf("%s}\n", text.c_str());
  return 0;
}

}  // namespace gan::program
