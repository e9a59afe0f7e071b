#!/bin/bash
# Runs an xcall firmware test with the event log on, then checks its xcall events (check_xcall_events.py) against
# the rules and against the completion orders the firmware printed.
# Usage: xcall_trace.sh OOBSIM ELF WORKDIR [oobsim run options...]
set -u
oobsim=$1 elf=$2 dir=$3
shift 3
mkdir -p "$dir"
name=$(basename "$elf" .elf)
"$oobsim" run "$elf" --events "$dir/$name.events" "$@" >"$dir/$name.out" 2>&1
rc=$?
if [ $rc != 0 ]; then
  cat "$dir/$name.out"
  echo "xcall_trace: $name exited with $rc"
  exit 1
fi
python3 "$(dirname "$0")/check_xcall_events.py" "$dir/$name.events" "$dir/$name.out"
