#!/bin/bash
# Host speed of the simulator, in simulated MIPS, on the compute-bound benchmark firmware (bench/firmware/compute.c).
# Prints one line per configuration, then the host cost of GIC timer interrupts; docs/performance.md quotes its
# output. Run after scripts/build.sh.
#   bench/speed.sh [BUILD_DIR]
# BENCH_REPS (default 5): pairs of runs (without, with the interrupts) for the interrupt cost.
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
# The same with a GIC timer interrupt every 10 us of simulated time on each busy core (10000 cycles at 1 GHz).
run "fast, 1 core busy + GIC timer every 10 us" "$fw/bench_gic_timer_1.elf" --cpus 1
run "fast, 4 cores busy + GIC timer every 10 us" "$fw/bench_gic_timer_all.elf" --cpus 4
# 10^6 device register reads (one load to the UART and two ALU instructions each): the device-access path.
run "fast, 1 core, 10^6 device register reads"  "$fw/bench_mmio_loop.elf" --cpus 1
# The reference mode steps every cycle; 20 M cycles are enough to measure it.
run "reference, 1 core busy (first 20M cycles)"  "$fw/bench_compute_1.elf" --cpus 1 --mode reference --max-cycles 20000000
run "reference, 4 cores busy (first 20M cycles)" "$fw/bench_compute_all.elf" --cpus 4 --mode reference --max-cycles 20000000

# cpu_run ELF [oobsim options]: "CPU-seconds instructions interrupts" of one run. CPU time (user + system, from the
# shell's getrusage) is disturbed less than wall time by other load on the machine.
cpu_run() {
  local elf=$1 out times
  shift
  out=$(mktemp) times=$(mktemp)
  { TIMEFORMAT='%3U %3S'; time "$oobsim" run "$elf" "$@" > "$out" 2>&1; } 2> "$times" ||
    { echo "$elf: the run failed" >&2; cat "$out" >&2; rm -f "$out" "$times"; return 1; }
  awk -v t="$(cat "$times")" '
    /^host:/ { insns = $4 }
    /GIC timer interrupts/ { irqs = $2 }
    END { split(t, a, " "); printf "%.3f %d %d\n", a[1] + a[2], insns, irqs + 0 }' "$out"
  rm -f "$out" "$times"
}

# start_cpu ELF [oobsim options]: the CPU seconds of a run stopped at its first cycle: process start, elaboration,
# RAM and ELF loading, which every run pays once whatever it simulates.
start_cpu() {
  local elf=$1 times
  shift
  times=$(mktemp)
  { TIMEFORMAT='%3U %3S'; time "$oobsim" run "$elf" "$@" --max-cycles 1 > /dev/null 2>&1; } 2> "$times" || true
  awk '{ printf "%.3f\n", $1 + $2 }' "$times"
  rm -f "$times"
}

# irq_cost LABEL PLAIN_ELF IRQ_ELF [options]: the same computation without and with the timer interrupts, run in
# BENCH_REPS alternating pairs. The median of the pairs' differences in host time is the cost of the interrupts
# (device events, GIC, trap entry, handler, return); it is compared with the host time of as many ordinary
# instructions as the interrupts added, at the plain runs' median rate once the start-up time (the median of as many
# runs stopped at their first cycle) is taken out of them. Pairing cancels most of the drift of a shared machine; the
# spread of the differences says how far to trust the figure.
irq_cost() {
  local label=$1 plain=$2 irq=$3 reps=${BENCH_REPS:-5} a b s pairs=""
  shift 3
  for _ in $(seq "$reps"); do
    a=$(cpu_run "$plain" "$@")
    b=$(cpu_run "$irq" "$@")
    s=$(start_cpu "$plain" "$@")
    pairs+="$a $b $s"$'\n'
  done
  awk -v l="$label" -v reps="$reps" '
    function median(v, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    NF == 7 { k++; t0[k] = $1; i0 = $2; i1 = $5; n = $6; d[k] = $4 - $1; dd[k] = d[k]; st[k] = $7 }
    END {
      if (n == 0) { print l ": no interrupts counted"; exit 1 }
      T0 = median(t0, k); D = median(d, k); S = median(st, k); lo = hi = dd[1]
      for (j = 2; j <= k; j++) { if (dd[j] < lo) lo = dd[j]; if (dd[j] > hi) hi = dd[j] }
      per = D / n * 1e6; ins = (i1 - i0) / n; ord = ins * (T0 - S) / i0 * 1e6
      printf "%s (CPU time, median of %d pairs: %.3f s without the timer, of which %.3f s start-up, +%.3f s with it, ", \
        l, k, T0, S, D
      printf "pairs %+.3f..%+.3f s):\n", lo, hi
      printf "  %d interrupts, %.1f instructions each; host time per interrupt %.2f us, ", n, ins, per
      printf "of %.0f ordinary instructions %.2f us: %.1fx (target: at most 2x)\n", ins, ord, per / ord }' <<<"$pairs"
}

echo
irq_cost "interrupt cost, 4 cores busy, GIC timer every 10 us" \
  "$fw/bench_compute_all.elf" "$fw/bench_gic_timer_all.elf" --cpus 4
# The same timers started an eighth of a period apart: the cores no longer take their interrupts in the same cycles.
irq_cost "interrupt cost, 4 cores busy, GIC timers every 10 us, staggered" \
  "$fw/bench_compute_all.elf" "$fw/bench_gic_timer_staggered_all.elf" --cpus 4
irq_cost "interrupt cost, 1 core busy, GIC timer every 10 us" \
  "$fw/bench_compute_1.elf" "$fw/bench_gic_timer_1.elf" --cpus 1
