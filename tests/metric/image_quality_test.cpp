#include "gan/metric/image_quality.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "gan/data/fashion_mnist.hpp"
#include "gan/data/idx_dataset.hpp"

using namespace gan;
using metric::FashionClassifier;
using metric::ImageQuality;
using metric::ImageScores;

// The shipped weights' path comes from the build (tests/CMakeLists.txt passes
// GAN_CLASSIFIER_WEIGHTS and links gan::io, which the weights file and the data need).
#if defined(GAN_CLASSIFIER_WEIGHTS)

namespace {

/// n images uniform in [lo, hi].
Tensor<float> uniform_images(Index n, double lo, double hi, std::uint64_t seed) {
  Tensor<float> x(core::images(n, 1, 28, 28));
  Rng rng(seed, Stream::user);
  rng.fill_uniform(x.span(), lo, hi);
  return x;
}

/// Each image averaged over the 3×3 neighbourhood of every pixel (edges clamped).
Tensor<float> blurred(ConstView<float> x) {
  Tensor<float> y(x.shape());
  for (Index i = 0; i < x.n(); ++i)
    for (Index r = 0; r < 28; ++r)
      for (Index c = 0; c < 28; ++c) {
        float sum = 0;
        for (Index dr = -1; dr <= 1; ++dr)
          for (Index dc = -1; dc <= 1; ++dc)
            sum += x(i, 0, std::clamp<Index>(r + dr, 0, 27), std::clamp<Index>(c + dc, 0, 27));
        y(i, 0, r, c) = sum / 9;
      }
  return y;
}

/// Each image with its pixels moved by one fixed random permutation: the same pixel
/// values, no shape.
Tensor<float> pixel_shuffled(ConstView<float> x, std::uint64_t seed) {
  std::vector<Index> order(784);
  std::iota(order.begin(), order.end(), Index(0));
  Rng rng(seed, Stream::user);
  rng.shuffle(std::span<Index>(order));
  Tensor<float> y(x.shape());
  for (Index i = 0; i < x.n(); ++i)
    for (Index p = 0; p < 784; ++p) y(i, p) = x(i, order[static_cast<std::size_t>(p)]);
  return y;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_CASE("ImageQuality is the Fréchet distance, precision/recall and entropy of the features") {
  // An untrained classifier will do: the scores only have to be the composition of the
  // metrics on its outputs.
  FashionClassifier<float> c;
  Rng init(4, Stream::init);
  c.initialize(init);
  const Tensor<float> reference = uniform_images(150, -1, 1, 1);
  const Tensor<float> generated = uniform_images(140, -0.5, 1, 2);

  const Tensor<float> fr = c.features(reference.view()), fg = c.features(generated.view());
  const double fd = metric::frechet_distance(fr, fg).distance;
  const metric::PrecisionRecall pr = metric::precision_recall(fr, fg);
  const double entropy = metric::class_entropy(c.probabilities(generated.view())).histogram_entropy;

  ImageQuality<float> quality(c, reference.view());
  CHECK(quality.reference_features().shape() == core::features(150, 128));
  CHECK(quality.reference_gaussian().samples == 150);
  const ImageScores s = quality(generated.view());
  CHECK(s.fd == doctest::Approx(fd).epsilon(1e-9));
  CHECK(s.fd > 0);
  CHECK(s.precision == pr.precision);
  CHECK(s.recall == pr.recall);
  CHECK(s.entropy == entropy);
  // 140 images for 128 features: the generated covariance has full rank; 100 would not.
  CHECK(s.warning.empty());
  CHECK(quality(generated.view().rows(0, 100)).warning.find("singular") != std::string::npos);

  // Reused: the same scores again; and the one-call form agrees.
  const ImageScores again = quality(generated.view());
  CHECK(again.fd == s.fd);
  CHECK(again.precision == s.precision);
  CHECK(again.recall == s.recall);
  const ImageScores once = metric::image_quality(c, generated.view(), reference.view());
  CHECK(once.fd == doctest::Approx(s.fd).epsilon(1e-12));
  CHECK(once.recall == s.recall);

  // The reference against itself: no distance, full precision and recall.
  const ImageScores self = quality(reference.view());
  CHECK(self.fd < 1e-6 * s.fd);
  CHECK(self.precision == 1.0);
  CHECK(self.recall == 1.0);

  CHECK_THROWS_WITH_AS(quality(generated.view().rows(0, 3)),
                       doctest::Contains("3 generated images, need at least 4"), Error);
}

TEST_CASE("training images score close to the test images; noise, blur and shuffles do not") {
  if (!data::has_fashion_mnist()) {
    MESSAGE("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): skipped");
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  const auto train = data::load_fashion_mnist<float>(data::Split::train);
  const auto test = data::load_fashion_mnist<float>(data::Split::test);
  const Index n = 10000;
  ImageQuality<float> quality(metric::load_fashion_classifier<float>(GAN_CLASSIFIER_WEIGHTS),
                              test.samples());
  MESSAGE("data and reference: ", seconds_since(start), " s");

  auto score = [&](const std::string& name, ConstView<float> images) {
    const auto t = std::chrono::steady_clock::now();
    const ImageScores s = quality(images);
    MESSAGE(name, " (", images.n(), " images): FD ", s.fd, ", precision ", s.precision, ", recall ",
            s.recall, ", entropy ", s.entropy, " (", seconds_since(t), " s)");
    CHECK(s.warning.empty());
    return s;
  };
  // The 10k training images against the 10k test images; smaller sets for the
  // rest, whose distances are far larger than the bias that fewer samples add to the
  // Fréchet estimate, to keep the test short (about 5 s a 10k set on two quiet cores).
  const ImageScores real = score("train", train.samples().rows(0, n));
  const ImageScores noise = score("noise", uniform_images(2000, -1, 1, 9).view());
  // 2,000 samples of the README's main job (DCGAN, W2 networks, 1,000 steps of batch 64),
  // drawn by `gan sample --checkpoint out/dcgan-fashion-mnist/checkpoint.gan --n 2000
  // --seed 1 --out tests/metric/data/dcgan_1000_steps.idx.gz`.
  const auto dcgan_samples = data::load_idx_dataset<float>("dcgan", GAN_DCGAN_SAMPLES);
  const ImageScores dcgan = score("DCGAN after 1,000 steps", dcgan_samples.samples());
  const ImageScores blur = score("blurred test", blurred(test.samples().rows(0, 5000)).view());
  const ImageScores shuffled =
      score("pixel-shuffled test", pixel_shuffled(test.samples().rows(0, 2000), 3).view());

  // Measured with the shipped weights: FD 0.46 (train), 27.7 (blurred), 323 (noise), 373
  // (shuffled).
  CHECK(real.fd * 100 < noise.fd);
  CHECK(real.fd * 10 < blur.fd);
  // A briefly trained DCGAN between the real images and noise (FD 22 with 2,000 samples).
  CHECK(real.fd * 10 < dcgan.fd);
  CHECK(dcgan.fd * 10 < noise.fd);
  CHECK(real.fd * 100 < shuffled.fd);
  // Two real samples: 0.83 and 0.84 (k = 3 balls in 128 dimensions do not cover all of
  // another sample of the same law).
  CHECK(real.precision > 0.75);
  CHECK(real.recall > 0.75);
  // Noise and shuffles cover none of the real images. The classifier maps them into a
  // small region (most to one class: entropy 0.66 and 0.89) that the balls of a few outlying
  // test images, with k-NN radii among the largest 5%, partly cover: precision 0.13 and
  // 0.08, the outlier weakness of k-NN precision (Naeem et al., "Reliable Fidelity and
  // Diversity Metrics for Generative Models", ICML 2020).
  CHECK(noise.recall < 0.01);
  CHECK(shuffled.recall < 0.01);
  CHECK(noise.precision < 0.25);
  CHECK(shuffled.precision < 0.25);
  CHECK(noise.entropy < 1.5);
  // Blur keeps images recognisable (precision 0.97) but loses their variety (recall 0.21).
  CHECK(blur.precision > 0.9);
  CHECK(blur.recall < 0.5);
  // The training images' predicted classes are as balanced as their labels: ln 10 = 2.3026.
  CHECK(real.entropy > std::log(10.0) - 0.01);
  MESSAGE("total ", seconds_since(start), " s");
}

#else

TEST_CASE("the image quality tests are built") {
  FAIL(
      "GAN_CLASSIFIER_WEIGHTS is not defined: tests/CMakeLists.txt must pass it (the path of "
      "examples/models/fashion_classifier.gan) to gan_test_metric and link gan::io");
}

#endif
