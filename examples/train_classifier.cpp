// train_classifier: trains metric::FashionClassifier, the network whose features the image
// metrics score (FID-style Fréchet distance, precision/recall, class entropy; WORKLOADS.md
// Q2), on the 60,000 Fashion-MNIST training images with Adam, reports the accuracy on the
// 10,000 test images after each epoch, and writes the weights.
//
// The shipped weights, examples/models/fashion_classifier.gan (268,074 float32 parameters,
// 1,072,356 bytes), were made from the source folder with
//
//   build/examples/train_classifier --epochs 6 --seed 1 --lr-decay 0.7
//       --out examples/models/fashion_classifier.gan
//
// (batch 128, Adam lr 1e-3 times 0.7 after each epoch). Test accuracy after each epoch:
// 0.8783, 0.8948, 0.9066, 0.9097, 0.9114, 0.9178 (final: 91.78% of the 10,000 test
// images); about 15 minutes on two shared cores.
//
// With --evaluate it only loads weights (--weights, by default the shipped file) and
// prints their test accuracy.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "gan/core/parallel.hpp"
#include "gan/core/rng.hpp"
#include "gan/data/fashion_mnist.hpp"
#include "gan/data/loader.hpp"
#include "gan/metric/classifier.hpp"
#include "gan/net/concept.hpp"
#include "gan/net/tape.hpp"
#include "gan/optim/adam.hpp"
#include "gan/train/progress_bar.hpp"
// The gan program's option parser, examples/gan/cli.hpp (found beside this file first).
#include "gan/cli.hpp"

namespace {

using Classifier = gan::metric::FashionClassifier<float>;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// How many of the rows of a logits batch have their largest value at the label.
gan::Index correct(gan::ConstView<float> logits, std::span<const std::int32_t> labels) {
  gan::Index right = 0;
  for (gan::Index i = 0; i < logits.n(); ++i) {
    const float* z = logits.sample(i);
    right += std::max_element(z, z + logits.features()) - z == labels[static_cast<std::size_t>(i)];
  }
  return right;
}

/// One progress line: on a terminal redrawn in place, otherwise printed every 10 s.
class EpochProgress {
 public:
  EpochProgress(int epoch, int epochs, gan::Index batches)
      : m_epoch(epoch),
        m_epochs(epochs),
        m_batches(batches),
        m_tty(::isatty(fileno(stderr)) != 0),
        m_start(Clock::now()) {}

  void update(gan::Index done, double loss, double accuracy) {
    const double t = seconds_since(m_start);
    const bool last = done == m_batches;
    if (!last && t - m_drawn < (m_tty ? 0.1 : 10.0)) return;
    m_drawn = t;
    const double eta = t / static_cast<double>(done) * static_cast<double>(m_batches - done);
    std::fprintf(
        stderr, "%sepoch %d/%d  batch %lld/%lld  loss %.4f  train accuracy %.4f  %.1f s  ETA %s%s",
        m_tty ? "\r" : "", m_epoch, m_epochs, static_cast<long long>(done),
        static_cast<long long>(m_batches), loss, accuracy, t,
        gan::train::format_duration(eta).c_str(), m_tty ? (last ? "\033[K\n" : "\033[K") : "\n");
    std::fflush(stderr);
  }

