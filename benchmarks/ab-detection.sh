#!/usr/bin/env bash
# Same-runner A/B on the fixture program: how often a real 10% slowdown is called "slower" (A/B:
# head = the fixture with --extra-work 10 by default, base = the commit before it) and how often an
# unchanged program is (A/A: --compare-ref HEAD on a clean checkout). Trials alternate A/B and A/A,
# so both face the same machine. Goals: >= 19/20 detected, 0/20 false alarms.
# Usage: benchmarks/ab-detection.sh [trials=20] [runs per side=10] [fixture --work units=400]
# (400 units is about 0.5 s of CPU work, so the interpreter's start-up does not dilute the 10%.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
trials=${1:-20}
runs=${2:-10}
work=${3:-400}

./build.sh --help >/dev/null   # compile first
root=$(mktemp -d "${TMPDIR:-/tmp}/filare-perf-ab-XXXXXX")
trap 'rm -rf "$root"' EXIT

# A Filare-shaped repository: the fixture is "Filare", its next commit adds 10% CPU work.
mkdir -p "$root/.nuke" "$root/scenarios"
printf '[project]\nname = "filare"\n' >"$root/pyproject.toml"
cp tests/fixture/perf_fixture.py "$root/perf_fixture.py"
cat >"$root/scenarios/fixture.yml" <<YML
version: 1
name: fixture
description: the fixture program, $work units of CPU work
command: [python, "{root}/perf_fixture.py", --work, "$work"]
runs: $runs
warmups: 1
YML
git -C "$root" init -q -b main
git -C "$root" add -A
git -C "$root" -c user.name=bench -c user.email=bench@example.com commit -qm base
sed -i 's/"--extra-work", type=float, default=0.0)/"--extra-work", type=float, default=10.0)/' "$root/perf_fixture.py"
grep -q 'default=10.0)' "$root/perf_fixture.py"
git -C "$root" -c user.name=bench -c user.email=bench@example.com commit -qam "10% more work"

export FIL_PERF_ENABLE_PYSPY=false FIL_PERF_ENABLE_SCALENE=false FIL_PERF_INSTALL_PROFILERS=false
run() { # label ref
    ./build.sh PerfRun --root "$root" --filare-root "$root" --python python3 --compare-ref "$2" --run-label "$1" >"$root/$1.log" 2>&1 \
        || { echo "PerfRun $1 failed; its log:" >&2; tail -30 "$root/$1.log" >&2; exit 1; }
}
for i in $(seq 1 "$trials"); do
    run "ab-$i" HEAD~1
    run "aa-$i" HEAD
    printf '.' >&2
done
echo >&2

python3 - "$root/outputs/perf" "$trials" "$runs" "$work" <<'PY'
import json, statistics, sys
folder, trials, runs, work = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def trial(label):
    metrics = json.load(open(f"{folder}/{label}/metrics.json"))
    assert metrics["compare"]["status"] == "ok", metrics["compare"]
    scenario = metrics["scenarios"][0]
    wall = scenario["paired"]["wallSeconds"]
    return metrics["compare"]["mode"], wall, scenario["paired"]["noiseFloor"]
print(f"{'trial':>5}  {'A/B verdict':<13} {'ratio':>6} {'95% interval':>16}   {'A/A verdict':<13} {'ratio':>6} {'noise floor':>11}")
detected = false_alarms = 0
ab_ratios, floors = [], []
for i in range(1, trials + 1):
    mode_ab, ab, _ = trial(f"ab-{i}")
    mode_aa, aa, floor = trial(f"aa-{i}")
    assert (mode_ab, mode_aa) == ("a/b", "a/a"), (mode_ab, mode_aa)
    detected += ab["verdict"] == "slower"
    false_alarms += aa["verdict"] == "slower"
    ab_ratios.append(ab["ratio"])
    floors.append(floor["wallSeconds"])
    print(f"{i:>5}  {ab['verdict']:<13} {ab['ratio']:6.3f} [{ab['ratioLow']:.3f}, {ab['ratioHigh']:.3f}]   {aa['verdict']:<13} {aa['ratio']:6.3f} {floor['wallSeconds'] * 100:10.1f}%")
print()
print(f"fixture --work {work}, {runs} interleaved pairs per trial, +10% CPU work in the A/B head")
print(f"A/B: 'slower' in {detected}/{trials} trials (goal >= {trials - trials // 20}/{trials}); median measured ratio {statistics.median(ab_ratios):.3f}")
print(f"A/A: 'slower' in {false_alarms}/{trials} trials (goal 0/{trials}); median noise floor {statistics.median(floors) * 100:.1f}%")
ok = detected >= trials - trials // 20 and false_alarms == 0
print("PASS" if ok else "FAIL")
PY
