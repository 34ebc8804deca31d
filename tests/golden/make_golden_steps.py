#!/usr/bin/python3
"""Writes tests/golden/steps.txt: PyTorch 1.13's result of one whole training step of
WGAN-GP, DRAGAN and BEGAN on fixed weights and data, which
tests/model/golden_step_test.cpp reproduces with gan::GAN<...>::step.

    /usr/bin/python3 tests/golden/make_golden_steps.py

A step is what GAN::step does with n_critic = 1:

  1. the discriminator update: fakes G(z) from noise z, D's loss on the real batch (from
     the file) and the fakes, the penalty at points drawn from the penalty stream
     (torch.autograd.grad with create_graph=True), the gradient of both with respect to
     D's parameters, one Adam step of D;
  2. the generator update: fresh noise, G's loss through the updated D, the gradient with
     respect to G's parameters, one Adam step of G.

The noise and the penalty's random numbers come from the library's random streams
(gan::Rng, include/gan/core/rng.hpp), reproduced here bit for bit, so that the C++ test
runs the model's own step, the sampling of the penalty points included. The file also
holds those random numbers, which the C++ test checks against its own streams first.

Every value is computed in float64. Format and value generator: tests/golden/README.md;
the shared pieces (Case, the value generator) are imported from make_golden.py.
"""

import copy
import math
import os
import sys

import torch
import torch.nn.functional as F

from make_golden import Case, HERE

# ------------------------------------------------------------------ the library's Rng

MASK32 = 0xFFFFFFFF
NOISE_STREAM = 2    # gan::Stream::noise
PENALTY_STREAM = 4  # gan::Stream::penalty


def philox4x32_10(counter, key):
    """Philox4x32 with 10 rounds (Salmon et al., "Parallel Random Numbers: As Easy as
    1, 2, 3", SC 2011) on four 32-bit counter words and two key words."""
    c0, c1, c2, c3 = counter
    k0, k1 = key
    for _ in range(10):
        p0 = 0xD2511F53 * c0
        p1 = 0xCD9E8D57 * c2
        c0, c1, c2, c3 = (p1 >> 32) ^ c1 ^ k0, p1 & MASK32, (p0 >> 32) ^ c3 ^ k1, p0 & MASK32
        k0 = (k0 + 0x9E3779B9) & MASK32
        k1 = (k1 + 0xBB67AE85) & MASK32
    return [c0, c1, c2, c3]


# The known-answer test of Random123 (kat_vectors: philox4x32 10, counter and key zero).
assert philox4x32_10([0, 0, 0, 0], [0, 0]) == [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]


class Rng:
    """gan::Rng: block b of stream s under seed k is Philox of the counter (b, s) with
    key k, its four words returned in order; 64 bits are two words, the first the high
    half; uniform() = (64 bits >> 11)·2⁻⁵³; normal() is Box–Muller on two uniforms."""

    def __init__(self, seed, stream):
        self.key = [seed & MASK32, seed >> 32]
        self.stream = stream
        self.block = 0
        self.words = []

    def next_u32(self):
        if not self.words:
            b, s = self.block, self.stream
            self.words = philox4x32_10([b & MASK32, b >> 32, s & MASK32, s >> 32], self.key)
            self.block += 1
        return self.words.pop(0)

    def uniform(self):
        hi = self.next_u32()
        return float(((hi << 32) | self.next_u32()) >> 11) * 2.0 ** -53

    def normal(self):
        u1 = 1.0 - self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


# ------------------------------------------------------------------------- networks
#
# A network is a list of layers, as the library's net::Sequential holds them; the
# parameters of layer i are the inputs "<net>.<i>.weight" and "<net>.<i>.bias" in
# PyTorch's layout, which is the library's order within d.parameters().


