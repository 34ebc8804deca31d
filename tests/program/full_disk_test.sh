#!/usr/bin/env bash
# Full disk: under a file size limit (ulimit -f), writing a checkpoint, a PNG or a CSV
# fails with status 1 and one line naming the file and the reason, and the previous
# checkpoint stays as it was and still loads.
# Usage: full_disk_test.sh GAN_BINARY WORK_DIR
set -uo pipefail
gan=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

expect_limited() {  # expect_limited KB FRAGMENT ARGS...: under `ulimit -f KB`, status 1, one line
  local kb=$1 fragment=$2; shift 2
  local err rc
  err=$( (ulimit -f "$kb"; "$gan" "$@" 2>&1 > /dev/null) | tr '\r' '\n' | grep . | tail -n 2); rc=${PIPESTATUS[0]}
  err=$(printf '%s\n' "$err" | grep -v '^\s*[0-9]*%\|step ' | tail -n 1)
  if [[ "$err" == *"$fragment"* ]]; then echo "ok: $fragment: $err"; else fail "gan $* -> '$err'"; fi
}

# MLP networks on 28x28 images: a small checkpoint, and samples that are pictures.
printf '\x00\x00\x08\x03\x00\x00\x00\x80\x00\x00\x00\x1c\x00\x00\x00\x1c' > "$work/images.idx"
head -c 100352 /dev/urandom >> "$work/images.idx"
run=(train --variant nsgan --data "idx:$work/images.idx" --arch mlp --hidden 16 --batch 32
     --threads 1 --checkpoint-every 5 --out "$work/run")
"$gan" "${run[@]}" --iters 10 > "$work/first.log" 2>&1 || { cat "$work/first.log"; exit 1; }
cp "$work/run/checkpoint.gan" "$work/before.gan"
size_kb=$(( $(stat -c %s "$work/before.gan") / 1024 ))
echo "checkpoint of step 10: $size_kb KB"

# Resuming with room for everything but a checkpoint: the first checkpoint write fails.
expect_limited $((size_kb / 2)) "checkpoint.gan: write failed (File too large); the previous file, if any, is unchanged" \
  "${run[@]}" --iters 20 --resume
cmp -s "$work/run/checkpoint.gan" "$work/before.gan" || fail "the previous checkpoint changed"
[ -e "$work/run/checkpoint.gan.tmp" ] && fail "a temporary file was left behind"
"$gan" sample --checkpoint "$work/run/checkpoint.gan" --n 4 --out "$work/ok.csv" > /dev/null 2>&1 \
  || fail "the previous checkpoint does not load"

expect_limited 1 "big.png" sample --checkpoint "$work/run/checkpoint.gan" --n 64 --out "$work/big.png"
expect_limited 1 "big.csv" sample --checkpoint "$work/run/checkpoint.gan" --n 64 --out "$work/big.csv"
expect_limited 1 "big.idx" sample --checkpoint "$work/run/checkpoint.gan" --n 64 --out "$work/big.idx"
if [ -w /dev/full ]; then
  ln -s /dev/full "$work/full.csv"
  err=$("$gan" sample --checkpoint "$work/run/checkpoint.gan" --n 64 --out "$work/full.csv" 2>&1); rc=$?
  [ "$rc" = 1 ] && [[ "$err" == *"No space left on device"* ]] && echo "ok: /dev/full: $err" \
    || fail "/dev/full: status $rc, '$err'"
fi

echo "$failures failures"
[ "$failures" = 0 ]
