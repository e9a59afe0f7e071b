#!/bin/bash
# The main job: build if needed, then run the bundled multicore demo firmware on 4 cores, printing its console output
# and the report, and writing a VCD waveform, a Perfetto timeline and the latency metrics under out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
status=0
build/oobsim run build/firmware/demo.elf --cpus 4 \
  --vcd out/demo.vcd --perfetto out/demo.perfetto.json --metrics out/demo.metrics.json "$@" || status=$?
echo
echo "wrote out/demo.vcd (open with gtkwave), out/demo.perfetto.json (load in ui.perfetto.dev), out/demo.metrics.json"
exit $status
