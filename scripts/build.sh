#!/bin/bash
# Configures (once) and builds oobsim, its firmware and its tests in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f build/CMakeCache.txt ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" 2>&1 | grep -Ev '^\[ *[0-9]+%\]|^-- |Built target|Consolidate compiler' || true
test -x build/oobsim
