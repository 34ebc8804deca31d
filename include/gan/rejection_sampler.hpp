// RejectionSampler: samples of a trained GAN filtered by its discriminator (discriminator
// rejection sampling, Azadi et al., "Discriminator Rejection Sampling", ICLR 2019).
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <vector>

#include "gan/core/error.hpp"
#include "gan/core/rng.hpp"
#include "gan/core/tensor.hpp"
#include "gan/net/tape.hpp"

namespace gan {

/// A GAN whose loss says how D's output estimates the density ratio p_data/p_g.
template <class Model>
concept HasDensityRatio = requires(const typename Model::LossPolicy& l) {
  { l.log_density_ratio(0.0) } -> std::convertible_to<double>;
};

/// Draws from the model's sampling generator and keeps a sample x with probability
/// min(1, r(x)/M), where r = p_data/p_g is the ratio D's output estimates through the
/// loss's log_density_ratio and M is a quantile of the finite r over a burn-in draw (an
/// infinite r, a D more confident than any optimum, is always kept). With an optimal
/// D and M = max r the kept samples follow p_data exactly (von Neumann's rejection
/// sampling with proposal p_g); a quantile below 1 trades that exactness in the tail for
/// a higher acceptance rate, as the paper's shift γ does. Samples G puts where the data
/// has no mass (between the modes of a mixture) get r ≈ 0 and are dropped.
///
///     gan::RejectionSampler drs(model);   // after training
///     Tensor<float> x = drs.sample(2500);
///
/// Uses the EMA generator when the model has one (model.sample_from), D in evaluation
/// mode, and its own random stream, so the model's streams and weights are untouched.
template <class Model>
class RejectionSampler {
 public:
  using T = typename Model::Scalar;
  struct Options {
    Index burn_in = 10'000;  ///< samples whose log-ratios set M
    double quantile = 0.99;  ///< M's quantile of the burn-in ratios, in (0, 1]
    Index batch = 500;       ///< candidates drawn at a time
    /// sample(n) gives up after this many candidates per requested sample
    Index max_candidates_per_sample = 1000;
    std::uint64_t seed = 0;  ///< the sampler's own stream (Stream::user)
  };

  explicit RejectionSampler(Model& model) : RejectionSampler(model, Options{}) {}
  RejectionSampler(Model& model, Options o)
      : m_model(model), m_options(o), m_rng(o.seed, Stream::user) {
    static_assert(!Model::ConditionPolicy::conditional,
                  "RejectionSampler: conditional models are not supported yet (the bound M "
                  "would be per class)");
    static_assert(HasDensityRatio<Model>,
                  "RejectionSampler: the loss's discriminator does not estimate a density ratio "
                  "(Minimax, NonSaturating and LeastSquares do; Wasserstein, Hinge and "
                  "BoundaryEquilibrium do not)");
    const Shape one = model.generator().output_shape(1);
    GAN_CHECK(model.condition().discriminator_input_shape(one) == one,
              "RejectionSampler: D's input is not one of G's samples; a D that judges packs "
              "of samples (PacGAN) gives no density ratio of one sample");
    GAN_CHECK(o.burn_in >= 1, "RejectionSampler: burn_in must be >= 1, got ", o.burn_in);
    GAN_CHECK(o.quantile > 0 && o.quantile <= 1,
              "RejectionSampler: quantile must be in (0, 1], got ", o.quantile);
    GAN_CHECK(o.batch >= 1, "RejectionSampler: batch must be >= 1, got ", o.batch);
    GAN_CHECK(o.max_candidates_per_sample >= 1,
              "RejectionSampler: max_candidates_per_sample must be >= 1, got ",
              o.max_candidates_per_sample);
    std::vector<double> burn;
    burn.reserve(static_cast<std::size_t>(o.burn_in));
    for (Index done = 0; done < o.burn_in; done += o.batch) {
      const Index count = std::min(o.batch, o.burn_in - done);
      draw(count);
      for (double r : m_log_ratio)
        if (std::isfinite(r)) burn.push_back(r);  // +∞ is kept whatever M is, −∞ dropped
    }
    GAN_CHECK(!burn.empty(), "RejectionSampler: D's log density ratio is infinite or NaN on all ",
              o.burn_in, " burn-in samples; D gives no usable ratio (is the model trained?)");
    std::sort(burn.begin(), burn.end());
    const auto at = static_cast<std::size_t>(std::ceil(o.quantile * double(burn.size()))) - 1;
    m_log_bound = burn[std::min(at, burn.size() - 1)];
  }

  /// n accepted samples, shaped like the generator's output.
  Tensor<T> sample(Index n) {
    GAN_CHECK(n >= 0, "RejectionSampler: sample count ", n, ": expected >= 0");
    Tensor<T> out(m_model.generator().output_shape(n));
    Index kept = 0;
    const Index limit = std::max<Index>(1, n) * m_options.max_candidates_per_sample;
    Index tried = 0;
    while (kept < n) {
      GAN_CHECK(tried < limit, "RejectionSampler: kept ", kept, " of ", tried,
                " candidates, short of ", n, " (acceptance ", double(kept) / double(tried),
                "); D rejects nearly everything G makes");
      draw(m_options.batch);
      for (Index i = 0; i < m_options.batch && kept < n; ++i) {
        ++tried;
        const double r = m_log_ratio[i];
        const double p = std::isnan(r) ? 0.0 : std::exp(std::min(0.0, r - m_log_bound));
        if (m_rng.uniform() < p) {
          std::copy(m_candidates.view().sample(i),
                    m_candidates.view().sample(i) + m_candidates.features(),
                    out.view().sample(kept));
          ++kept;
        }
      }
    }
    m_tried += tried;
    m_kept += kept;
    return out;
  }

  /// log M, the bound the ratios are divided by.
  double log_bound() const { return m_log_bound; }
  /// Fraction of the candidates sample() has kept so far (the burn-in not counted).
  double acceptance() const { return m_tried > 0 ? double(m_kept) / double(m_tried) : 0.0; }

 private:
  /// Fills m_candidates with `count` generated samples and m_log_ratio with D's view.
  void draw(Index count) {
    Tensor<T> z(core::features(count, m_model.noise_size()));
    m_rng.fill_normal(z.span());
    m_candidates.resize(m_model.generator().output_shape(count));
    m_model.sample_from(z.view(), {}, m_candidates.view());
    auto& d = m_model.discriminator();
    d.set_training(false);
    ConstView<T> out = d.forward(m_candidates.view(), m_tape);
    d.set_training(true);
    GAN_CHECK(out.features() == 1, "RejectionSampler: D gives ", out.features(),
              " values a sample; a density ratio needs one");
    m_log_ratio.resize(static_cast<std::size_t>(count));
    const auto& loss = m_model.loss();
    for (Index i = 0; i < count; ++i) m_log_ratio[i] = loss.log_density_ratio(out(i, 0));
  }

  Model& m_model;
  Options m_options;
  Rng m_rng;
  double m_log_bound = 0;
  Index m_tried = 0, m_kept = 0;
  Tensor<T> m_candidates;
  net::Tape<T> m_tape;
  std::vector<double> m_log_ratio;
};

}  // namespace gan
