#!/usr/bin/env bash
# Installs the Debian 12 packages the build needs, plus any named on the command line,
# and nothing when they are all there already. Run as root (or with sudo available).
set -euo pipefail

packages=(g++ cmake make libeigen3-dev libxsimd-dev doctest-dev libbenchmark-dev
          zlib1g-dev libpng-dev libopenblas-dev clang libclang-rt-14-dev libopenmpi-dev
          openmpi-bin "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
