// Trainer: the training loop over a data source, with callbacks every n steps and a
// learning-rate schedule.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/shape.hpp"
#include "gan/stats.hpp"

namespace gan::train {

/// Where the loop is, given to every callback.
struct Progress {
  Index step = 0;        ///< generator updates done so far (GAN::steps())
  Index first_step = 0;  ///< where this run started (> 0 after a resume)
  Index last_step = 0;   ///< where it ends
  double seconds = 0;    ///< wall time since this run started
  StepStats stats;       ///< of the step just done
  bool generator = true;  ///< false: only D is trained (fit_discriminator), no G loss

  /// Estimated seconds to the end from the pace of this run.
  double eta() const {
    const Index done = step - first_step;
    return done > 0 ? seconds / static_cast<double>(done) * static_cast<double>(last_step - step)
                    : 0;
  }
};

/// Runs a model's steps to a given count, calling callbacks every n steps and at the end,
/// and applying a learning-rate schedule before each step.
///
///     train::Trainer trainer(model, 10'000);
///     trainer.every(100, [&](const train::Progress& p) { log.write(p.stats); });
///     trainer.schedule(train::linear_decay(5'000, 10'000));
///     trainer.run([&] { return loader.next(); });
template <class Model>
class Trainer {
 public:
  using Callback = std::function<void(const Progress&)>;
  /// Multiplier of both networks' initial learning rates at a step (1 = unchanged).
  using Schedule = std::function<double(Index step)>;

  Trainer(Model& model, Index last_step) : m_model(model), m_last(last_step) {
    GAN_CHECK(last_step >= 0, "Trainer: the number of steps must be >= 0, got ", last_step);
  }

  /// Calls f after every n-th step (counted in GAN::steps(), so a resumed run keeps the
  /// rhythm) and after the last one.
  void every(Index n, Callback f) {
    GAN_CHECK(n >= 1, "Trainer::every: n must be >= 1, got ", n);
    m_callbacks.push_back({n, std::move(f)});
  }
  /// Calls f once when the loop ends normally.
  void at_end(Callback f) { m_end.push_back(std::move(f)); }
  /// Scales the base learning rates (see base_rates) before every step.
  void schedule(Schedule s) { m_schedule = std::move(s); }
  /// The rates a schedule scales. Without this call they are the optimizers' rates when
  /// run() starts, which is wrong once those are themselves scheduled (after a resume).
  void base_rates(double generator, double discriminator) {
    GAN_CHECK(generator > 0 && discriminator > 0, "Trainer::base_rates: rates must be > 0, got ",
              generator, ", ", discriminator);
    m_base = {generator, discriminator};
  }

  /// Steps until GAN::steps() reaches the last step. `next()` gives each critic update's
  /// real batch (a LabeledBatch). A Divergence from a step propagates to the caller.
  template <class Source>
  Progress run(Source&& next) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    Progress p;
    p.first_step = m_model.steps();
    p.last_step = m_last;
    p.step = p.first_step;
    const double g_lr = m_base ? m_base->first : m_model.generator_optimizer().learning_rate();
    const double d_lr = m_base ? m_base->second : m_model.discriminator_optimizer().learning_rate();
    while (m_model.steps() < m_last) {
      if (m_schedule) {
        const double scale = m_schedule(m_model.steps());
        m_model.generator_optimizer().set_learning_rate(g_lr * scale);
        m_model.discriminator_optimizer().set_learning_rate(d_lr * scale);
      }
      p.stats = m_model.step_from(next);
      p.step = m_model.steps();
      p.seconds = std::chrono::duration<double>(clock::now() - start).count();
      for (auto& c : m_callbacks)
        if (p.step % c.every == 0 || p.step == m_last) c.f(p);
    }
    for (auto& f : m_end) f(p);
    return p;
  }

 private:
  struct Entry {
    Index every;
    Callback f;
  };
  Model& m_model;
  Index m_last;
  std::vector<Entry> m_callbacks;
  std::vector<Callback> m_end;
  Schedule m_schedule;
  std::optional<std::pair<double, double>> m_base;
};

/// Learning rate constant until `start`, then falling linearly to 0 at `end` (the
/// schedule of the WGAN-GP and many DCGAN codes).
inline std::function<double(Index)> linear_decay(Index start, Index end) {
  GAN_CHECK(end > start && start >= 0, "linear_decay: need 0 <= start < end, got ", start, ", ",
            end);
  return [start, end](Index step) {
    if (step <= start) return 1.0;
    if (step >= end) return 0.0;
    return 1.0 - static_cast<double>(step - start) / static_cast<double>(end - start);
  };
}

}  // namespace gan::train
