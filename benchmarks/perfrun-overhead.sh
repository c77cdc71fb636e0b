#!/usr/bin/env bash
# PerfRun's own cost: wall time of a whole `./build.sh PerfRun` divided by the summed wall time of
# the child runs it measured (warmups, clean runs, profiled runs), on the stand-in Filare checkout.
# Goal: <= 1.05. Usage: benchmarks/perfrun-overhead.sh [extra PerfRun arguments...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

label=bench-overhead
./build.sh --help >/dev/null   # compile first: building the build is not PerfRun's cost

# Install the stand-in as Filare would be: a virtualenv whose bin/ holds the interpreter and the
# `filare` console script. (The stand-in's committed .venv/bin/python is a shell script calling
# python3, which on pyenv machines is a shim costing 0.3 s per start.)
venv=.nuke/temp/bench-venv
if [ ! -x "$venv/bin/python" ]; then python3 -m venv --without-pip "$venv"; fi
cp tests/fixture/standin/.venv/bin/filare "$venv/bin/filare"

start=$(date +%s%N)
./build.sh PerfRun --filare-root tests/fixture/standin --python "$venv/bin/python" --run-label "$label" \
    --scenario demo01 rendering bomqty --enable-cprofile "$@" >/dev/null
end=$(date +%s%N)

python3 - "outputs/perf/$label/metrics.json" "$start" "$end" <<'PY'
import json, sys
metrics = json.load(open(sys.argv[1]))
wall = (int(sys.argv[3]) - int(sys.argv[2])) / 1e9
children = 0.0
count = 0
for scenario in metrics["scenarios"]:
    for sample in scenario["warmups"] + scenario["samples"]:
        children += sample["wallSeconds"]
        count += 1
    for run in scenario["profilers"]:
        if run["wallSeconds"] is not None:
            children += run["wallSeconds"]
            count += 1
ratio = wall / children
print(f"PerfRun wall                 {wall:8.3f} s")
print(f"sum of {count:3d} child runs' wall {children:8.3f} s")
print(f"ratio                        {ratio:8.3f}   goal <= 1.05: {'PASS' if ratio <= 1.05 else 'FAIL'}")
PY
