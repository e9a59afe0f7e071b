#!/bin/bash
# Installs the Debian packages oobsim needs to build and test. Idempotent: when everything is there it changes
# nothing and needs no network. Run as root (or with sudo) on Debian 12.
set -euo pipefail
# build: cmake make g++ pkg-config; SystemC/TLM: libsystemc-dev; tests: libgtest-dev libbenchmark-dev;
# firmware: gcc-riscv64-unknown-elf (has the rv32 multilibs) and picolibc-riscv64-unknown-elf;
# Python tests (tests/python, tests/trace): Debian's python3 with python3-pytest.
packages=(
  cmake make g++ pkg-config
  libsystemc-dev
  libgtest-dev libbenchmark-dev
  gcc-riscv64-unknown-elf
  picolibc-riscv64-unknown-elf
  python3 python3-pytest
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
