#!/bin/bash
# Runs two builds of one program and checks that they behave identically, cycle for cycle: the same console output
# and the same report (exit status and cycle, every core's cycles, instructions and sleep cycles). Code addresses
# may differ between the builds, so "pc 0x<hex>" in the output is compared as "pc <addr>"; the host-speed line is
# left out. Used to show that the pipeline's trace HINTs cost nothing: a build with them compiled out must give the
# same cycle counts.
# Usage: same_timing.sh OOBSIM A.elf B.elf [oobsim run options...]
set -u
oobsim=$1 a=$2 b=$3
shift 3
run() {
  local elf=$1
  shift
  "$oobsim" run "$elf" "$@" 2>&1 | grep -v '^host:' | sed -E 's/pc 0x[0-9a-f]{8}/pc <addr>/g'
  echo "exit status ${PIPESTATUS[0]}"
}
out_a=$(run "$a" "$@")
out_b=$(run "$b" "$@")
if [ "$out_a" != "$out_b" ]; then
  echo "MISMATCH between $(basename "$a") and $(basename "$b"):"
  diff <(echo "$out_a") <(echo "$out_b") | head -20
  exit 1
fi
echo "identical runs: $(basename "$a") and $(basename "$b")"
echo "$out_a" | grep -A6 '^--- oobsim report'
exit 0
