#!/usr/bin/env bash
# The gan program's command line: every mistake exits with status 2 (usage) or 1
# (runtime) and one line naming the problem; never a crash. Then a small round trip:
# train, sample to CSV and PNG, and eval the CSV.
# Usage: cli_test.sh GAN_BINARY WORK_DIR
set -uo pipefail
gan=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
failures=0

expect() {  # expect STATUS FRAGMENT ARGS...
  local status=$1 fragment=$2; shift 2
  local out rc
  out=$("$gan" "$@" 2>&1 >/dev/null); rc=$?
  local lines
  lines=$(printf '%s\n' "$out" | grep -c .)
  if [ "$rc" != "$status" ] || [[ "$out" != *"$fragment"* ]] || [ "$lines" -gt 2 ]; then
    echo "FAIL: gan $* -> status $rc (want $status), message: $out"
    failures=$((failures + 1))
  else
    echo "ok: gan $* -> $status: $out"
  fi
}

expect 2 "unknown command 'fly'" fly
# Without a command: the usage text on stderr, status 2.
"$gan" > /dev/null 2> "$work/usage.txt"; rc=$?
if [ "$rc" != 2 ] || ! grep -q "usage: gan COMMAND" "$work/usage.txt"; then
  echo "FAIL: bare gan -> status $rc"; failures=$((failures + 1))
fi
"$gan" train --help | grep -q -- "--variant V" || { echo "FAIL: train --help"; failures=$((failures + 1)); }
expect 2 "--variant must be one of" train --variant vae --data ring8 --out "$work/x"
expect 2 "missing --data" train --variant gan --out "$work/x"
expect 2 "unknown option --colour" train --variant gan --data ring8 --out "$work/x" --colour red
expect 2 "--iters must be in [1, 1000000000], got -5" train --variant gan --data ring8 --out "$work/x" --iters -5
expect 2 "--lr must be a number, got 'fast'" train --variant gan --data ring8 --out "$work/x" --lr fast
expect 2 "--lr-decay must be in [0, 1], got 2" train --variant gan --data ring8 --out "$work/x" --lr-decay 2
expect 2 "give --epochs or --iters, not both" train --variant gan --data ring8 --out "$work/x" --iters 3 --epochs 1
expect 2 "option --seed given twice" train --variant gan --data ring8 --out "$work/x" --seed 1 --seed 2
expect 2 "--data moon: expected ring8" train --variant gan --data moon --out "$work/x"
expect 2 "needs labeled data" train --variant cgan --data ring8 --out "$work/x"
expect 2 "uses the convolutional networks: --arch dcgan" train --variant dcgan --data ring8 --out "$work/x"
expect 2 "--arch dcgan takes 28x28 gray images" train --variant gan --data ring8 --arch dcgan --out "$work/x"
expect 1 "missing.csv" train --variant gan --data "csv:$work/missing.csv" --out "$work/x"
expect 1 "nothing to resume" train --variant gan --data ring8 --out "$work/fresh" --resume --iters 2
mkdir -p "$work/ro" && touch "$work/ro/blocker"
expect 1 "cannot create the output folder" train --variant gan --data ring8 --iters 2 --out "$work/ro/blocker/sub"
expect 1 "not a checkpoint" sample --checkpoint "$work/ro/blocker" --n 4 --out "$work/s.csv"
expect 2 "missing --checkpoint" sample --n 4 --out "$work/s.csv"
expect 2 "--threads must be in [1, 1024], got 0" train --variant gan --data ring8 --out "$work/x" --threads 0
expect 2 "--batch must be an integer, got '1e3'" train --variant gan --data ring8 --out "$work/x" --batch 1e3
expect 2 "--seed must be an integer, got '99999999999999999999'" train --variant gan --data ring8 --out "$work/x" --seed 99999999999999999999
expect 2 "--lr must be a number, got 'nan'" train --variant gan --data ring8 --out "$work/x" --lr nan
expect 2 "--on-divergence must be one of: stop rollback; got 'retry'" train --variant gan --data ring8 --out "$work/x" --on-divergence retry
expect 2 "--rejection needs an unconditional model whose D estimates a density ratio" train --variant wgan --data ring8 --out "$work/x" --rejection 0.99
expect 2 "--rejection must be in [1e-06, 1], got 2" train --variant nsgan --data ring8 --out "$work/x" --rejection 2
expect 2 "--batch 64 is not a multiple of --pack 3" train --variant nsgan --data ring8 --out "$work/x" --pack 3
expect 2 "--pack takes gan, nsgan, wgan, wgan-gp, lsgan or dragan, not cgan" train --variant cgan --data ring8 --out "$work/x" --pack 2
expect 2 "--refit fits a D for --rejection: give both" train --variant nsgan --data ring8 --out "$work/x" --refit 100
expect 2 "--rejection needs a D that judges one sample at a time, not packs of 2" train --variant nsgan --data ring8 --out "$work/x" --pack 2 --rejection 0.99
expect 2 "--n must be in [1, 1000000], got 0" sample --checkpoint "$work/none.gan" --n 0 --out "$work/s.csv"
expect 2 "unexpected argument 'extra'" eval --data ring8 --samples "$work/s.csv" extra
expect 1 "missing.idx" train --variant dcgan --data "idx:$work/missing.idx" --out "$work/x"
expect 1 "cannot create the output folder" train --variant gan --data ring8 --iters 2 --out /proc/gan-test
expect 1 "none.gan" sample --checkpoint "$work/none.gan" --n 4 --out "$work/s.csv"
expect 1 "no-samples.csv" eval --data ring8 --samples "$work/no-samples.csv"
expect 2 "expected a .csv or .idx file" eval --data ring8 --samples "$work/s.txt"

