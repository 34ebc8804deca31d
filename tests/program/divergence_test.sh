#!/usr/bin/env bash
# A NaN at step 2 (LSGAN at a learning rate of 1000): by default training stops with
# status 1 and one line naming the step and the values; with --on-divergence rollback
# it goes back to the last checkpoint, halves the learning rates and finishes, and its
# log holds each step once.
# Usage: divergence_test.sh GAN_BINARY WORK_DIR
set -uo pipefail
gan=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
run=(train --variant lsgan --data gauss1d --hidden 32 --threads 1 --checkpoint-every 10)

"$gan" "${run[@]}" --iters 40 --lr 1000 --out "$work/stop" > /dev/null 2> "$work/stop.err"; rc=$?
last=$(tr '\r' '\n' < "$work/stop.err" | grep . | tail -1)
echo "stop: status $rc: $last"
[ "$rc" = 1 ] || fail "stop: status $rc, want 1"
[[ "$last" == "gan train: training diverged: step 2: the "*" loss is "*"no checkpoint was written yet"* ]] \
  || fail "stop: message '$last'"

"$gan" "${run[@]}" --iters 40 --lr 1000 --out "$work/rollback" --on-divergence rollback > /dev/null 2> "$work/rollback.err"; rc=$?
echo "rollback: status $rc"; grep "rolled back" "$work/rollback.err"
[ "$rc" = 0 ] || { fail "rollback: status $rc"; cat "$work/rollback.err"; }
grep -q "rolled back to step 0 of .*checkpoint.gan; learning rates now 0.5 x" "$work/rollback.err" \
  || fail "rollback: no rollback reported"
steps=$(tail -n +2 "$work/rollback/log.csv" | cut -d, -f1)
[ "$(printf '%s\n' "$steps" | tr '\n' ' ')" = "10 20 30 40 " ] || fail "rollback: log.csv steps $steps"

# The rollback went to step 0, so the run is one at half the rate; resumed, it keeps
# the halved rates: both log the same losses at every step.
"$gan" "${run[@]}" --iters 60 --lr 1000 --out "$work/rollback" --on-divergence rollback --resume \
  > /dev/null 2>> "$work/rollback.err" || fail "resume after rollback"
"$gan" "${run[@]}" --iters 40 --lr 500 --out "$work/half" > /dev/null 2> "$work/half.err" \
  && "$gan" "${run[@]}" --iters 60 --lr 500 --out "$work/half" --resume > /dev/null 2>> "$work/half.err" \
  || fail "run at half the rate"
cmp -s <(tail -n +2 "$work/rollback/log.csv" | cut -d, -f1,3-) \
       <(tail -n +2 "$work/half/log.csv" | cut -d, -f1,3-) \
  || fail "resumed rollback run and the run at half the rate log different losses"

"$gan" "${run[@]}" --iters 40 --lr 1000 --out "$work/limit" --on-divergence rollback --max-rollbacks 0 \
  > /dev/null 2> "$work/limit.err"; rc=$?
last=$(tr '\r' '\n' < "$work/limit.err" | grep . | tail -1)
echo "limit: status $rc: $last"
[ "$rc" = 1 ] && [[ "$last" == *"diverged again after 0 rollbacks (--max-rollbacks)"* ]] \
  || fail "max-rollbacks 0: status $rc, '$last'"

echo "$failures failures"
[ "$failures" = 0 ]