class Network:
    def __init__(self, case, prefix, layers):
        self.layers = layers
        self.names, self.params = [], []
        self.kink_margin = math.inf  # smallest |x| at a LeakyReLU, over all passes
        for i, layer in enumerate(layers):
            for name, shape, scale, offset in layer_parameters(layer):
                self.names.append("%s.%d.%s" % (prefix, i, name))
                p = case.input(self.names[-1], shape, scale, offset)
                self.params.append(p.requires_grad_(True))

    def __call__(self, x):
        params = iter(self.params)
        for layer in self.layers:
            kind = layer[0]
            if kind == "dense":
                w, b = next(params), next(params)
                x = F.linear(x.reshape(x.shape[0], -1), w, b)
            elif kind == "conv2d":
                _, _, _, _, stride, padding = layer
                w, b = next(params), next(params)
                x = F.conv2d(x, w, b, stride, padding)
            elif kind == "layer_norm":
                w, b = next(params), next(params)
                x = F.layer_norm(x, layer[1], w, b, 1e-5)
            elif kind == "leaky_relu":
                self.kink_margin = min(self.kink_margin, x.detach().abs().min().item())
                x = F.leaky_relu(x, layer[1])
            elif kind == "tanh":
                x = torch.tanh(x)
            elif kind == "reshape":
                x = x.reshape((x.shape[0],) + layer[1])
            else:
                raise ValueError(kind)
        return x


def layer_parameters(layer):
    """(name, shape, scale, offset) of each parameter of a layer, in the library's order.
    Scales keep every activation of order one."""
    kind = layer[0]
    if kind == "dense":
        _, fin, fout = layer
        scale = 0.5 if fin <= 16 else 0.25
        return [("weight", (fout, fin), scale, 0.0), ("bias", (fout,), 0.5, 0.0)]
    if kind == "conv2d":
        _, cin, cout, k, _, _ = layer
        return [("weight", (cout, cin, k, k), 0.5, 0.0), ("bias", (cout,), 0.5, 0.0)]
    if kind == "layer_norm":
        return [("weight", layer[1], 0.5, 1.0), ("bias", layer[1], 0.5, 0.0)]
    return []


def mlp_discriminator(fin, hidden):
    """net::MlpDiscriminator(fin, hidden)."""
    return [("dense", fin, hidden), ("leaky_relu", 0.2), ("dense", hidden, hidden),
            ("leaky_relu", 0.2), ("dense", hidden, 1)]


def mlp_autoencoder(fin, hidden, code):
    """net::MlpAutoencoder(fin, hidden, code)."""
    return [("dense", fin, hidden), ("leaky_relu", 0.2), ("dense", hidden, code),
            ("dense", code, hidden), ("leaky_relu", 0.2), ("dense", hidden, fin)]


def conv_critic(c, h, w, channels):
    """Conv2d(c, channels, 3, stride 2, padding 1) → LayerNorm → Tanh → Dense(·, 1): the
    layers of the WGAN-GP critic (LayerNorm in place of BatchNorm) in small."""
    oh, ow = (h - 1) // 2 + 1, (w - 1) // 2 + 1
    return [("conv2d", c, channels, 3, 2, 1), ("layer_norm", (channels, oh, ow)), ("tanh",),
            ("dense", channels * oh * ow, 1)]


# ---------------------------------------------------------------- losses, penalties


def reconstruction(d, v):
    """BEGAN's L(v) = mean |v − D(v)|, and the smallest |v − D(v)| (the kink margin)."""
    r = v - d(v)
    return r.abs().mean(), r.detach().abs().min().item()


class Wasserstein:
    def params(self, c):
        pass

    def discriminator(self, d, real, fake, stats):
        mr, mf = d(real).mean(), d(fake).mean()
        stats.update(d_real=mr, d_fake=mf, wasserstein=mr - mf)
        return mf - mr

    def generator(self, d, fake):
        return -d(fake).mean()


