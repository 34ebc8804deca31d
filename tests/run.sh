#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole suite,
# then the library's tests again under ASan + UBSan (tests/sanitize.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake/install-deps.sh gnuplot-nox  # the figure tests draw with it (they skip without)
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGAN_BUILD_TESTS=ON -DGAN_BUILD_EXAMPLES=ON \
  -DGAN_BUILD_BENCH=ON
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
exec tests/sanitize.sh
