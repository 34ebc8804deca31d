#!/usr/bin/env bash
# `gan train --distributed` under 2 ranks: every variant trains a few steps on a toy set
# (MLPs on ring8 or a labeled CSV, the 28x28 networks on random IDX images) and rank 0
# alone prints and writes the outputs; a run resumes on another rank count; divergence
# stops all ranks or rolls them all back; a batch the ranks do not divide is a usage error.
# Usage: program_test.sh "MPIRUN -np 2 ..." GAN_BINARY WORK_DIR
set -euo pipefail
read -r -a mpirun <<< "$1"
gan=$2
work=$3
rm -rf "$work" && mkdir -p "$work"
export OMP_NUM_THREADS=1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A small labeled CSV: two clusters, label in the last column.
awk 'BEGIN { srand(5); for (i = 0; i < 200; i++) { k = i % 2;
  printf "%.5f,%.5f,%d\n", (k ? 2 : -2) + rand() - 0.5, rand() - 0.5, k } }' > "$work/labeled.csv"
# 64 random 28x28 images and their labels (0 to 9), as IDX files.
printf '\x00\x00\x08\x03\x00\x00\x00\x40\x00\x00\x00\x1c\x00\x00\x00\x1c' > "$work/images.idx"
head -c 50176 /dev/urandom >> "$work/images.idx"
printf '\x00\x00\x08\x01\x00\x00\x00\x40' > "$work/labels.idx"
for i in $(seq 0 63); do printf "\\x0$((i % 10))"; done >> "$work/labels.idx"

# run NAME ARGS...: trains under 2 ranks and checks the outputs of rank 0 alone.
run() {
  local name=$1; shift
  local out="$work/$name"
  if ! "${mpirun[@]}" "$gan" train --distributed --threads 1 --iters 3 --batch 16 \
       --checkpoint-every 2 "$@" --out "$out" > "$out.log" 2>&1; then
    fail "$name exited with an error"; tail -5 "$out.log"; return
  fi
  for f in checkpoint.gan log.csv metrics.json samples.png; do
    [ -s "$out/$f" ] && continue
    # Toy data is drawn by gnuplot; without it the program writes the rest and says so.
    if [ "$f" = samples.png ] && ! command -v gnuplot > /dev/null &&
       grep -q 'samples.png not drawn: gnuplot not found' "$out.log"; then
      continue
    fi
    fail "$name: no $f"
  done
  # One rank prints: one start line and one closing line.
  [ "$(grep -c '^gan: .* steps of batch 16' "$out.log")" = 1 ] && [ "$(grep -c '^gan: wrote' "$out.log")" = 1 ] \
    || { fail "$name: expected one start and one closing line"; cat "$out.log"; }
  echo "$name: trained on 2 ranks"
}

for v in gan nsgan wgan wgan-gp lsgan began dragan; do
  run "$v" --variant "$v" --data ring8 --hidden 16
done
run cgan --variant cgan --data "csv:$work/labeled.csv" --label-column -1 --hidden 16
run dcgan --variant dcgan --data "idx:$work/images.idx"
run cdcgan --variant cdcgan --data "idx:$work/images.idx,$work/labels.idx"

# Resume on another rank count: 2 ranks to step 3, 1 process to 5, 2 ranks to 7.
common=(--variant wgan-gp --data ring8 --hidden 16 --batch 16 --threads 1 --log-every 1
        --out "$work/resume")
"${mpirun[@]}" "$gan" train --distributed "${common[@]}" --iters 3 > "$work/resume.log" 2>&1 \
  && "$gan" train "${common[@]}" --iters 5 --resume >> "$work/resume.log" 2>&1 \
  && "${mpirun[@]}" "$gan" train --distributed "${common[@]}" --iters 7 --resume >> "$work/resume.log" 2>&1 \
  || { fail "resume across rank counts"; tail -5 "$work/resume.log"; }
steps=$(cut -d, -f1 "$work/resume/log.csv" | tail -n +2 | tr '\n' ' ')
[ "$steps" = "1 2 3 4 5 6 7 " ] || fail "resumed log.csv has steps '$steps', expected 1 to 7"
grep -q "from step 5" "$work/resume.log" || fail "the 2-rank run did not resume from step 5"
echo "resume: 2 ranks, then 1, then 2 again: log steps $steps"

# Divergence (LSGAN at a learning rate of 1000 turns NaN at step 2, as in
# tests/program/divergence_test.sh): the ranks diverge together, so by default all stop
# with status 1; with --on-divergence rollback rank 0 reads the checkpoint, every rank
# takes its state and the run finishes, reported once.
nan=(train --distributed --variant lsgan --data gauss1d --hidden 32 --threads 1
     --checkpoint-every 10 --iters 40 --lr 1000)
status=0
"${mpirun[@]}" "$gan" "${nan[@]}" --out "$work/nan-stop" > "$work/nan-stop.log" 2>&1 || status=$?
[ "$status" = 1 ] && grep -q "step 2: the .* loss is" "$work/nan-stop.log" \
  || { fail "divergence on 2 ranks: status $status"; tail -5 "$work/nan-stop.log"; }
if "${mpirun[@]}" "$gan" "${nan[@]}" --on-divergence rollback --out "$work/nan-rollback" \
     > "$work/nan-rollback.log" 2>&1; then
  [ "$(grep -c "rolled back to step 0 of" "$work/nan-rollback.log")" = 1 ] \
    || { fail "rollback on 2 ranks: expected one report"; cat "$work/nan-rollback.log"; }
  steps=$(tail -n +2 "$work/nan-rollback/log.csv" | cut -d, -f1 | tr '\n' ' ')
  [ "$steps" = "10 20 30 40 " ] || fail "rollback on 2 ranks: log.csv steps '$steps'"
  echo "divergence: stops all ranks (status 1); rollback on 2 ranks: log steps $steps"
else
  fail "rollback on 2 ranks exited with an error"; tail -5 "$work/nan-rollback.log"
fi

# A global batch that 2 ranks do not divide.
status=0
"${mpirun[@]}" "$gan" train --distributed --variant gan --data ring8 --batch 15 --iters 1 \
  --out "$work/odd" > "$work/odd.log" 2>&1 || status=$?
grep -q -- "--batch 15 is the global batch: it must be a multiple of the 2 ranks" "$work/odd.log" \
  && [ "$status" != 0 ] || { fail "batch 15 on 2 ranks (status $status)"; cat "$work/odd.log"; }

[ "$failures" = 0 ] && echo "all distributed program checks passed"
exit $((failures > 0))
