#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole suite;
# then builds the tests again with AddressSanitizer + UndefinedBehaviorSanitizer
# (GAN_SANITIZE) and runs them there too. `tests/run.sh --no-sanitize` skips that second
# pass (for a quicker local run; CI runs both).
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=1
for arg in "$@"; do
  case $arg in
    --no-sanitize) sanitize=0 ;;
    *) echo "usage: tests/run.sh [--no-sanitize]" >&2; exit 2 ;;
  esac
done
cmake/install-deps.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGAN_BUILD_TESTS=ON -DGAN_BUILD_EXAMPLES=ON \
  -DGAN_BUILD_BENCH=ON
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
[ "$sanitize" = 1 ] || exit 0

# The sanitizer pass, on what can go wrong with memory: the readers and writers, the
# kernels, layers, optimizers, losses, the model and trainer, and the gan program's tests
# (command line, kill and resume, full disk, divergence). Left to the main build: the
# metrics (the classifier's forward passes, 3 min under ASan), the learning and allocation
# tests (long training; the allocation count replaces operator new), MPI (its own leaks),
# and the checks of building and packaging.
echo "== the tests again under AddressSanitizer + UndefinedBehaviorSanitizer =="
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Release -DGAN_BUILD_TESTS=ON \
  -DGAN_BUILD_EXAMPLES=ON -DGAN_BUILD_BENCH=OFF -DGAN_WITH_MPI=OFF -DGAN_SANITIZE=ON
targets=()
for folder in core simd layer net optim loss penalty condition model train data io; do
  targets+=("gan_test_$folder")
done
cmake --build build-sanitize -j "$jobs" --target "${targets[@]}" gan_program
ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:check_initialization_order=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize --output-on-failure -j "$jobs" \
  -E "^(metric/|examples/|model/learning_test|model/allocation_test)"
