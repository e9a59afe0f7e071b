#!/bin/bash
# The host cost of GIC timer interrupts in host instructions (valgrind's callgrind), the deterministic companion of
# bench/speed.sh's host-time figure: the same pairs of programs (bench/firmware/compute.c without and with a GIC timer
# interrupt every 10 us on each busy core), counted instead of timed. The counts repeat exactly from run to run, so
# they show a change of a few hundred host instructions per interrupt that host time on a shared machine cannot.
# They weigh every host instruction alike, which host time does not (docs/performance.md).
#   bench/irq_instructions.sh [BUILD_DIR] [CPUS...]      (default CPUS: 1 4)
# For several cores it also counts the timers staggered (bench_gic_timer_staggered_all): aligned, the cores take
# their interrupts in the same cycles. Takes about 8 minutes for 4 cores; needs valgrind (Debian package valgrind).
set -euo pipefail
build=${1:-$(dirname "$0")/../build}
shift || true
cpus_list=("$@")
[ ${#cpus_list[@]} -gt 0 ] || cpus_list=(1 4)
oobsim=$build/oobsim
fw=$build/firmware
command -v valgrind > /dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
for f in "$oobsim" "$fw/bench_compute_1.elf" "$fw/bench_gic_timer_all.elf" "$fw/bench_gic_timer_staggered_all.elf"; do
  [ -e "$f" ] || { echo "missing $f (build first: scripts/build.sh)"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# count NAME ELF CPUS [options]: runs it under callgrind, leaving "host-instructions simulated-instructions
# interrupts scheduler-slices" in $work/NAME.
count() {
  local name=$1 elf=$2 cpus=$3
  shift 3
  # A run stopped by --max-cycles exits with status 1: what matters is that callgrind counted.
  valgrind --tool=callgrind --callgrind-out-file="$work/$name.cg" "$oobsim" run "$elf" --cpus "$cpus" "$@" \
    > "$work/$name.out" 2>&1 || true
  grep -q ' refs:' "$work/$name.out" || { echo "$name: the run failed"; cat "$work/$name.out"; return 1; }
  awk '/ refs:/ { gsub(",", "", $4); ir = $4 }
       /^host:/ { insns = $4; if (match($0, /[0-9]+ scheduler slices/)) slices = substr($0, RSTART, RLENGTH - 17) }
       /GIC timer interrupts/ { irqs = $2 }
       END { printf "%s %s %d %d\n", ir, insns, irqs + 0, slices + 0 }' "$work/$name.out" > "$work/$name"
}

# report CPUS NAME LABEL: the cost per interrupt of run NAME against the plain run.
report() {
  local cpus=$1 name=$2 label=$3 ir0 in0 ir1 in1 n irs s0 s1
  read -r ir0 in0 _ s0 < "$work/plain"
  read -r ir1 in1 n s1 < "$work/$name"
  read -r irs _ < "$work/start"
  awk -v c="$cpus" -v l="$label" -v ir0="$ir0" -v in0="$in0" -v ir1="$ir1" -v in1="$in1" -v n="$n" -v irs="$irs" \
      -v s0="$s0" -v s1="$s1" 'BEGIN {
    if (n == 0) { print c " cores, " l ": no interrupts counted"; exit 1 }
    ins = (in1 - in0) / n; per = (ir1 - ir0) / n; ord = ins * (ir0 - irs) / in0
    printf "%d core%s, %s: %d interrupts, %.1f instructions each; host instructions %.0f and %.0f in all, %.0f of them start-up\n",
      c, c == 1 ? "" : "s", l, n, ins, ir0, ir1, irs
    printf "  per interrupt %.0f, of %.0f ordinary instructions %.0f: %.2fx (target: at most 2x)\n", per, ins, ord, per / ord
    printf "  scheduler slices: %.1f more per interrupt, %.1f per %.0f ordinary instructions\n", (s1 - s0) / n, \
      ins * s0 / in0, ins
  }'
}

for cpus in "${cpus_list[@]}"; do
  if [ "$cpus" = 1 ]; then variant=1; else variant=all; fi
  # The two runs of a pair are independent: one per host core.
  count plain "$fw/bench_compute_$variant.elf" "$cpus" &
  count irq "$fw/bench_gic_timer_$variant.elf" "$cpus" &
  wait %1 && wait %2
  # Start-up (process, elaboration, RAM, ELF), which every run pays once: a run stopped at its first cycle.
  count start "$fw/bench_compute_$variant.elf" "$cpus" --max-cycles 1
  report "$cpus" irq "GIC timer every 10 us"
  # Several cores: the same with the timers staggered, so that the cores do not take their interrupts in lockstep.
  if [ "$cpus" != 1 ]; then
    count staggered "$fw/bench_gic_timer_staggered_all.elf" "$cpus"
    report "$cpus" staggered "GIC timers every 10 us, staggered"
  fi
done