 private:
  int m_epoch, m_epochs;
  gan::Index m_batches;
  bool m_tty;
  Clock::time_point m_start;
  double m_drawn = -1e9;
};

int evaluate(const gan::cli::Args& args) {
  const std::filesystem::path weights = args.text("weights", GAN_CLASSIFIER_WEIGHTS);
  Classifier net = gan::metric::load_fashion_classifier<float>(weights);
  const auto test = gan::data::load_fashion_mnist<float>(gan::data::Split::test, args.text("data"));
  const auto start = Clock::now();
  const double accuracy = net.accuracy(test.samples(), test.labels());
  std::printf("%s: test accuracy %.4f (%lld images, %.1f s)\n", weights.string().c_str(), accuracy,
              static_cast<long long>(test.size()), seconds_since(start));
  return 0;
}

int train(const gan::cli::Args& args) {
  const int epochs = static_cast<int>(args.integer("epochs", 5, 1, 1000));
  const auto seed =
      static_cast<std::uint64_t>(args.integer("seed", 1, 0, std::numeric_limits<long long>::max()));
  const gan::Index batch = args.integer("batch", 128, 1, 60000);
  const double lr = args.number("lr", 1e-3, 1e-8, 1.0);
  const double lr_decay = args.number("lr-decay", 1.0, 1e-3, 1.0);
  const std::filesystem::path out = args.required("out");

  const auto train_set =
      gan::data::load_fashion_mnist<float>(gan::data::Split::train, args.text("data"));
  const auto test_set =
      gan::data::load_fashion_mnist<float>(gan::data::Split::test, args.text("data"));

  Classifier net;
  gan::Rng init(seed, gan::Stream::init);
  net.initialize(init);
  std::printf("%s", net.describe().c_str());
  std::printf(
      "%lld parameters (%.2f MB as float32); %d threads; batch %lld, Adam lr %g, "
      "decay %g an epoch, seed %llu\n",
      static_cast<long long>(net.parameter_count()),
      static_cast<double>(net.parameter_count()) * 4 / 1e6, gan::num_threads(),
      static_cast<long long>(batch), lr, lr_decay, static_cast<unsigned long long>(seed));

  gan::data::Loader<float> loader(train_set, {.batch = batch, .seed = seed});
  gan::optim::Adam<float> adam({.lr = lr});
  gan::net::Tape<float> tape;
  gan::Tensor<float> dlogits;  // (B, 10)
  const auto start = Clock::now();
  double accuracy = 0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const gan::Index batches = loader.batches_per_epoch();
    EpochProgress progress(epoch, epochs, batches);
    double loss_sum = 0;
    gan::Index right = 0, seen = 0;
    for (gan::Index b = 1; b <= batches; ++b) {
      const gan::LabeledBatch<float> data = loader.next();
      net.zero_grad();
      gan::ConstView<float> logits = net.forward(data.x, tape);
      dlogits.resize(logits.shape());
      loss_sum += gan::metric::softmax_cross_entropy(logits, data.labels, dlogits.view());
      right += correct(logits, data.labels);
      seen += data.x.n();
      net.backward(tape, dlogits.view(), {}, gan::net::Grad::parameters);
      adam.step(net.parameters(), net.gradients());
      progress.update(b, loss_sum / static_cast<double>(b),
                      static_cast<double>(right) / static_cast<double>(seen));
    }
    const auto eval_start = Clock::now();
    accuracy = net.accuracy(test_set.samples(), test_set.labels());
    std::printf(
        "epoch %d/%d: loss %.4f, train accuracy %.4f, test accuracy %.4f (lr %g; "
        "%.1f s so far, test pass %.1f s)\n",
        epoch, epochs, loss_sum / static_cast<double>(batches),
        static_cast<double>(right) / static_cast<double>(seen), accuracy, adam.learning_rate(),
        seconds_since(start), seconds_since(eval_start));
    std::fflush(stdout);
    adam.set_learning_rate(adam.learning_rate() * lr_decay);
  }
  net.save_weights(out);
  std::printf("wrote %s (%lld bytes): test accuracy %.4f after %d epochs, %.1f s\n",
              out.string().c_str(), static_cast<long long>(std::filesystem::file_size(out)),
              accuracy, epochs, seconds_since(start));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const gan::cli::Args args(
        "train_classifier",
        {.values = {"epochs", "seed", "batch", "lr", "lr-decay", "out", "data", "weights"},
         .flags = {"evaluate"}},
        argc, argv, 1);
    return args.flag("evaluate") ? evaluate(args) : train(args);
  } catch (const gan::cli::UsageError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "train_classifier: %s\n", e.what());
    return 1;
  }
}
