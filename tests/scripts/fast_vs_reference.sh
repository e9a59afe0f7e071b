#!/bin/bash
# Runs one program in the fast and the reference scheduling modes and checks that every core's instruction trace
# (with cycle stamps) and the final architectural state are identical.
# Usage: fast_vs_reference.sh OOBSIM PROGRAM.elf WORKDIR [oobsim run options...]
set -u
oobsim=$1 elf=$2 work=$3
shift 3
mkdir -p "$work"
name=$(basename "$elf" .elf)
for mode in fast reference; do
  "$oobsim" run "$elf" --mode "$mode" --quiet --insn-trace "$work/$name.$mode.trace" \
    --state-dump "$work/$name.$mode.state" "$@" > "$work/$name.$mode.out" 2>&1
  echo $? > "$work/$name.$mode.rc"
  # Trace lines are "core cycle pc insn": a stable sort by core gives each core's trace in program order.
  sort -s -k1,1n "$work/$name.$mode.trace" > "$work/$name.$mode.sorted"
done
status=0
for kind in rc out state sorted; do
  if ! cmp -s "$work/$name.fast.$kind" "$work/$name.reference.$kind"; then
    echo "MISMATCH in $kind between fast and reference mode:"
    diff "$work/$name.fast.$kind" "$work/$name.reference.$kind" | head -20
    status=1
  fi
done
lines=$(wc -l < "$work/$name.fast.sorted")
[ "$lines" -gt 0 ] || { echo "no instructions were traced"; status=1; }
[ $status = 0 ] && echo "identical: $lines instructions, exit status $(cat "$work/$name.fast.rc"), final state $(tail -1 "$work/$name.fast.state")"
exit $status
