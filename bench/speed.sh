#!/bin/bash
# Host speed of the simulator, in simulated MIPS, on the compute-bound benchmark firmware (bench/firmware/compute.c).
# Prints one line per configuration; docs/performance.md quotes its output. Run after scripts/build.sh.
#   bench/speed.sh [BUILD_DIR]
set -euo pipefail
build=${1:-$(dirname "$0")/../build}
oobsim=$build/oobsim
fw=$build/firmware

# run LABEL ELF [oobsim options]: prints the label, host seconds, instructions and MIPS from oobsim's report.
run() {
  local label=$1 elf=$2
  shift 2
  local report
  report=$("$oobsim" run "$elf" "$@" 2>&1 | grep '^host:' || true)
  [ -n "$report" ] || { echo "$label: no report (did the run fail?)"; return 1; }
  # host: 0.816 s, 230000399 instructions, 281.9 simulated MIPS (fast mode)
  echo "$report" | awk -v l="$label" '{printf "%-48s %8s s %12s instructions %8s MIPS\n", l, $2, $4, $6}'
}

echo "oobsim speed ($(nproc) host cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
run "fast, 1 core busy"                         "$fw/bench_compute_1.elf" --cpus 1
run "fast, 1 core busy + 4 idle in WFI"         "$fw/bench_compute_1.elf" --cpus 5
run "fast, 4 cores busy (aggregate)"            "$fw/bench_compute_all.elf" --cpus 4
run "fast, 8 cores busy (aggregate)"            "$fw/bench_compute_all.elf" --cpus 8
# The reference mode steps every cycle; 20 M cycles are enough to measure it.
run "reference, 1 core busy (first 20M cycles)"  "$fw/bench_compute_1.elf" --cpus 1 --mode reference --max-cycles 20000000
run "reference, 4 cores busy (first 20M cycles)" "$fw/bench_compute_all.elf" --cpus 4 --mode reference --max-cycles 20000000
