#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole suite.
# (CI then runs tests/sanitize.sh: the tests again under ASan + UBSan.)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake/install-deps.sh
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGAN_BUILD_TESTS=ON -DGAN_BUILD_EXAMPLES=ON \
  -DGAN_BUILD_BENCH=ON
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
