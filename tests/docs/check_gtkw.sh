#!/bin/bash
# Loads a GTKWave save file of the tutorials on the VCD it is meant for, in a headless GTKWave, and checks that
# GTKWave found every signal it names (it drops unknown ones without a word) and shows the window it says.
# Skipped (exit 77) when gtkwave or xvfb-run is not installed: they are not dependencies of the project.
# Usage: check_gtkw.sh OOBSIM ELF SAVEFILE WORKDIR [oobsim run options...]
set -euo pipefail
oobsim=$1 elf=$2 savefile=$3 work=$4
shift 4
if ! command -v gtkwave >/dev/null || ! command -v xvfb-run >/dev/null; then
    echo "gtkwave or xvfb-run not installed: skipped"
    exit 77
fi
mkdir -p "$work"
"$oobsim" run "$elf" --quiet --vcd "$work/trace.vcd" "$@" >/dev/null
cat >"$work/query.tcl" <<'TCL'
puts "DISPLAYED [gtkwave::getDisplayedSignals]"
puts "WINDOW [gtkwave::getWindowStartTime]"
gtkwave::/File/Quit
TCL
out=$(timeout 120 xvfb-run -a gtkwave -S "$work/query.tcl" "$work/trace.vcd" "$savefile" 2>&1)
want=$(grep -E '^oobsim\.' "$savefile" | tr '\n' ' ')
got=$(sed -n 's/^DISPLAYED //p' <<<"$out")
start=$(sed -n 's/^\[timestart\] //p' "$savefile")
status=0
[ "$(echo $got)" = "$(echo $want)" ] || { echo "signals shown: $got"; echo "signals named: $want"; status=1; }
grep -qx "WINDOW $start" <<<"$out" || { echo "window does not start at $start:"; grep WINDOW <<<"$out"; status=1; }
[ $status = 0 ] && echo "$savefile: $(wc -w <<<"$want") signals, from cycle $start"
exit $status