class NonSaturating:
    def __init__(self, smoothing):
        self.smoothing = smoothing

    def params(self, c):
        c.param("smoothing", self.smoothing)

    def discriminator(self, d, real, fake, stats):
        lr, lf = d(real), d(fake)
        stats.update(d_real=torch.sigmoid(lr).mean(), d_fake=torch.sigmoid(lf).mean())
        return (F.binary_cross_entropy_with_logits(lr, torch.full_like(lr, 1 - self.smoothing))
                + F.binary_cross_entropy_with_logits(lf, torch.zeros_like(lf)))

    def generator(self, d, fake):
        lf = d(fake)
        return F.binary_cross_entropy_with_logits(lf, torch.ones_like(lf))


class BoundaryEquilibrium:
    def __init__(self, gamma, lambda_k, k0):
        self.gamma, self.lambda_k, self.k = gamma, lambda_k, k0
        self.margin = math.inf

    def params(self, c):
        c.param("gamma", self.gamma)
        c.param("lambda_k", self.lambda_k)
        c.param("k0", self.k)

    def loss(self, d, v):
        value, margin = reconstruction(d, v)
        self.margin = min(self.margin, margin)
        return value

    def discriminator(self, d, real, fake, stats):
        lx, lg = self.loss(d, real), self.loss(d, fake)
        stats.update(d_real=lx, d_fake=lg)
        return lx - self.k * lg

    def after_discriminator_step(self, stats):
        """k_{t+1} = clip(k_t + λ_k(γ L(x) − L(G(z))), 0, 1) and M_global."""
        balance = self.gamma * stats["d_real"].item() - stats["d_fake"].item()
        self.k = min(max(self.k + self.lambda_k * balance, 0.0), 1.0)
        stats.update(k=self.k, m_global=stats["d_real"].item() + abs(balance))

    def generator(self, d, fake):
        return self.loss(d, fake)


def unit_norm_penalty(d, points, lam):
    """λ·mean((‖∇D(x̂)‖ − 1)²), ‖g‖ = √(Σg² + 10⁻¹²) as the library (the ε keeps the
    derivative finite at g = 0), by double backpropagation."""
    points = points.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(d(points).sum(), points, create_graph=True)
    norm = torch.sqrt(g.reshape(g.shape[0], -1).pow(2).sum(1) + 1e-12)
    return lam * (norm - 1).pow(2).mean()


class GradientPenalty:
    """WGAN-GP: x̂ = εx + (1 − ε)G(z), one ε a sample (penalty::GradientPenalty)."""

    def __init__(self, lam):
        self.lam = lam

    def params(self, c):
        c.param("lambda", self.lam)

    def points(self, rng, real, fake, uniforms):
        eps = [rng.uniform() for _ in range(real.shape[0])]
        uniforms += eps
        e = torch.tensor(eps).reshape((-1,) + (1,) * (real.dim() - 1))
        return e * real + (1 - e) * fake

    def __call__(self, d, rng, real, fake, uniforms):
        return unit_norm_penalty(d, self.points(rng, real, fake, uniforms), self.lam)


class Dragan:
    """DRAGAN: x̂ = x + α·(c·std(x))·U, α ~ U[0, 1) a sample drawn before that sample's
    U values, one U ~ U[0, 1) a value, std the population one of the batch
    (penalty::Dragan)."""

    def __init__(self, lam, spread=0.5):
        self.lam, self.spread = lam, spread

    def params(self, c):
        c.param("lambda", self.lam)
        c.param("spread", self.spread)

    def points(self, rng, real, fake, uniforms):
        scale = self.spread * real.std(unbiased=False).item()
        flat = real.reshape(real.shape[0], -1)
        rows = []
        for i in range(real.shape[0]):
            alpha = rng.uniform()
            u = [rng.uniform() for _ in range(flat.shape[1])]
            uniforms += [alpha] + u
            rows.append(flat[i] + alpha * scale * torch.tensor(u))
        return torch.stack(rows).reshape(real.shape)

    def __call__(self, d, rng, real, fake, uniforms):
        return unit_norm_penalty(d, self.points(rng, real, fake, uniforms), self.lam)


class NoPenalty:
    def params(self, c):
        pass

    def __call__(self, d, rng, real, fake, uniforms):
        return torch.zeros(())


# ----------------------------------------------------------------------------- step


