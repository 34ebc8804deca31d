// Every named GAN variant as an alias of GAN<...>, with its paper's networks as defaults
// where the paper fixes them. Hyperparameters come from the policies' recipes
// (GAN::default_options()) and stay run-time values.
#pragma once

#include "gan/condition/none.hpp"
#include "gan/condition/one_hot.hpp"
#include "gan/condition/packed.hpp"
#include "gan/loss/boundary_equilibrium.hpp"
#include "gan/loss/least_squares.hpp"
#include "gan/loss/minimax.hpp"
#include "gan/loss/non_saturating.hpp"
#include "gan/loss/wasserstein.hpp"
#include "gan/model.hpp"
#include "gan/net/began28.hpp"
#include "gan/net/dcgan28.hpp"
#include "gan/net/mlp.hpp"
#include "gan/optim/adam.hpp"
#include "gan/optim/rms_prop.hpp"
#include "gan/optim/sgd.hpp"
#include "gan/penalty/dragan.hpp"
#include "gan/penalty/gradient_penalty.hpp"
#include "gan/penalty/none.hpp"
#include "gan/penalty/weight_clip.hpp"

namespace gan {

/// The original GAN with the saturating generator loss (Goodfellow et al. 2014).
template <class G = net::MlpGenerator<float>, class D = net::MlpDiscriminator<float>>
using MinimaxGAN = GAN<G, D, loss::Minimax>;

/// The non-saturating GAN with one-sided label smoothing 0.1: the seed survey's GAN.
template <class G = net::MlpGenerator<float>, class D = net::MlpDiscriminator<float>>
using NSGAN = GAN<G, D, loss::NonSaturating>;

/// DCGAN (Radford et al. 2016): the non-saturating GAN on the W2 convolutional networks.
template <class G = net::DcganGenerator28<float>, class D = net::DcganDiscriminator28<float>>
using DCGAN = GAN<G, D, loss::NonSaturating>;

/// Conditional GAN (Mirza & Osindero 2014): one-hot labels joined to z and to D's input.
template <Index Classes = 10, class G = net::MlpGenerator<float>,
          class D = net::MlpDiscriminator<float>>
using CGAN = GAN<G, D, loss::NonSaturating, penalty::None, condition::OneHot<Classes>>;

/// The conditional DCGAN: one-hot labels appended to z and joined to the images as
/// constant feature maps.
template <Index Classes = 10, class G = net::DcganGenerator28<float, 62 + Classes>,
          class D = net::DcganDiscriminator28<float, 1 + Classes>>
using ConditionalDCGAN = GAN<G, D, loss::NonSaturating, penalty::None, condition::OneHot<Classes>>;

/// WGAN (Arjovsky et al. 2017): critic loss, weight clipping 0.01, RMSProp 5·10⁻⁵,
/// n_critic 5.
template <class G = net::MlpGenerator<float>, class D = net::MlpDiscriminator<float>>
using WGAN = GAN<G, D, loss::Wasserstein, penalty::WeightClip, condition::None, optim::RmsProp>;

/// WGAN-GP (Gulrajani et al. 2017): critic loss, gradient penalty λ = 10, Adam 10⁻⁴ with
/// β = (0, 0.9), n_critic 5.
template <class G = net::MlpGenerator<float>, class D = net::MlpDiscriminator<float>>
using WGAN_GP = GAN<G, D, loss::Wasserstein, penalty::GradientPenalty>;

/// LSGAN (Mao et al. 2017): least-squares loss with a = 0, b = c = 1.
template <class G = net::MlpGenerator<float>, class D = net::MlpDiscriminator<float>>
using LSGAN = GAN<G, D, loss::LeastSquares>;

/// BEGAN (Berthelot et al. 2017): an autoencoder D and the boundary-equilibrium loss.
template <class G = net::MlpGenerator<float>, class D = net::MlpAutoencoder<float>>
using BEGAN = GAN<G, D, loss::BoundaryEquilibrium>;

/// DRAGAN (Kodali et al. 2017): non-saturating loss with the gradient penalty around the
/// data.
template <class G = net::MlpGenerator<float>, class D = net::MlpDiscriminator<float>>
using DRAGAN = GAN<G, D, loss::NonSaturating, penalty::Dragan>;

/// PacGAN (Lin et al. 2018): NSGAN whose D judges packs of Pack samples (D's input is
/// Pack times G's output: net::MlpDiscriminator<float>(Pack * features, hidden)).
template <Index Pack = 4, class G = net::MlpGenerator<float>,
          class D = net::MlpDiscriminator<float>>
using PacGAN = GAN<G, D, loss::NonSaturating, penalty::None, condition::Packed<Pack>>;

}  // namespace gan
