#include "gan/train/trainer.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "gan/variants.hpp"

using namespace gan;

namespace {
using G = net::MlpGenerator<float, layer::Identity>;
using D = net::MlpDiscriminator<float>;
using Model = NSGAN<G, D>;
Model make() {
  return Model(G(4, 8, 2), D(2, 8));
}
}  // namespace

TEST_CASE("Trainer runs to the last step and calls back every n steps and at the end") {
  Model m = make();
  Tensor<float> x(core::features(8, 2), 0.5f);
  train::Trainer trainer(m, 10);
  std::vector<Index> every3, ends;
  trainer.every(3, [&](const train::Progress& p) { every3.push_back(p.step); });
  trainer.at_end([&](const train::Progress& p) { ends.push_back(p.step); });
  int batches = 0;
  train::Progress p = trainer.run([&] {
    ++batches;
    return LabeledBatch<float>{x.view(), {}};
  });
  CHECK(m.steps() == 10);
  CHECK(batches == 10);
  CHECK(every3 == std::vector<Index>{3, 6, 9, 10});
  CHECK(ends == std::vector<Index>{10});
  CHECK(p.stats.step == 10);
  CHECK(p.first_step == 0);

  // A second run resumes where the model is and keeps the rhythm of the step count.
  train::Trainer more(m, 14);
  std::vector<Index> every4;
  more.every(4, [&](const train::Progress& q) { every4.push_back(q.step); });
  more.run([&] { return LabeledBatch<float>{x.view(), {}}; });
  CHECK(every4 == std::vector<Index>{12, 14});
}

TEST_CASE("Trainer applies the learning-rate schedule to both optimizers") {
  Model m = make();
  const double g0 = m.generator_optimizer().learning_rate();
  Tensor<float> x(core::features(8, 2), 0.5f);
  train::Trainer trainer(m, 4);
  std::vector<double> seen;
  trainer.schedule(train::linear_decay(1, 5));
  trainer.every(1, [&](const train::Progress&) {
    seen.push_back(m.generator_optimizer().learning_rate() / g0);
  });
  trainer.run([&] { return LabeledBatch<float>{x.view(), {}}; });
  // the rate used for step s+1 is set from step count s: 1, 1, 0.75, 0.5
  REQUIRE(seen.size() == 4);
  CHECK(seen[0] == doctest::Approx(1.0));
  CHECK(seen[1] == doctest::Approx(1.0));
  CHECK(seen[2] == doctest::Approx(0.75));
  CHECK(seen[3] == doctest::Approx(0.5));
  CHECK(m.discriminator_optimizer().learning_rate() / g0 == doctest::Approx(0.5));
  CHECK_THROWS_AS(train::linear_decay(5, 5), Error);

  // Resumed at step 4, a second trainer scales the given base rates, not the scheduled
  // rates the optimizers hold now (which would apply the schedule twice).
  train::Trainer resumed(m, 5);
  resumed.schedule(train::linear_decay(1, 6));
  resumed.base_rates(g0, 2 * g0);
  resumed.run([&] { return LabeledBatch<float>{x.view(), {}}; });
  CHECK(m.generator_optimizer().learning_rate() / g0 == doctest::Approx(0.4));  // 1 - 3/5
  CHECK(m.discriminator_optimizer().learning_rate() / g0 == doctest::Approx(0.8));
  CHECK_THROWS_AS(resumed.base_rates(0, 1), Error);
}

TEST_CASE("Progress estimates the time left from this run's pace") {
  train::Progress p;
  p.first_step = 100;
  p.step = 150;
  p.last_step = 200;
  p.seconds = 10;
  CHECK(p.eta() == doctest::Approx(10.0));
}