def adam_step(params, grads, lr, betas, eps):
    """One torch.optim.Adam step; returns θ₁ − θ₀ of each parameter."""
    before = [p.detach().clone() for p in params]
    opt = torch.optim.Adam(params, lr=lr, betas=betas, eps=eps)
    for p, g in zip(params, grads):
        p.grad = g
    opt.step()
    return [p.detach() - b for p, b in zip(params, before)]


def scalar(v):
    return torch.tensor([float(v)])


def gradient_margin(grads, eps):
    """min max(|g|, ε)/max |g| over a network's gradient. Adam's first step moves each
    parameter by lr·g/(|g| + ε): where |g| is within float rounding of 0 and ε is not
    larger, the float step is rounding divided by rounding, ±lr either way."""
    flat = torch.cat([g.reshape(-1) for g in grads]).abs()
    return (flat.clamp(min=eps).min() / flat.max()).item()


def run_step(name, seed, n, noise, fake_shape, g_layers, d_layers, loss, penalty, lr, betas,
             eps):
    """One GAN::step with n_critic = 1 (see the module comment) from streams of `seed`.
    Writes the inputs (the real batch, G's and D's weights), the random numbers drawn,
    every figure of StepStats, each parameter's gradient and the change one Adam step
    makes. Returns the case and its margins (see step_case)."""
    loss = copy.deepcopy(loss)  # BEGAN's k
    c = Case(name)
    c.param("n", n)
    c.param("noise", noise)
    c.param("seed", seed)
    c.param("lr", lr)
    c.param("beta1", betas[0])
    c.param("beta2", betas[1])
    c.param("adam_eps", eps)
    loss.params(c)
    penalty.params(c)
    real = c.input("real", (n,) + fake_shape, 2.0, 0.0)
    g = Network(c, "g", g_layers)
    d = Network(c, "d", d_layers)

    noise_rng, penalty_rng = Rng(seed, NOISE_STREAM), Rng(seed, PENALTY_STREAM)
    draw = lambda: torch.tensor([[noise_rng.normal() for _ in range(noise)] for _ in range(n)])
    z_d = draw()
    stats = {}

    # The discriminator update.
    fake = g(z_d).detach()
    uniforms = []
    adversarial = loss.discriminator(d, real, fake, stats)
    p = penalty(d, penalty_rng, real, fake, uniforms)
    d_loss = adversarial + p
    d_grads = torch.autograd.grad(d_loss, d.params)
    stats.update(d_loss=d_loss, penalty=p,
                 d_grad_norm=torch.sqrt(sum(gr.pow(2).sum() for gr in d_grads)))
    d_changes = adam_step(d.params, d_grads, lr, betas, eps)
    if hasattr(loss, "after_discriminator_step"):
        loss.after_discriminator_step(stats)

    # The generator update, through the updated D.
    z_g = draw()
    fake2 = g(z_g)
    g_loss = loss.generator(d, fake2)
    *g_grads, fake_grad = torch.autograd.grad(g_loss, g.params + [fake2])
    stats.update(g_loss=g_loss, g_grad_norm=torch.sqrt(sum(gr.pow(2).sum() for gr in g_grads)))
    g_changes = adam_step(g.params, g_grads, lr, betas, eps)

    # The draws, then the results.
    c.output("noise", torch.cat([z_d, z_g]))
    if uniforms:
        c.output("penalty_uniforms", torch.tensor(uniforms))
    for key in ("d_loss", "penalty", "d_real", "d_fake", "wasserstein", "k", "m_global",
                "d_grad_norm", "g_loss", "g_grad_norm"):
        if key in stats:
            c.output(key, scalar(stats[key]))
    for net, grads, changes in ((d, d_grads, d_changes), (g, g_grads, g_changes)):
        for key, gr, ch in zip(net.names, grads, changes):
            c.output(key + ".grad", gr)
            c.output(key + ".change", ch)
    if isinstance(loss, BoundaryEquilibrium):
        c.output("fake_grad", fake_grad)

    kink = min(d.kink_margin, g.kink_margin, getattr(loss, "margin", math.inf))
    return c, kink, min(gradient_margin(d_grads, eps), gradient_margin(g_grads, eps))


