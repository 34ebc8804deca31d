#!/usr/bin/env bash
# `gan train --iters N`, then `--resume` to 2N, must leave a checkpoint bit-identical to
# one straight run of 2N steps (issue: nothing lost). Run for three kinds of state: a
# critic with a penalty and n_critic 5 (WGAN-GP on ring8), BEGAN's k_t (gauss1d) and a
# conditional model on labeled CSV data.
# Usage: resume_test.sh GAN_BINARY WORK_DIR
set -euo pipefail
gan=$1
work=$2
rm -rf "$work" && mkdir -p "$work"

# A small labeled CSV: two clusters, label in the last column.
awk 'BEGIN { srand(3); for (i = 0; i < 400; i++) { k = i % 2;
  printf "%.5f,%.5f,%d\n", (k ? 2 : -2) + rand() - 0.5, rand() - 0.5, k } }' > "$work/labeled.csv"

check() {
  local name=$1; shift
  "$gan" train "$@" --iters 30 --out "$work/$name-resumed" --threads 1 --checkpoint-every 7 \
    > "$work/$name.log" 2>&1
  "$gan" train "$@" --iters 60 --out "$work/$name-resumed" --threads 1 --checkpoint-every 7 --resume \
    >> "$work/$name.log" 2>&1
  "$gan" train "$@" --iters 60 --out "$work/$name-straight" --threads 1 --checkpoint-every 7 \
    >> "$work/$name.log" 2>&1
  if cmp -s "$work/$name-resumed/checkpoint.gan" "$work/$name-straight/checkpoint.gan"; then
    echo "$name: resumed checkpoint is bit-identical to the straight run"
  else
    echo "$name: checkpoints differ"; cat "$work/$name.log"; exit 1
  fi
  # The log of the resumed run holds each step once.
  if [ "$(cut -d, -f1 "$work/$name-resumed/log.csv" | sort | uniq -d | wc -l)" != 0 ]; then
    echo "$name: log.csv repeats steps"; exit 1
  fi
}

check wgan-gp --variant wgan-gp --data ring8 --batch 32 --hidden 32
check began --variant began --data gauss1d --batch 32 --hidden 32
check cgan --variant cgan --data "csv:$work/labeled.csv" --label-column -1 --batch 32 --hidden 32
