#!/bin/bash
# The whole test suite: unit tests, firmware tests on the simulator, fast-vs-reference equivalence.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest -j2 --output-on-failure