def step_case(name, *args, **kwargs):
    """The case of the first seed (1, 2, ...) that is well conditioned: no value at a
    kink (LeakyReLU's 0, BEGAN's v = D(v)) within 10⁻⁴, no gradient below 10⁻⁴ of the
    largest unless Adam's ε is above that, so that float rounding can neither switch a
    slope nor decide an Adam step."""
    for seed in range(1, 1000):
        c, kink, gradient = run_step(name, seed, *args, **kwargs)
        if kink > 1e-4 and gradient > 1e-4:
            print("%-20s seed %3d: kink margin %.1e, gradient margin %.1e"
                  % (name, seed, kink, gradient))
            return c
    sys.exit("%s: no well-conditioned seed" % name)


def step_cases():
    linear_g = lambda noise, out: [("dense", noise, out)]
    image_g = lambda noise, shape: [("dense", noise, math.prod(shape)), ("tanh",),
                                    ("reshape", shape)]
    # Gulrajani et al. 2017, Algorithm 1, but for Adam's ε: under the Wasserstein loss the
    # critic's output bias has gradient exactly 0 (mean D(G(z)) − mean D(x) does not move
    # with it), and so has a hidden bias whose LeakyReLU slopes are shared alike by the
    # real and the fake batch; float computes rounding there, which Adam with ε = 10⁻⁸
    # would turn into a step of about lr (in PyTorch's float32 too). ε = 10⁻³ keeps
    # such steps at rounding size.
    wgan_gp = dict(lr=1e-4, betas=(0.0, 0.9), eps=1e-3)
    dragan = dict(lr=1e-4, betas=(0.5, 0.9), eps=1e-8)   # penalty::Dragan's recipe
    began = dict(lr=1e-4, betas=(0.5, 0.999), eps=1e-8)  # loss::BoundaryEquilibrium's
    return [
        step_case("wgan_gp/mlp", 4, 3, (5,), linear_g(3, 5), mlp_discriminator(5, 6),
                  Wasserstein(), GradientPenalty(10.0), **wgan_gp),
        step_case("wgan_gp/conv", 3, 4, (2, 5, 7), image_g(4, (2, 5, 7)),
                  conv_critic(2, 5, 7, 4), Wasserstein(), GradientPenalty(10.0), **wgan_gp),
        step_case("dragan/mlp_smoothed", 5, 3, (5,), linear_g(3, 5), mlp_discriminator(5, 6),
                  NonSaturating(0.1), Dragan(10.0), **dragan),
        step_case("dragan/conv", 2, 4, (2, 5, 7), image_g(4, (2, 5, 7)),
                  conv_critic(2, 5, 7, 4), NonSaturating(0.0), Dragan(10.0), **dragan),
        step_case("began/mlp", 3, 2, (5,), linear_g(2, 5), mlp_autoencoder(5, 6, 3),
                  BoundaryEquilibrium(0.75, 0.001, 0.3), NoPenalty(), **began),
    ]


def main():
    if not torch.__version__.startswith("1.13"):
        sys.exit("make_golden_steps.py wants PyTorch 1.13, found %s (run /usr/bin/python3)"
                 % torch.__version__)
    torch.set_default_dtype(torch.float64)
    cases = step_cases()
    header = ["# One GAN step (WGAN-GP, DRAGAN, BEGAN) against torch.autograd and torch.optim",
              "# Written by tests/golden/make_golden_steps.py with PyTorch %s; do not edit."
              % torch.__version__,
              "# Format: tests/golden/README.md.", ""]
    text = "\n".join(header) + "".join(c.text() for c in cases)
    with open(os.path.join(HERE, "steps.txt"), "w") as f:
        f.write(text)
    print("%-12s %3d cases %7d bytes" % ("steps.txt", len(cases), len(text)))


if __name__ == "__main__":
    main()
