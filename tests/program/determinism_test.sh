#!/usr/bin/env bash
# Determinism of the gan program: the same seed gives a bit-identical checkpoint on a
# second run and with 1 and 2 threads (every parallel reduction has a fixed order,
# whatever the thread count); another seed gives another one. (The DCGAN's convolutions
# and BatchNorm are checked the same way in tests/model/determinism_test.cpp.)
# Usage: determinism_test.sh GAN_BINARY WORK_DIR
set -uo pipefail
gan=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
failures=0

train() {  # train NAME THREADS SEED ARGS...
  local name=$1 threads=$2 seed=$3; shift 3
  "$gan" train "$@" --threads "$threads" --seed "$seed" --out "$work/$name" \
    > "$work/$name.log" 2>&1 || { echo "FAIL: $name"; cat "$work/$name.log"; exit 1; }
}
same() {  # same A B WHAT
  if cmp -s "$work/$1/checkpoint.gan" "$work/$2/checkpoint.gan"; then echo "ok: $3"
  else echo "FAIL: $3: checkpoints differ"; failures=$((failures + 1)); fi
}
differ() {
  if cmp -s "$work/$1/checkpoint.gan" "$work/$2/checkpoint.gan"; then
    echo "FAIL: $3: checkpoints are equal"; failures=$((failures + 1))
  else echo "ok: $3"; fi
}

mlp=(--variant wgan-gp --data ring8 --iters 30 --hidden 64)
train mlp-2a 2 5 "${mlp[@]}"
train mlp-2b 2 5 "${mlp[@]}"
train mlp-1 1 5 "${mlp[@]}"
train mlp-seed 2 6 "${mlp[@]}"
same mlp-2a mlp-2b "wgan-gp: same seed, 2 threads, twice"
same mlp-2a mlp-1 "wgan-gp: 1 and 2 threads"
differ mlp-2a mlp-seed "wgan-gp: another seed"

echo "$failures failures"
[ "$failures" = 0 ]
