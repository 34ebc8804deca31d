#!/usr/bin/python3
"""PyTorch's view of WGAN-GP and DRAGAN on the 1D target N(4, 0.5): the cross-check for
the findings in tests/model/learning_test.cpp (both penalties fail there at λ = 10).

    torch_gauss1d_penalties.py [--penalty wgan-gp|dragan] [--lambdas 10,1,0.1]
                               [--seeds 0,1,2] [--steps 4000]

The learning test's setting, in PyTorch 1.13: G z(8) → 32 → 32 → 1 and D 1 → 32 → 32 → 1
(LeakyReLU 0.2, PyTorch's default initialization), batch 64, the learning rates constant
for the first half of the run, then falling linearly to 0.
  wgan-gp: critic loss mean D(G(z)) − mean D(x) + λ mean (‖∇D(x̂)‖ − 1)², x̂ = εx + (1 − ε)G(z),
           one ε ~ U[0, 1) per sample; Adam(1e-4, β = (0, 0.9)); 5 critic steps a G step.
  dragan:  non-saturating loss with real targets 0.9 and the same penalty at
           x̂ = x + α·0.5·std(x)·U[0, 1) (the DRAGAN authors' code); Adam(1e-4, β = (0.5, 0.9)).
Prints the mean and standard deviation of 10,000 samples five times a run, then one
summary line per (λ, seed).
"""
import argparse

import torch
import torch.nn as nn

softplus = nn.functional.softplus


def mlp(inputs, hidden, outputs):
    return nn.Sequential(nn.Linear(inputs, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden),
                         nn.LeakyReLU(0.2), nn.Linear(hidden, outputs))


def gradient_penalty(d, points, lam):
    points.requires_grad_(True)
    (g,) = torch.autograd.grad(d(points).sum(), points, create_graph=True)
    return lam * ((g.pow(2).sum(1) + 1e-12).sqrt() - 1).pow(2).mean()


def train(penalty, lam, steps, seed, batch=64):
    torch.manual_seed(seed)
    g, d = mlp(8, 32, 1), mlp(1, 32, 1)
    wgan = penalty == "wgan-gp"
    lr, betas, n_critic = (1e-4, (0.0, 0.9), 5) if wgan else (1e-4, (0.5, 0.9), 1)
    opt_g = torch.optim.Adam(g.parameters(), lr=lr, betas=betas)
    opt_d = torch.optim.Adam(d.parameters(), lr=lr, betas=betas)
    half = steps // 2
    for step in range(steps):
        scale = 1.0 if step < half else (steps - step) / (steps - half)
        for opt in (opt_g, opt_d):
            for group in opt.param_groups:
                group["lr"] = lr * scale
        for _ in range(n_critic):
            x = 4 + 0.5 * torch.randn(batch, 1)
            fake = g(torch.randn(batch, 8)).detach()
            real_out, fake_out = d(x), d(fake)
            if wgan:
                loss = fake_out.mean() - real_out.mean()
                eps = torch.rand(batch, 1)
                points = eps * x + (1 - eps) * fake
            else:
                loss = (0.1 * softplus(real_out) + 0.9 * softplus(-real_out)).mean() + \
                    softplus(fake_out).mean()
                alpha = torch.rand(batch, 1)
                points = x + alpha * 0.5 * x.std(unbiased=False) * torch.rand(batch, 1)
            opt_d.zero_grad()
            (loss + gradient_penalty(d, points, lam)).backward()
            opt_d.step()
        out = d(g(torch.randn(batch, 8)))
        loss_g = -out.mean() if wgan else softplus(-out).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        if (step + 1) % max(1, steps // 5) == 0 or step + 1 == steps:
            with torch.no_grad():
                y = g(torch.randn(10000, 8))
            mean, std = y.mean().item(), y.std().item()
            print(f"  {penalty} λ {lam} seed {seed} step {step + 1}: mean {mean:.3f} std {std:.3f}",
                  flush=True)
    return mean, std


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--penalty", choices=["wgan-gp", "dragan"], default="wgan-gp")
    p.add_argument("--lambdas", default="10,1,0.1")
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--steps", type=int, default=4000)
    args = p.parse_args()
    torch.set_num_threads(1)
    rows = []
    for lam in [float(v) for v in args.lambdas.split(",")]:
        for seed in [int(v) for v in args.seeds.split(",")]:
            mean, std = train(args.penalty, lam, args.steps, seed)
            learned = abs(mean - 4) < 0.2 and abs(std - 0.5) < 0.15
            rows.append(f"{args.penalty} λ {lam} seed {seed}: mean {mean:.3f} std {std:.3f} "
                        f"({'learned' if learned else 'not learned'})")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
