#!/bin/bash
# The whole test suite: unit tests, firmware tests on the simulator, fast-vs-reference equivalence, bad input —
# once in the optimized build, then again under AddressSanitizer and UndefinedBehaviorSanitizer (CMakePresets.json).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
(cd build && ctest -j2 --output-on-failure)

echo "== the same tests under ASan/UBSan (build-asan/)"
[ -f build-asan/CMakeCache.txt ] || cmake --preset asan >/dev/null
cmake --build --preset asan -j"$(nproc)" 2>&1 | grep -Ev '^\[ *[0-9]+%\]|^-- |Built target' || true
# LeakSanitizer is off: it needs ptrace, which sandboxes (and CI containers) often refuse, and then fails at random.
ctest --preset asan
