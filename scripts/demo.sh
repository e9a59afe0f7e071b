#!/bin/bash
# The main job: build if needed, then run the timer-latency scenario (scenarios/timer_latency.py: a latmus-like oob
# responder on 4 cores under in-band load) and print its report and metrics table, writing a VCD waveform, a Perfetto
# timeline and the full result as JSON under out/. Extra arguments go to `oobsim run` (e.g. --seed 2).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
status=0
PYTHONPATH="$PWD/python" /usr/bin/python3 -m oobsim run scenarios/timer_latency.py \
  --vcd out/timer_latency.vcd --perfetto out/timer_latency.perfetto.json --json out/timer_latency.json "$@" || status=$?
echo
echo "wrote out/timer_latency.vcd (open with gtkwave), out/timer_latency.perfetto.json (load in ui.perfetto.dev),"
echo "      out/timer_latency.json (metrics, counters, console of the run)"
exit $status
