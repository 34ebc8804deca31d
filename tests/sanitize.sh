#!/usr/bin/env bash
# The tests again, built with AddressSanitizer + UndefinedBehaviorSanitizer (GAN_SANITIZE:
# any memory error, leak or undefined behaviour fails the test). The last step of
# tests/run.sh; about 11 minutes on 2 cores, most of them building.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake/install-deps.sh
jobs=$(nproc)
# What runs here: the core, SIMD, layer, network, optimizer, loss, penalty, condition,
# model, trainer, data and I/O tests (62 tests). Left to the main build: the metrics and
# the gan program's tests (the classifier's forward passes take minutes under ASan), the
# learning and allocation tests (long training; the allocation count replaces operator
# new), MPI (its own leaks) and the checks of building and packaging.
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Release -DGAN_BUILD_TESTS=ON \
  -DGAN_BUILD_EXAMPLES=ON -DGAN_BUILD_BENCH=OFF -DGAN_WITH_MPI=OFF -DGAN_SANITIZE=ON
targets=()
for folder in core simd layer net optim loss penalty condition model train data io; do
  targets+=("gan_test_$folder")
done
cmake --build build-sanitize -j "$jobs" --target "${targets[@]}"
ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:check_initialization_order=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize --output-on-failure -j "$jobs" \
  -E "^(metric/|examples/|program/|model/learning_test|model/allocation_test)"
