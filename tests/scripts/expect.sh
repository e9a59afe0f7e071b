#!/bin/bash
# Runs a command and checks its exit status and that its output (stdout and stderr, as one text: `.` matches
# newlines too) matches an extended regular expression.
# Usage: expect.sh STATUS REGEX COMMAND [ARGS...]
set -u
want=$1 regex=$2
shift 2
out=$("$@" 2>&1)
got=$?
status=0
[ "$got" = "$want" ] || { echo "exit status $got, expected $want"; status=1; }
grep -Ezq -- "$regex" <<<"$out" || { echo "output does not match /$regex/"; status=1; }
if [ $status != 0 ]; then echo "--- command: $*"; echo "--- output:"; echo "$out" | head -40; fi
exit $status
