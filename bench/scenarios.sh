#!/bin/bash
# Speed of the Python scenario layer (docs/python.md quotes its output):
#   1. wall time of `oobsim regress scenarios/` (what CI runs);
#   2. simulated cycles per host second of the timer-latency scenario, as shipped and 10 times longer;
#   3. the fixed cost of one run: a child process starting Python, importing oobsim, loading oobsim._core and the
#      scenario firmware, elaborating the platform, and handing the result back: a scenario that ends almost at once,
#      wall time minus the simulation's own host time. Must stay under 0.5 s (the script fails otherwise).
# Run after the build:  bench/scenarios.sh [BUILD_DIR]      BENCH_REPS (default 7): runs for the start-up median.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=$(cd "${1:-$repo/build}" && pwd)
export PYTHONPATH="$repo/python${PYTHONPATH:+:$PYTHONPATH}" OOBSIM_BUILD_DIR="$build"
py=/usr/bin/python3

echo "oobsim scenario layer ($(nproc) host cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"

start=$(date +%s.%N)
"$py" -m oobsim regress "$repo/scenarios" > /tmp/oobsim-bench-regress.$$ || {
  cat /tmp/oobsim-bench-regress.$$; rm -f /tmp/oobsim-bench-regress.$$; exit 1; }
end=$(date +%s.%N)
n=$(grep -c '^PASS' /tmp/oobsim-bench-regress.$$ || true)
rm -f /tmp/oobsim-bench-regress.$$
awk -v s="$start" -v e="$end" -v n="$n" -v j="$(nproc)" \
  'BEGIN { printf "%-58s %8.2f s  (%d scenarios, -j %d)\n", "oobsim regress scenarios/: wall time", e - s, n, j }'

"$py" - "$repo" "${BENCH_REPS:-7}" <<'EOF'
import os, statistics, subprocess, sys, time
import oobsim

repo, reps = sys.argv[1], int(sys.argv[2])
base = oobsim.load_scenario_file(os.path.join(repo, "scenarios", "timer_latency.py"))
for label, sc in (("timer-latency, as shipped", base), ("timer-latency, 10x longer", base.replace(duration=base.duration * 10))):
    r = sc.run()
    print(f"{label + ': simulated cycles per host second':<58} {r.simulated_cycles_per_second / 1e6:8.2f} M  "
          f"({r.end_cycle} cycles in {r.host_seconds:.3f} s; wall {r.wall_seconds:.3f} s)")

def timed(code):
    t = time.monotonic()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.monotonic() - t

imports = statistics.median(timed("import oobsim") for _ in range(reps))
core = statistics.median(timed("import oobsim._core") for _ in range(reps))
tiny = oobsim.Scenario("tiny", platform=oobsim.Platform(cpus=4), duration=100_001, warmup=0)
overheads = []
for _ in range(reps):
    r = tiny.run()
    overheads.append(r.wall_seconds - r.host_seconds)
overhead = statistics.median(overheads)
print(f"{'python3 start + import oobsim (median)':<58} {imports:8.3f} s")
print(f"{'python3 start + import oobsim._core (median)':<58} {core:8.3f} s")
print(f"{'per-run start-up overhead: wall - simulation (median)':<58} {overhead:8.3f} s  "
      f"(min {min(overheads):.3f}, max {max(overheads):.3f}; limit 0.5 s)")
if overhead >= 0.5:
    sys.exit("per-run start-up overhead is above 0.5 s")
EOF
