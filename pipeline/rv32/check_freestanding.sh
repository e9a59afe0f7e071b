#!/bin/bash
# Compile the pipeline for the firmware target (RV32IMA, ilp32, freestanding, -Werror), with and without
# PIPELINE_DEBUG, and check that the objects need nothing but the arch_* hooks and the kern_* ones of xcall
# (pipeline/include/pipeline/kern.h): no libc, no libgcc helpers.
# Usage: check_freestanding.sh <riscv64-unknown-elf-gcc> <scratch dir> <sources...>   (from pipeline/)
set -euo pipefail
cc=$1 out=$2
shift 2
root=$(cd .. && pwd)
ld=${cc%gcc}ld
nm=${cc%gcc}nm
mkdir -p "$out"
flags=(-march=rv32ima_zicsr_zifencei -mabi=ilp32 -std=c11 -ffreestanding -Wall -Wextra -Werror -O2
       -Iinclude -Irv32 -I"$root/sim" -I"$root/firmware/include" '-DPIPELINE_ARCH_HEADER="stub_arch.h"')
for variant in nodebug debug; do
  extra=()
  [ "$variant" = debug ] && extra=(-DPIPELINE_DEBUG)
  objs=()
  for src in "$@"; do
    obj="$out/$variant-${src%.c}.o"
    "$cc" "${flags[@]}" "${extra[@]}" -c "$src" -o "$obj"
    objs+=("$obj")
  done
  "$ld" -m elf32lriscv -r -o "$out/$variant-combined.o" "${objs[@]}"
  undefined=$("$nm" -u "$out/$variant-combined.o" | awk '{print $2}' | grep -v '^arch_' | grep -v '^kern_' || true)
  if [ -n "$undefined" ]; then
    echo "pipeline ($variant) needs symbols that are not arch or kernel hooks:" $undefined >&2
    exit 1
  fi
  echo "pipeline ($variant): $("$nm" -u "$out/$variant-combined.o" | wc -l) arch and kernel hooks needed, nothing else"
done
