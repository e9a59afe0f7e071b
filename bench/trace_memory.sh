#!/bin/bash
# Tracing at scale (docs/observability.md): memory must stay flat however long a traced run is, and tracing's host
# cost. Not a timed test: prints, for two run lengths (the second ten times the first), the peak resident memory of
# `oobsim run` with every tracing output on (/usr/bin/time's maximum RSS), the sizes of the files written and the
# host speed, then the speed of the same runs and of the compute benchmark with and without tracing.
#   bench/trace_memory.sh [BUILD_DIR] [CYCLES]      (default CYCLES 10000000: runs of 10^7 and 10^8 cycles)
# The traced program is tests/trace/firmware/long.c: two cores, IRQ sources every 2000 and 5003 cycles, IPIs, in-band
# critical sections and run_oob_call()s, each traced as the interrupt pipeline traces them (~45 events per
# 1000 cycles). The files go to a temporary directory, removed at the end.
set -euo pipefail
build=${1:-$(dirname "$0")/../build}
cycles=${2:-10000000}
oobsim=$build/oobsim
long=$build/firmware/trace_long.elf
compute=$build/firmware/bench_compute_1.elf
for f in "$oobsim" "$long" /usr/bin/time; do
  [ -x "$f" ] || [ -f "$f" ] || { echo "missing $f (build first: scripts/build.sh)"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(--cpus 2 --irq-source mode=periodic,period=2000,spi=40 --irq-source mode=periodic,period=5003,spi=41
      --trace-hint 100=thread_switch --trace-hint 101=oob_call_fn_begin --trace-hint 102=oob_call_fn_end)
outputs=(--events "$work/events.txt" --vcd "$work/trace.vcd" --perfetto "$work/trace.json"
         --metrics "$work/metrics.json" --histogram "$work/histogram.txt")

# measure LABEL [oobsim run options]: peak RSS (KiB) and the report's host line.
measure() {
  local label=$1
  shift
  /usr/bin/time -f "%M" -o "$work/rss" "$oobsim" run "$@" > "$work/out" 2> "$work/err" || true
  local mips
  mips=$(grep '^host:' "$work/out" | sed -E 's/.*instructions, ([0-9.]+) simulated MIPS.*/\1/')
  printf "%-44s peak RSS %7s KiB  %8s MIPS\n" "$label" "$(tail -1 "$work/rss")" "${mips:-?}"
}

echo "== peak memory with every tracing output on (the files are streamed; RSS must not grow with the run)"
for n in "$cycles" "$((cycles * 10))"; do
  measure "traced, $n cycles" "$long" "${args[@]}" "${outputs[@]}" --max-cycles "$n"
  events=$(grep -vc '^#' "$work/events.txt" || true)
  sizes=$(du -k "$work/events.txt" "$work/trace.vcd" "$work/trace.json" | awk '{s = s sprintf("%s %d KiB, ", $2, $1)} END {sub(/, $/, "", s); print s}')
  echo "    $events events; ${sizes//$work\//}"
  rm -f "$work"/*.txt "$work"/*.vcd "$work"/*.json
done
measure "untraced, $((cycles * 10)) cycles" "$long" "${args[@]}" --max-cycles "$((cycles * 10))"

echo "== host cost of tracing"
measure "interrupt-heavy program, untraced" "$long" "${args[@]}" --max-cycles "$((cycles * 10))"
measure "interrupt-heavy program, --metrics only" "$long" "${args[@]}" --metrics "$work/m.json" \
  --max-cycles "$((cycles * 10))"
measure "interrupt-heavy program, every output" "$long" "${args[@]}" "${outputs[@]}" --max-cycles "$((cycles * 10))"
if [ -f "$compute" ]; then
  measure "compute benchmark, untraced" "$compute" --cpus 1
  measure "compute benchmark, every output" "$compute" --cpus 1 "${outputs[@]}"
fi