# Round trip.
if "$gan" train --variant nsgan --data ring8 --iters 50 --out "$work/run" --hidden 32 --threads 1 \
     > "$work/train.log" 2>&1; then
  for f in log.csv checkpoint.gan metrics.json; do
    [ -s "$work/run/$f" ] || { echo "FAIL: no $f"; failures=$((failures + 1)); }
  done
  grep -q '"modes"' "$work/run/metrics.json" || { echo "FAIL: metrics.json lacks modes"; failures=$((failures + 1)); }
  "$gan" sample --checkpoint "$work/run/checkpoint.gan" --n 300 --out "$work/s.csv" || failures=$((failures + 1))
  [ "$(wc -l < "$work/s.csv")" = 301 ] || { echo "FAIL: s.csv has $(wc -l < "$work/s.csv") lines"; failures=$((failures + 1)); }
  # The same model's final samples by discriminator rejection sampling.
  "$gan" train --variant nsgan --data ring8 --iters 300 --out "$work/drs" --hidden 32 --threads 1 \
    --rejection 0.99 > "$work/drs.log" 2>&1 || { echo "FAIL: --rejection run"; failures=$((failures + 1)); }
  grep -q '"rejection_acceptance"' "$work/drs/metrics.json" \
    || { echo "FAIL: --rejection metrics lack the acceptance"; failures=$((failures + 1)); }
  # PacGAN: D judges packs of four; the checkpoint rebuilds the packed model.
  "$gan" train --variant nsgan --data ring8 --iters 50 --out "$work/pack" --hidden 32 --threads 1 \
    --pack 4 > "$work/pack.log" 2>&1 || { echo "FAIL: --pack run"; failures=$((failures + 1)); }
  grep -q 'D judges packs of 4' "$work/pack.log" || { echo "FAIL: --pack not announced"; failures=$((failures + 1)); }
  "$gan" sample --checkpoint "$work/pack/checkpoint.gan" --n 10 --out "$work/p.csv" \
    || { echo "FAIL: sample from a packed checkpoint"; failures=$((failures + 1)); }
  # Its final samples through the RejectionSampler, reading a D fitted to the final G.
  "$gan" train --variant nsgan --data ring8 --iters 50 --out "$work/refit" --hidden 32 --threads 1 \
    --pack 4 --rejection 1 --refit 200 > "$work/refit.log" 2>&1 \
    || { echo "FAIL: --refit run"; failures=$((failures + 1)); }
  grep -q '"refit_seconds"' "$work/refit/metrics.json" \
    || { echo "FAIL: --refit metrics lack its time"; failures=$((failures + 1)); }
  expect 1 "PNG output needs image samples" sample --checkpoint "$work/run/checkpoint.gan" --n 4 --out "$work/s.png"
  expect 1 "is not conditional" sample --checkpoint "$work/run/checkpoint.gan" --n 4 --label 1 --out "$work/t.csv"
  expect 1 "unknown output type '.txt'" sample --checkpoint "$work/run/checkpoint.gan" --n 4 --out "$work/t.txt"
  # A checkpoint cut short, and one from another variant.
  head -c 3000 "$work/run/checkpoint.gan" > "$work/cut.gan"
  expect 1 "cut.gan" sample --checkpoint "$work/cut.gan" --n 4 --out "$work/t.csv"
  expect 1 "the checkpoint was written by another architecture" \
    train --variant lsgan --data ring8 --iters 60 --hidden 32 --out "$work/run" --resume
  json=$("$gan" eval --data ring8 --samples "$work/s.csv")
  [[ "$json" == *'"modes":'* && "$json" == *'"hq":'* && "$json" == *'"rkl":'* ]] \
    || { echo "FAIL: eval printed $json"; failures=$((failures + 1)); }
  echo "eval: $json"
else
  echo "FAIL: training run"; cat "$work/train.log"; failures=$((failures + 1))
fi

# Scoring image samples from an IDX file: 200 random 28x28 images against themselves.
printf '\x00\x00\x08\x03\x00\x00\x00\xc8\x00\x00\x00\x1c\x00\x00\x00\x1c' > "$work/noise.idx"
head -c 156800 /dev/urandom >> "$work/noise.idx"
json=$("$gan" eval --data "idx:$work/noise.idx" --samples "$work/noise.idx")
[[ "$json" == *'"fd": '* && "$json" == *'"precision": 1'* ]] \
  || { echo "FAIL: eval of an IDX file printed $json"; failures=$((failures + 1)); }
echo "eval idx: $json"
# Training on user IDX images (two DCGAN steps) writes image metrics.
if "$gan" train --variant dcgan --data "idx:$work/noise.idx" --iters 2 --batch 16 --threads 1 \
     --out "$work/idx-run" > "$work/idx-train.log" 2>&1; then
  grep -q '"fd"' "$work/idx-run/metrics.json" || { echo "FAIL: idx run metrics"; failures=$((failures + 1)); }
else
  echo "FAIL: training on idx data"; tail -3 "$work/idx-train.log"; failures=$((failures + 1))
fi

echo "$failures failures"
[ "$failures" = 0 ]
