#!/usr/bin/python3
"""Q2's PyTorch side: trains W2's DCGAN on Fashion-MNIST as the library's `DCGAN` alias
does, and writes samples that `gan eval` scores.

    torch_dcgan_train.py --epochs E --seed S --out SAMPLES.idx [--data DIR] [--n 10000]
                         [--threads T]

Same networks (bench/peers/torch_workloads.py: dcgan_generator, dcgan_discriminator), same
initialization (weights N(0, 0.02), biases 0, BatchNorm γ 1, β 0), same loss
(non-saturating, one-sided label smoothing: real targets 0.9), same optimizer (Adam 2e-4,
β 0.5/0.999, one per network), batch 64, noise N(0, 1) of size 62, data scaled to [−1, 1]
and reshuffled every epoch, one D update then one G update per batch; samples drawn in
evaluation mode (BatchNorm's running statistics), as the library's GAN::sample does. Writes an IDX
ubyte image file (pixels rounded from [−1, 1] to 0..255).
"""
import argparse
import gzip
import os
import struct
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_workloads import TRAIN_BATCH as BATCH, dcgan_discriminator, dcgan_generator, gan_step  # noqa: E402

NOISE = 62


def read_idx_images(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", data[:16])
    if magic != 0x803:
        sys.exit(f"{path}: not an IDX image file (magic {magic:#x})")
    images = torch.frombuffer(bytearray(data[16:16 + n * rows * cols]), dtype=torch.uint8)
    return images.view(n, 1, rows, cols).float() / 127.5 - 1.0


def find_train_images(folder):
    for name in ("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    sys.exit(f"no train-images-idx3-ubyte[.gz] in {folder} (apt-get install dataset-fashion-mnist)")


def initialize(net):
    for m in net.modules():
        if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
            torch.nn.init.normal_(m.weight, 0.0, 0.02)
            torch.nn.init.zeros_(m.bias)
        elif isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
            torch.nn.init.ones_(m.weight)
            torch.nn.init.zeros_(m.bias)


def write_idx_images(path, samples):
    pixels = ((samples.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    n, _, rows, cols = pixels.shape
    with open(path, "wb") as f:
        f.write(struct.pack(">IIII", 0x803, n, rows, cols))
        f.write(pixels.numpy().tobytes())


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--n", type=int, default=10000)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)

    x = read_idx_images(find_train_images(a.data))
    g, d = dcgan_generator(), dcgan_discriminator()
    initialize(g)
    initialize(d)
    real = torch.empty(BATCH, 1, 28, 28)
    step = gan_step(g, d, NOISE, real)
    batches = x.shape[0] // BATCH
    start = time.time()
    for epoch in range(a.epochs):
        order = torch.randperm(x.shape[0])
        for b in range(batches):
            real.copy_(x[order[b * BATCH:(b + 1) * BATCH]])
            d_loss, g_loss = step()
            if b % 100 == 0:
                print(f"epoch {epoch + 1}/{a.epochs} batch {b}/{batches} D {d_loss.item():.3f} "
                      f"G {g_loss.item():.3f} ({time.time() - start:.0f} s)", file=sys.stderr,
                      flush=True)
    g.eval()
    with torch.no_grad():
        samples = g(torch.randn(a.n, NOISE))
    write_idx_images(a.out, samples)
    print(f"wrote {a.n} samples to {a.out} after {a.epochs} epochs in {time.time() - start:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
