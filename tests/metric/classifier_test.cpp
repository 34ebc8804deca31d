#include "gan/metric/classifier.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "data/temp_dir.hpp"
#include "gan/data/fashion_mnist.hpp"
#include "support/gradcheck.hpp"

using namespace gan;
using metric::FashionClassifier;

// The shipped weights' path comes from the build (tests/CMakeLists.txt passes
// GAN_CLASSIFIER_WEIGHTS and links gan::io, which the weights file and the data need).
#if defined(GAN_CLASSIFIER_WEIGHTS)

namespace {

/// Images uniform in [−1, 1].
Tensor<float> random_images(Index n, std::uint64_t seed) {
  Tensor<float> x(core::images(n, 1, 28, 28));
  Rng rng(seed, Stream::user);
  rng.fill_uniform(x.span(), -1.0, 1.0);
  return x;
}

/// A state with the classifier's architecture string but not its parameter count.
struct Impostor {
  std::string layout;
  std::vector<float> values;
  std::string architecture() const { return layout; }
  template <class V>
  void visit_state(V& v) {
    v.array("classifier.parameters", std::span<float>(values));
  }
};

}  // namespace

TEST_CASE("softmax cross-entropy: value, stability and gradient by central differences") {
  Rng rng(5, Stream::user);
  for (Index n : {1, 3, 7}) {
    CAPTURE(n);
    Tensor<double> z = testing::random_tensor<double>(core::features(n, 10), rng, 0.0);
    z.array() *= 4.0;
    std::vector<std::int32_t> labels;
    for (Index i = 0; i < n; ++i) labels.push_back(static_cast<std::int32_t>(rng.below(10)));
    Tensor<double> grad(z.shape());
    const double loss = metric::softmax_cross_entropy<double>(z.view(), labels, grad.view());

    // The definition, term by term.
    double direct = 0;
    for (Index i = 0; i < n; ++i) {
      double sum = 0;
      for (Index k = 0; k < 10; ++k) sum += std::exp(z(i, k));
      direct += -std::log(std::exp(z(i, labels[static_cast<std::size_t>(i)])) / sum);
    }
    CHECK(loss == doctest::Approx(direct / static_cast<double>(n)).epsilon(1e-12));

    auto f = [&] { return metric::softmax_cross_entropy<double>(z.view(), labels); };
    const std::vector<double> numeric = testing::numeric_gradient(z.data(), z.size(), f);
    CHECK(testing::relative_error(grad.span(), numeric) < 1e-7);

    // Each gradient row sums to 0: softmax and one-hot both sum to 1.
    for (Index i = 0; i < n; ++i) {
      double row = 0;
      for (Index k = 0; k < 10; ++k) row += grad(i, k);
      CHECK(std::abs(row) < 1e-15);
    }
  }

  // Equal logits: ln K whatever their value; logits of 1000 do not overflow.
  Tensor<float> big(core::features(2, 10), 1000.0f);
  const std::vector<std::int32_t> labels = {0, 9};
  CHECK(metric::softmax_cross_entropy<float>(big.view(), labels) ==
        doctest::Approx(std::log(10.0)).epsilon(1e-6));
  big(1, 9) = 1030.0f;  // label 9 of row 1 is certain: loss ≈ 0 there
  CHECK(metric::softmax_cross_entropy<float>(big.view(), labels) ==
        doctest::Approx(std::log(10.0) / 2).epsilon(1e-5));
  Tensor<float> p(big.shape());
  metric::softmax<float>(big.view(), p.view());
  CHECK(p(0, 3) == doctest::Approx(0.1));
  CHECK(p(1, 9) == doctest::Approx(1.0));
  CHECK(std::isfinite(p(1, 0)));

  const std::vector<std::int32_t> bad = {0, 10};
  CHECK_THROWS_WITH_AS(metric::softmax_cross_entropy<float>(big.view(), bad),
                       doctest::Contains("label 10 of row 1"), Error);
}

TEST_CASE("the classifier's parameter gradient of the loss matches central differences") {
  FashionClassifier<double> c;
  Rng rng(8, Stream::user);
  Tensor<double> x(core::images(2, 1, 28, 28));
  rng.fill_uniform(x.span(), -1.0, 1.0);
  const std::vector<std::int32_t> labels = {3, 8};
  net::Tape<double> tape;
  auto loss = [&] {
    return metric::softmax_cross_entropy<double>(c.forward(x.view(), tape), labels);
  };
  Tensor<double> dlogits(core::features(2, 10));
  c.zero_grad();
  metric::softmax_cross_entropy<double>(c.forward(x.view(), tape), labels, dlogits.view());
  c.backward(tape, dlogits.view(), {}, net::Grad::parameters);
  // Parameters spread over every layer (the whole array would take minutes).
  const Index count = c.parameter_count();
  std::vector<double> analytic, numeric;
  for (Index k = 0; k < count; k += count / 97) {
    analytic.push_back(c.gradients()[static_cast<std::size_t>(k)]);
    numeric.push_back(testing::numeric_gradient(c.parameters().data() + k, 1, loss)[0]);
  }
  CHECK(testing::relative_error(analytic, numeric) < 1e-6);
}

