#!/usr/bin/env bash
# The README's main job: installs what is missing (build tools, libraries, Fashion-MNIST,
# gnuplot), builds the gan program, and trains the DCGAN on Fashion-MNIST for about 1,000
# steps (one epoch; a few minutes on 2 cores). Leaves samples.png, loss.png, log.csv,
# checkpoint.gan and metrics.json in out/dcgan-fashion-mnist (or the folder given).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/dcgan-fashion-mnist}
cmake/install-deps.sh dataset-fashion-mnist gnuplot-nox
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGAN_BUILD_TESTS=OFF -DGAN_BUILD_BENCH=OFF
cmake --build build --target gan_program -j "$(nproc)"
build/examples/gan train --variant dcgan --data fashion-mnist --iters 1000 --out "$out"
echo "open $out/samples.png and $out/loss.png; metrics in $out/metrics.json"
