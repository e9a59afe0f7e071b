#!/bin/bash
# Runs one program with the C++ GIC (--gic tlm) and the RTL GIC (--gic rtl) and checks that everything the run
# produces is the same: exit status, console output, warnings (stderr), the event log (every GIC line, pending/
# active change, IAR/EOIR, SGI, MEIP, trap, ... with its cycle) and the final architectural state; and that the exit
# status is the expected one.
# Usage: tlm_vs_rtl.sh OOBSIM PROGRAM.elf WORKDIR EXPECTED_STATUS [oobsim run options...]
set -u
oobsim=$1 elf=$2 work=$3 expected=$4
shift 4
mkdir -p "$work"
name=$(basename "$elf" .elf)
for gic in tlm rtl; do
  base="$work/$name.$gic"
  "$oobsim" run "$elf" --gic "$gic" --quiet --events "$base.events" --state-dump "$base.state" "$@" \
    > "$base.out" 2> "$base.err"
  echo $? > "$base.rc"
done
status=0
for kind in rc out err events state; do
  if ! cmp -s "$work/$name.tlm.$kind" "$work/$name.rtl.$kind"; then
    echo "MISMATCH in $kind between the TLM and the RTL GIC:"
    diff "$work/$name.tlm.$kind" "$work/$name.rtl.$kind" | head -20
    status=1
  fi
done
rc=$(cat "$work/$name.rtl.rc")
if [ "$rc" != "$expected" ]; then
  echo "exit status $rc, expected $expected; stderr:"
  head -20 "$work/$name.rtl.err"
  status=1
fi
gic_events=$(grep -c -E ' (iar|eoir|sgi_send|pending|active|line) ' "$work/$name.rtl.events")
gic_warnings=$(grep -c 'GIC' "$work/$name.rtl.err")
# The run must have exercised the GIC: interrupts, or guest errors it reported.
[ "$gic_events" -gt 0 ] || [ "$gic_warnings" -gt 0 ] || { echo "no GIC events and no GIC warnings"; status=1; }
[ $status = 0 ] && echo "identical: exit status $rc, $(wc -l < "$work/$name.rtl.events") events ($gic_events at the GIC), $gic_warnings GIC warnings, final state $(tail -1 "$work/$name.rtl.state")"
exit $status
