#!/bin/bash
# Host speed with the C++ GIC (--gic tlm) and with the verilated RTL GIC (--gic rtl) on interrupt-heavy firmware, in
# simulated MIPS; docs/rtl-gic.md quotes its output. Both GICs give the same cycles (tests/rtl/), so the instruction
# counts are equal and the MIPS ratio is the host cost of the RTL. Run after scripts/build.sh.
#   bench/rtl_gic.sh [BUILD_DIR]
# BENCH_REPS (default 5): runs of each GIC per scenario, alternating, so drift of a shared machine hits both; the
# median is printed.
set -euo pipefail
build=${1:-$(dirname "$0")/../build}
oobsim=$build/oobsim
fw=$build/firmware
reps=${BENCH_REPS:-5}

# host_seconds ELF [oobsim options]: the "host: S s" figure of one run (the simulation itself, not the start-up).
host_seconds() {
  local elf=$1 out
  shift
  out=$("$oobsim" run "$elf" "$@" 2>&1) || { echo "$elf: the run failed:" >&2; echo "$out" | tail -5 >&2; return 1; }
  echo "$out" | awk '/^host:/ { print $2, $4 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# scenario LABEL ELF [oobsim options]
scenario() {
  local label=$1 elf=$2 tlm="" rtl="" insns t r
  shift 2
  for _ in $(seq "$reps"); do
    read -r t insns < <(host_seconds "$elf" --gic tlm "$@")
    read -r r _ < <(host_seconds "$elf" --gic rtl "$@")
    tlm+="$t"$'\n' rtl+="$r"$'\n'
  done
  t=$(printf '%s' "$tlm" | median)
  r=$(printf '%s' "$rtl" | median)
  awk -v l="$label" -v n="$insns" -v t="$t" -v r="$r" 'BEGIN {
    printf "%-44s %11d insns   tlm %7.3f s %7.1f MIPS   rtl %7.3f s %7.1f MIPS   rtl/tlm time %.2f\n",
           l, n, t, n / t / 1e6, r, n / r / 1e6, r / t }'
}

echo "oobsim with the TLM and the RTL GIC ($(nproc) host cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); median of $reps runs each)"
# tests/firmware/gic_irq_heavy.c with its test's options (SGI storms, six SPI sources, nested timer interrupts), taken
# from the CTest command of fw.gic_irq_heavy so the two cannot drift apart.
test_command=$(ctest --test-dir "$build" -N -V -R '^fw\.gic_irq_heavy$' | sed -n 's/^.*Test command: //p')
[ -n "$test_command" ] || { echo "no CTest test fw.gic_irq_heavy in $build" >&2; exit 1; }
eval "irq_heavy=($test_command)"  # oobsim run ELF OPTIONS...
scenario "gic_irq_heavy: 4 cores, SGIs + 6 SPI sources" "${irq_heavy[@]:2}"
# The compute benchmark with a GIC timer interrupt every 10 us (10000 cycles) on each core (bench/CMakeLists.txt).
scenario "compute + GIC timer every 10 us, 1 core" "$fw/bench_gic_timer_1.elf" --cpus 1
scenario "compute + GIC timer every 10 us, 4 cores" "$fw/bench_gic_timer_all.elf" --cpus 4
# The same 4-core run with 988 SPIs: the RTL build that scans all 32 interrupt-ID words.
scenario "... with 988 SPIs (the large RTL build)" "$fw/bench_gic_timer_all.elf" --cpus 4 --spis 988
