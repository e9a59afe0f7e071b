#!/bin/bash
# Tracing must not change the simulated timing: runs one program without any tracing output, then with every one of
# them (--events, --vcd, --perfetto, --metrics, --histogram, and --insn-trace), and checks that the exit status, each
# core's cycles, instructions and sleep cycles in the report, and the final state (--state-dump: registers, CSRs,
# cycle counts, a RAM digest) are identical.
# Usage: cycles_identical.sh OOBSIM PROGRAM.elf WORKDIR [oobsim run options...]
set -u
oobsim=$1 elf=$2 work=$3
shift 3
mkdir -p "$work"
rm -f "$work"/*
"$oobsim" run "$elf" --state-dump "$work/plain.state" "$@" > "$work/plain.out" 2> "$work/plain.err"
echo $? > "$work/plain.rc"
"$oobsim" run "$elf" --state-dump "$work/traced.state" --events "$work/events.txt" --vcd "$work/trace.vcd" \
  --perfetto "$work/trace.json" --metrics "$work/metrics.json" --histogram "$work/histogram.txt" \
  --insn-trace "$work/insns.txt" "$@" > "$work/traced.out" 2> "$work/traced.err"
echo $? > "$work/traced.rc"
# The per-core lines of the report: "core cycles instructions sleep-cycles IPC" (host time and MIPS differ).
for run in plain traced; do
  sed -n '/^--- oobsim report ---$/,/^host:/p' "$work/$run.out" | grep -Ev '^host:' > "$work/$run.report"
done
status=0
for kind in rc report state; do
  if ! cmp -s "$work/plain.$kind" "$work/traced.$kind"; then
    echo "MISMATCH in $kind with tracing on:"
    diff "$work/plain.$kind" "$work/traced.$kind" | head -20
    status=1
  fi
done
if ! grep -q '^core ' "$work/plain.report"; then echo "no report"; status=1; fi
events=$(grep -vc '^#' "$work/events.txt")
[ "$events" -gt 10 ] || { echo "only $events events were traced"; status=1; }
if grep -q 'tracing:' "$work/traced.err"; then echo "tracing complained:"; cat "$work/traced.err"; status=1; fi
[ $status = 0 ] && echo "identical with and without tracing ($events events): exit status $(cat "$work/plain.rc"), $(grep -c '^core ' "$work/plain.report") cores, $(tail -1 "$work/plain.state")"
exit $status
