#!/bin/bash
# Installs the Debian packages oobsim needs to build and test. Idempotent: when everything is there it changes
# nothing and needs no network. Run as root (or with sudo) on Debian 12.
set -euo pipefail
# build: cmake make g++ pkg-config; SystemC/TLM: libsystemc-dev; tests: libgtest-dev libbenchmark-dev;
# firmware: gcc-riscv64-unknown-elf (has the rv32 multilibs) and picolibc-riscv64-unknown-elf;
# RTL GIC: verilator; Python package (python/): python3-dev pybind11-dev, its tests python3-pytest, the docs' figures
# python3-numpy python3-matplotlib (all Debian's python3, /usr/bin/python3); for users, GTKWave to open the VCDs, which
# the docs tests also open headless (xvfb xauth), and python3-yaml for checking the docs' CI snippets.
packages=(
  cmake make g++ pkg-config
  libsystemc-dev
  libgtest-dev libbenchmark-dev
  gcc-riscv64-unknown-elf
  picolibc-riscv64-unknown-elf
  verilator
  python3 python3-dev pybind11-dev python3-pytest python3-numpy python3-matplotlib
  gtkwave xvfb xauth python3-yaml
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

# `import oobsim` for Debian's python3 from anywhere, and the `oobsim` command: a .pth naming this checkout's python/
# (the package finds its compiled module under build/) and a launcher. Rewritten only when they would change.
root=$(cd "$(dirname "$0")/.." && pwd)
site=$(/usr/bin/python3 -c 'import site, sys; print(next(p for p in site.getsitepackages() if p.startswith("/usr/local")))')
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
if [ "$(cat "$site/oobsim.pth" 2>/dev/null)" != "$root/python" ]; then
  $sudo mkdir -p "$site"
  echo "$root/python" | $sudo tee "$site/oobsim.pth" >/dev/null
fi
launcher=$'#!/bin/sh\n# oobsim (installed by scripts/setup.sh): the Python CLI of the checkout in the .pth of Debian\'s python3\nexec /usr/bin/python3 -m oobsim "$@"'
if [ "$(cat /usr/local/bin/oobsim 2>/dev/null)" != "$launcher" ]; then
  printf '%s\n' "$launcher" | $sudo tee /usr/local/bin/oobsim >/dev/null
  $sudo chmod 755 /usr/local/bin/oobsim
fi