TEST_CASE("features, probabilities and predictions agree, over several evaluation batches") {
  FashionClassifier<float> c;
  const Index n = FashionClassifier<float>::eval_batch + 44;  // two batches, the second short
  Tensor<float> x = random_images(n, 2);
  Tensor<float> f(core::features(n, 128)), p(core::features(n, 10));
  c.evaluate(x.view(), f.view(), p.view());
  CHECK(f.shape() == c.features(x.view()).shape());
  CHECK(testing::relative_error(c.features(x.view()).span(), f.span()) == 0);
  CHECK(testing::relative_error(c.probabilities(x.view()).span(), p.span()) == 0);
  CHECK(std::all_of(f.span().begin(), f.span().end(), [](float v) { return v >= 0; }));  // ReLU
  const std::vector<std::int32_t> predicted = c.predict(x.view());
  for (Index i = 0; i < n; ++i) {
    double sum = 0;
    for (Index k = 0; k < 10; ++k) {
      sum += p(i, k);
      CHECK(p(i, k) <= p(i, predicted[static_cast<std::size_t>(i)]));
    }
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
  }
  // An image alone gives what it gives inside a batch (up to the GEMM's summation order).
  for (Index i : {Index(0), Index(255), Index(256), n - 1}) {
    CAPTURE(i);
    const Tensor<float> alone = c.features(x.view().rows(i, 1));
    std::vector<float> row(f.view().sample(i), f.view().sample(i) + 128);
    CHECK(testing::relative_error(alone.span(), row) < 1e-5);
  }
  CHECK_THROWS_WITH_AS(c.features(Tensor<float>(core::images(2, 1, 32, 32)).view()),
                       doctest::Contains("expected samples of shape 1x1x28x28"), Error);
}

TEST_CASE("weights round-trip through a file, and bad files are refused naming the file") {
  test::TempDir dir;
  FashionClassifier<float> a;
  // architecture() spells the layers out: it must name them as the network does, in order
  // (describe() lines read "  i NAME -> shape  (n parameters)").
  {
    const std::string arch = a.architecture(), layers = a.describe();
    std::size_t at = 0, line = layers.find('\n') + 1;
    for (int i = 0; i < 10; ++i, line = layers.find('\n', line) + 1) {
      const std::size_t begin = layers.find(' ', line + 2) + 1, end = layers.find(" -> ", line);
      const std::string name = layers.substr(begin, end - begin);
      CAPTURE(name);
      at = arch.find(name, at);
      REQUIRE(at != std::string::npos);
      at += name.size();
    }
  }
  Rng init(12, Stream::init);
  a.initialize(init);
  a.save_weights(dir / "a.gan");
  FashionClassifier<float> b;
  b.load_weights(dir / "a.gan");
  CHECK(testing::relative_error(b.parameters(), a.parameters()) == 0);
  Tensor<float> x = random_images(5, 3);
  CHECK(b.predict(x.view()) == a.predict(x.view()));

  const std::vector<float> before(b.parameters().begin(), b.parameters().end());
  auto refused = [&](const std::filesystem::path& path) {
    const std::string message = test::error_of([&] { b.load_weights(path); });
    CHECK(message.find(path.string()) != std::string::npos);
    CHECK(message.find("Fashion-MNIST classifier weights") != std::string::npos);
    CHECK(std::equal(before.begin(), before.end(), b.parameters().begin()));  // untouched
    return message;
  };

  CHECK(refused(dir / "missing.gan").find("cannot read") != std::string::npos);

  test::Bytes bytes = test::read_bytes(dir / "a.gan");
  test::Bytes damaged = bytes;
  damaged[damaged.size() / 2] ^= 0x40;
  test::write_bytes(dir / "damaged.gan", damaged);
  CHECK(refused(dir / "damaged.gan").find("checksum mismatch") != std::string::npos);

  test::write_bytes(dir / "short.gan", test::Bytes(bytes.begin(), bytes.begin() + 1000));
  CHECK(refused(dir / "short.gan").find("checksum mismatch") != std::string::npos);

  // Another scalar type is another architecture.
  FashionClassifier<double> wide;
  wide.save_weights(dir / "double.gan");
  CHECK(refused(dir / "double.gan").find("another architecture") != std::string::npos);

  // The right fingerprint with the wrong number of values.
  Impostor few{b.architecture(), std::vector<float>(1000, 0.0f)};
  io::save_checkpoint(few, dir / "few.gan");
  CHECK(refused(dir / "few.gan").find("holds 1000 values") != std::string::npos);
}

TEST_CASE("the shipped weights classify the first 2,000 test images with >= 90% accuracy") {
  if (!data::has_fashion_mnist()) {
    MESSAGE("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): skipped");
    return;
  }
  FashionClassifier<float> c = metric::load_fashion_classifier<float>(GAN_CLASSIFIER_WEIGHTS);
  const auto test = data::load_fashion_mnist<float>(data::Split::test);
  const Index n = 2000;
  const double accuracy = c.accuracy(test.samples().rows(0, n), test.labels().first(n));
  MESSAGE("accuracy on the first 2,000 test images: ", accuracy);
  CHECK(accuracy >= 0.90);
}

#else

TEST_CASE("the classifier tests are built") {
  FAIL(
      "GAN_CLASSIFIER_WEIGHTS is not defined: tests/CMakeLists.txt must pass it (the path of "
      "examples/models/fashion_classifier.gan) to gan_test_metric and link gan::io");
}

#endif
