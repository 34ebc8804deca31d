#!/usr/bin/env bash
# Builds the fuzz targets with clang (when needed) and runs each one in turn for N
# executions or M minutes, whichever comes first, starting from its seed corpus.
#
#   tests/fuzz/run.sh [--runs N] [--minutes M] [--seed S] [--build DIR] [--fresh] [TARGET...]
#
# Defaults: 1000000 runs, 10 minutes, seed 1, DIR = build-fuzz in the source tree, every
# target (idx csv checkpoint). The corpus a run grows is kept in DIR/grown/TARGET (the seed
# corpus in tests/fuzz/corpus is only read); --fresh empties it first. Findings (crash-,
# leak-, timeout-, oom- files) go to DIR/findings/TARGET; the log of each run to DIR/logs.
# Exits 1 when any target reports a finding. CXX_FUZZ names the compiler (clang++).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=1000000
minutes=10
seed=1
build=$root/build-fuzz
fresh=0
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(idx csv checkpoint)

cmake -S "$here" -B "$build" -DCMAKE_CXX_COMPILER="${CXX_FUZZ:-clang++}" > /dev/null
cmake --build "$build" -j "${JOBS:-2}" --target "${targets[@]/%/_fuzz}" > /dev/null

# The targets write each input to a file in TMPDIR: a memory file system is several times
# faster than a disk one, so use it when there is one and TMPDIR is not set.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi

status=0
mkdir -p "$build/logs"
for t in "${targets[@]}"; do
  work=$build/grown/$t
  findings=$build/findings/$t
  log=$build/logs/$t.log
  [ $fresh -eq 1 ] && rm -rf "$work" "$findings"
  mkdir -p "$work" "$findings"
  start=$(date +%s)
  rc=0
  "$build/${t}_fuzz" -runs="$runs" -max_total_time=$((minutes * 60)) -seed="$seed" \
    -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$work" "$here/corpus/$t" > "$log" 2>&1 || rc=$?
  seconds=$(($(date +%s) - start))
  stat() { sed -n "s/^stat::$1: *//p" "$log"; }
  found=$(find "$findings" -type f | wc -l)
  echo "$t: $(stat number_of_executed_units) executions in ${seconds} s," \
       "$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo 'cov: ?')," \
       "corpus $(find "$work" -type f | wc -l) new files, peak RSS $(stat peak_rss_mb) MB," \
       "exit $rc, $found findings"
  if [ $rc -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" || true
    echo "(full log: $log)"
  fi
done
exit $status
