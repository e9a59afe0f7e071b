#!/bin/bash
# The main job: build if needed, then run the bundled multicore demo firmware on 4 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec build/oobsim run build/firmware/demo.elf --cpus 4 "$@"
