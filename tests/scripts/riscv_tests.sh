#!/bin/bash
# Builds the riscv-tests rv32ui, rv32um, rv32ua and rv32mi "-p" programs (bare machine, one hart, the tohost
# convention: docs/platform.md, "How a run ends") from a riscv-tests source tree you provide, and runs each of them on
# oobsim in the fast and the reference scheduling mode. The sources are not part of this repository and nothing is
# fetched: clone https://github.com/riscv-software-src/riscv-tests with its env submodule (riscv-test-env) yourself.
# Not a CTest test for that reason.
#
# Usage: tests/scripts/riscv_tests.sh SRC_DIR [BUILD_DIR]
#   SRC_DIR    the riscv-tests tree (isa/, env/p/, isa/macros/scalar/)
#   BUILD_DIR  oobsim's CMake build directory (default: build/ of this repository); the programs are built in
#              BUILD_DIR/riscv-tests/
# Prints a FAIL line per failing build or run, then "N/M pass (fast), N/M pass (reference)"; exit status 1 if any
# test failed to build or run, 2 on bad usage or a missing tool or source directory.
set -u

usage() {
  echo "usage: $0 SRC_DIR [BUILD_DIR]" >&2
  exit 2
}
die() {
  echo "riscv_tests.sh: $*" >&2
  exit 2
}

{ [ $# -ge 1 ] && [ $# -le 2 ]; } || usage
src=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$repo/build}
oobsim=$build/oobsim
cc=riscv64-unknown-elf-gcc
suites="rv32ui rv32um rv32ua rv32mi"
# A -p test finishes in well under a million cycles; a runaway one stops at this bound (exit 105) and fails.
max_cycles=100000000

[ -d "$src/isa" ] || die "$src/isa: no such directory (SRC_DIR must be a riscv-tests source tree)"
{ [ -f "$src/env/p/link.ld" ] && [ -f "$src/env/p/riscv_test.h" ]; } ||
  die "$src/env/p: no link.ld or riscv_test.h (the env submodule, riscv-test-env, is not checked out)"
[ -d "$src/isa/macros/scalar" ] || die "$src/isa/macros/scalar: no such directory"
[ -x "$oobsim" ] || die "$oobsim: not found or not executable (build oobsim first, or give BUILD_DIR)"
command -v "$cc" > /dev/null || die "$cc: not found (Debian package gcc-riscv64-unknown-elf)"

out=$build/riscv-tests
mkdir -p "$out" || die "cannot create $out"

# rv32ima with the CSR and fence.i extensions the tests use; the environment's own start-up code and link script.
cflags=(-march=rv32ima_zicsr_zifencei -mabi=ilp32 -static -mcmodel=medany -fvisibility=hidden -nostdlib -nostartfiles
        -I"$src/env/p" -I"$src/isa/macros/scalar" -T"$src/env/p/link.ld")

total=0 failed=0
declare -A passed=([fast]=0 [reference]=0)
for suite in $suites; do
  for source in "$src/isa/$suite"/*.S; do
    [ -e "$source" ] || die "$src/isa/$suite: no .S files"
    name=$suite-p-$(basename "$source" .S)
    total=$((total + 1))
    if ! "$cc" "${cflags[@]}" "$source" -o "$out/$name" 2> "$out/$name.build.log"; then
      echo "FAIL build $name (see $out/$name.build.log)"
      failed=1
      continue
    fi
    for mode in fast reference; do
      "$oobsim" run "$out/$name" --quiet --mode "$mode" --max-cycles "$max_cycles" > "$out/$name.$mode.log" 2>&1
      status=$?
      if [ $status = 0 ]; then
        passed[$mode]=$((passed[$mode] + 1))
      else
        echo "FAIL $mode $name: exit status $status (see $out/$name.$mode.log)"
        failed=1
      fi
    done
  done
done

echo "${passed[fast]}/$total pass (fast), ${passed[reference]}/$total pass (reference)"
exit $failed
