#!/usr/bin/env bash
# Nothing lost: `gan train` killed with SIGKILL at random moments — checkpointing every
# step, so that many kills land in the middle of a checkpoint write — always leaves a
# checkpoint that loads, and resuming after every kill ends with a checkpoint
# bit-identical to one uninterrupted run with the same seed.
# Usage: kill_resume_test.sh GAN_BINARY WORK_DIR [KILLS (default 20)]
set -uo pipefail
gan=$1
work=$2
kills=${3:-20}
rm -rf "$work" && mkdir -p "$work"
# The rates decay from the first step, so every resume must also restore the schedule.
run=(train --variant wgan-gp --data ring8 --iters 300 --hidden 128 --batch 32 --threads 1
     --seed 11 --checkpoint-every 1 --log-every 1 --lr-decay 1)
RANDOM=$kills  # the kill moments differ between kill counts but repeat from run to run

start_ns=$(date +%s%N)
"$gan" "${run[@]}" --out "$work/straight" > "$work/straight.log" 2>&1 \
  || { echo "FAIL: the uninterrupted run"; cat "$work/straight.log"; exit 1; }
# Each kill comes 50 ms to 80%/KILLS of the uninterrupted run's time after its start, so
# that all the kills together cannot outrun the run on any machine.
whole_ms=$((($(date +%s%N) - start_ns) / 1000000))
window_ms=$((whole_ms * 8 / (10 * kills) - 50))
[ "$window_ms" -ge 1 ] || window_ms=1

out=$work/killed
in_write=0
for ((k = 1; k <= kills; k++)); do
  resume=()
  [ -e "$out/checkpoint.gan" ] && resume=(--resume)
  "$gan" "${run[@]}" --out "$out" "${resume[@]}" >> "$work/killed.log" 2>&1 &
  pid=$!
  # During start-up, steps and checkpoint writes.
  delay_ms=$((50 + RANDOM % window_ms))
  sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
  if ! kill -KILL "$pid" 2> /dev/null; then
    echo "FAIL: kill $k: the run ended before the kill (make it longer)"; exit 1
  fi
  wait "$pid" 2> /dev/null
  [ -e "$out/checkpoint.gan.tmp" ] && in_write=$((in_write + 1))
  if [ -e "$out/checkpoint.gan" ]; then
    if ! "$gan" sample --checkpoint "$out/checkpoint.gan" --n 2 --out "$work/probe.csv" \
         > "$work/probe.log" 2>&1; then
      echo "FAIL: kill $k: the checkpoint on disk does not load"; cat "$work/probe.log"; exit 1
    fi
  fi
  step=$(tail -n 1 "$out/log.csv" 2> /dev/null | cut -d, -f1)
  echo "kill $k: last logged step ${step:-none}"
done

"$gan" "${run[@]}" --out "$out" --resume >> "$work/killed.log" 2>&1 \
  || { echo "FAIL: the final resume"; tail -5 "$work/killed.log"; exit 1; }
echo "$kills kills, $in_write of them during a checkpoint write (a .tmp file was left)"
if ! cmp "$out/checkpoint.gan" "$work/straight/checkpoint.gan"; then
  echo "FAIL: the resumed run's checkpoint differs from the uninterrupted run's"; exit 1
fi
if [ "$(tail -n +2 "$out/log.csv" | cut -d, -f1 | tr '\n' ' ')" != \
     "$(tail -n +2 "$work/straight/log.csv" | cut -d, -f1 | tr '\n' ' ')" ]; then
  echo "FAIL: log.csv steps differ from the uninterrupted run's"; exit 1
fi
echo "the resumed checkpoint is bit-identical to the uninterrupted run's; log.csv holds each step once"
