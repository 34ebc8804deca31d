// StepStats: what one training step reports.
#pragma once

#include <optional>

#include "gan/core/shape.hpp"

namespace gan {

/// Statistics of one step (n_critic discriminator updates and one generator update). The
/// discriminator figures are those of the last critic update.
struct StepStats {
  Index step = 0;                     ///< generator updates done, this one included
  double d_loss = 0;                  ///< discriminator loss, penalty included
  double g_loss = 0;                  ///< generator loss
  double d_real = 0;                  ///< mean D(x): a probability for the sigmoid losses, the raw
                                      ///< score for critics, the reconstruction loss L(x) for BEGAN
  double d_fake = 0;                  ///< the same for G(z)
  double penalty = 0;                 ///< the penalty term inside d_loss (0 without one)
  double d_grad_norm = 0;             ///< ‖∂d_loss/∂θ_D‖₂ before the optimizer step
  double g_grad_norm = 0;             ///< ‖∂g_loss/∂θ_G‖₂ before the optimizer step
  std::optional<double> wasserstein;  ///< E[D(x)] − E[D(G(z))] for critic losses
  std::optional<double> k;            ///< BEGAN's k_t after this step
  std::optional<double> m_global;     ///< BEGAN's convergence measure
};

}  // namespace gan
