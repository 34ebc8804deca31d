#!/usr/bin/python3
"""The speed workloads of WORKLOADS.md in PyTorch (Python), a peer that bench/compare
measures the library against: the same program as torch_workloads.cpp (see there for what
each step does), for Debian's python3-torch.

Usage: torch_workloads.py WORKLOAD THREADS [SECONDS]
  WORKLOAD  W1 | W2 | W3 | W4_mlp | W4_dcgan
Prints one JSON line: {"impl", "workload", "threads", "rate", "iterations", "seconds"},
rate in iterations (W1-W3) or samples (W4) per second, timed in the process's CPU time
at 1 thread and in wall time otherwise, after two untimed iterations.
"""
import json
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F

TRAIN_BATCH = 64
SAMPLE_BATCH = 256


def leaky():
    return nn.LeakyReLU(0.2)


def mlp_generator():
    return nn.Sequential(nn.Linear(64, 256), leaky(), nn.Linear(256, 256), leaky(),
                         nn.Linear(256, 784), nn.Tanh())


def mlp_discriminator():
    return nn.Sequential(nn.Linear(784, 256), leaky(), nn.Linear(256, 256), leaky(),
                         nn.Linear(256, 1))


def dcgan_generator():
    return nn.Sequential(
        nn.Linear(62, 1024), nn.BatchNorm1d(1024), nn.ReLU(),
        nn.Linear(1024, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
        nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())


def dcgan_discriminator():
    return nn.Sequential(
        nn.Conv2d(1, 64, 4, 2, 1), leaky(),
        nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), leaky(),
        nn.Flatten(), nn.Linear(128 * 7 * 7, 1024), nn.BatchNorm1d(1024), leaky(),
        nn.Linear(1024, 1))


def set_requires_grad(net, on):
    for p in net.parameters():
        p.requires_grad_(on)


def gan_step(g, d, noise, real):
    """W1 and W2: non-saturating loss (real targets 0.9), Adam(2e-4, 0.5, 0.999). The step
    reads `real` each time (fill it anew to train on data) and returns the D and G losses."""
    og = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    real_target = torch.full((TRAIN_BATCH, 1), 0.9)
    fake_target = torch.zeros(TRAIN_BATCH, 1)
    g_target = torch.ones(TRAIN_BATCH, 1)

    def step():
        with torch.no_grad():
            fake = g(torch.randn(TRAIN_BATCH, noise))
        loss = (F.binary_cross_entropy_with_logits(d(real), real_target) +
                F.binary_cross_entropy_with_logits(d(fake), fake_target))
        od.zero_grad()
        loss.backward()
        od.step()

        set_requires_grad(d, False)
        out = d(g(torch.randn(TRAIN_BATCH, noise)))
        g_loss = F.binary_cross_entropy_with_logits(out, g_target)
        og.zero_grad()
        g_loss.backward()
        og.step()
        set_requires_grad(d, True)
        return loss, g_loss
    return step


def wgan_gp_step(g, d, real):
    """W3: 5 critic steps with the gradient penalty (lambda 10), Adam(1e-4, 0, 0.9)."""
    og = torch.optim.Adam(g.parameters(), lr=1e-4, betas=(0.0, 0.9))
    od = torch.optim.Adam(d.parameters(), lr=1e-4, betas=(0.0, 0.9))

    def step():
        for _ in range(5):
            with torch.no_grad():
                fake = g(torch.randn(TRAIN_BATCH, 64))
            alpha = torch.rand(TRAIN_BATCH, 1)
            mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
            out = d(mixed)
            grad, = torch.autograd.grad(out, mixed, torch.ones_like(out), create_graph=True)
            penalty = 10 * (grad.norm(2, dim=1) - 1).pow(2).mean()
            loss = d(fake).mean() - d(real).mean() + penalty
            od.zero_grad()
            loss.backward()
            od.step()
        set_requires_grad(d, False)
        g_loss = -d(g(torch.randn(TRAIN_BATCH, 64))).mean()
        og.zero_grad()
        g_loss.backward()
        og.step()
        set_requires_grad(d, True)
    return step


def sampling_step(g, noise):
    """W4: the generator in evaluation mode, without a graph, on batches of 256."""
    g.eval()
    z = torch.randn(SAMPLE_BATCH, noise)

    def step():
        with torch.no_grad():
            g(z)
    return step


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: torch_workloads.py W1|W2|W3|W4_mlp|W4_dcgan THREADS [SECONDS]")
    workload, threads = sys.argv[1], int(sys.argv[2])
    min_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    items = 1
    if workload == "W1":
        step = gan_step(mlp_generator(), mlp_discriminator(), 64,
                        torch.rand(TRAIN_BATCH, 784) * 2 - 1)
    elif workload == "W2":
        step = gan_step(dcgan_generator(), dcgan_discriminator(), 62,
                        torch.rand(TRAIN_BATCH, 1, 28, 28) * 2 - 1)
    elif workload == "W3":
        step = wgan_gp_step(mlp_generator(), mlp_discriminator(),
                            torch.rand(TRAIN_BATCH, 784) * 2 - 1)
    elif workload == "W4_mlp":
        step, items = sampling_step(mlp_generator(), 64), SAMPLE_BATCH
    elif workload == "W4_dcgan":
        step, items = sampling_step(dcgan_generator(), 62), SAMPLE_BATCH
    else:
        sys.exit(f"unknown workload {workload}")

    clock = time.process_time if threads == 1 else time.perf_counter
    step()
    step()
    iterations = 0
    start = clock()
    while True:
        step()
        iterations += 1
        seconds = clock() - start
        if seconds >= min_seconds and iterations >= 3:
            break
    print(json.dumps({"impl": "pytorch", "workload": workload, "threads": threads,
                      "rate": items * iterations / seconds, "iterations": iterations,
                      "seconds": seconds}))


if __name__ == "__main__":
    main()
