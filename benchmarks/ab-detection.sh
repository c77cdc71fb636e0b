#!/usr/bin/env bash
# Same-runner A/B on the fixture program, wall time and instructions side by side in one run.
# The fixture's repository has three commits: the base, +1% CPU work, +10% CPU work. Each trial is:
#   A/B +10%: --compare-ref to the base, adaptive pairs for wall time, instructions counted;
#   A/A:      --compare-ref HEAD on the clean +10% commit, the same;
#   A/B +1%:  the +1% commit against the base, instructions only (2 pairs of wall time, not judged).
# Trials alternate, so all face the same machine. Goals (issue 14): instructions 20/20 detected for
# +1% and +10%, 0/20 false alarms, A/A floor <= 0.1%; wall time with adaptive pairs >= 19/20
# detected for +10%, 0/20 false alarms; the median pairs used and the wall-clock cost of each.
# Usage: benchmarks/ab-detection.sh [trials=20] [minimum runs per side=10] [fixture --work units=400] [max runs per side=30] [instructions threshold=0.005]
# (400 units is about 0.5 s of CPU work, so the interpreter's start-up does not dilute the 10%. It
# still dilutes the 1%: +1% of the loop is about 0.98% of the run's instructions, under the default
# 1% --instructions-threshold, so the benchmark judges instructions at 0.5%, which an A/A floor of
# ~0.001% leaves ample room for.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
trials=${1:-20}
runs=${2:-10}
work=${3:-400}
max=${4:-30}
threshold=${5:-0.005}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind); the instruction figures need it" >&2; exit 1; }

./build.sh --help >/dev/null   # compile first
root=$(mktemp -d "${TMPDIR:-/tmp}/filare-perf-ab-XXXXXX")
one="$root-one"
trap 'git -C "$root" worktree remove --force "$one" >/dev/null 2>&1 || true; rm -rf "$root" "$one"' EXIT

# A Filare-shaped repository: the fixture is "Filare"; its next commits add 1%, then 10% CPU work.
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
commit() { git -C "$root" add -A && git -C "$root" -c user.name=bench -c user.email=bench@example.com commit -qm "$1"; }
git -C "$root" init -q -b main
commit base
for percent in 1.0 10.0; do
    sed -i "s/\"--extra-work\", type=float, default=[0-9.]*)/\"--extra-work\", type=float, default=$percent)/" "$root/perf_fixture.py"
    grep -q "default=$percent)" "$root/perf_fixture.py"
    commit "$percent% more work"
done
git -C "$root" worktree add -q "$one" HEAD~1   # the +1% commit, checked out beside
mkdir -p "$one/.nuke"

export FIL_PERF_ENABLE_PYSPY=false FIL_PERF_ENABLE_SCALENE=false FIL_PERF_INSTALL_PROFILERS=false
run() { # label filare-root ref max-runs extra-arguments... (an option given twice is a list to the engine: one --max-runs each)
    local label=$1 filare=$2 ref=$3 most=$4
    shift 4
    ./build.sh PerfRun --root "$root" --filare-root "$filare" --python python3 --compare-ref "$ref" --run-label "$label" \
        --enable-instructions --instructions-threshold "$threshold" --max-runs "$most" "$@" >"$root/$label.log" 2>&1 \
        || { echo "PerfRun $label failed; its log:" >&2; tail -30 "$root/$label.log" >&2; exit 1; }
}
for i in $(seq 1 "$trials"); do
    run "ab10-$i" "$root" HEAD~2 "$max"
    run "aa-$i" "$root" HEAD "$max"
    run "ab1-$i" "$one" HEAD~1 2 --runs 2 --warmups 0
    printf '.' >&2
done
echo >&2

python3 - "$root" "$trials" "$runs" "$work" "$max" "$threshold" <<'PY'
import json, re, statistics, sys
root, trials, runs, work, most, threshold = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], float(sys.argv[6])
def trial(label):
    metrics = json.load(open(f"{root}/outputs/perf/{label}/metrics.json"))
    assert metrics["compare"]["status"] == "ok", metrics["compare"]
    scenario = metrics["scenarios"][0]
    log = open(f"{root}/{label}.log").read()
    seconds = {t: float(s) for t, s in re.findall(r"^\s*(Measure|CountInstructions)\s+Succeeded\s+([0-9.]+)s", log, re.M)}
    return metrics["compare"]["mode"], scenario, seconds
print(f"{'trial':>5}  {'+10% wall':<13} {'pairs':>5} {'+10% instr':<11} {'+1% instr':<11}   {'A/A wall':<13} {'pairs':>5} {'A/A instr':<10} {'A/A floor':>9}")
rows = []
for i in range(1, trials + 1):
    mode_ab, ab, ab_s = trial(f"ab10-{i}")
    mode_aa, aa, aa_s = trial(f"aa-{i}")
    mode_one, one, one_s = trial(f"ab1-{i}")
    assert (mode_ab, mode_aa, mode_one) == ("a/b", "a/a", "a/b"), (mode_ab, mode_aa, mode_one)
    row = {
        "ab_wall": ab["paired"]["wallSeconds"]["verdict"], "ab_pairs": ab["adaptive"]["pairs"],
        "aa_wall": aa["paired"]["wallSeconds"]["verdict"], "aa_pairs": aa["adaptive"]["pairs"],
        "ab_instr": ab["instructionChange"]["total"], "one_instr": one["instructionChange"]["total"],
        "aa_instr": aa["instructionChange"]["total"], "aa_floor": aa["instructionChange"]["noiseFloor"],
        "wall_s": [ab_s["Measure"], aa_s["Measure"]], "instr_s": [ab_s["CountInstructions"], aa_s["CountInstructions"], one_s["CountInstructions"]],
    }
    rows.append(row)
    pct = lambda d: f"{d['verdict']} {(d['ratio'] - 1) * 100:+.2f}%"
    print(f"{i:>5}  {row['ab_wall']:<13} {row['ab_pairs']:>5} {pct(row['ab_instr']):<11} {pct(row['one_instr']):<11}   {row['aa_wall']:<13} {row['aa_pairs']:>5} {pct(row['aa_instr']):<10} {row['aa_floor'] * 100:8.4f}%")
count = lambda key, verdict: sum(r[key] == verdict if isinstance(r[key], str) else r[key]["verdict"] == verdict for r in rows)
goal = trials - trials // 20
print()
print(f"fixture --work {work}; wall time: at least {runs} interleaved pairs, adaptive up to {most} per side; instructions: one counted run per side (cachegrind), threshold {threshold * 100:g}%")
print(f"{'':<34} {'detected':>10} {'false alarms':>13} {'A/A floor (max)':>16} {'median pairs':>13} {'s per trial':>12}")
floor = max(r["aa_floor"] for r in rows) * 100
wall_s = statistics.median(s for r in rows for s in r["wall_s"])
instr_s = statistics.median(s for r in rows for s in r["instr_s"])
print(f"{'instructions, +1% work':<34} {count('one_instr', 'slower'):>7}/{trials:<2} {count('aa_instr', 'slower'):>10}/{trials:<2} {floor:>15.4f}% {'1 run/side':>13} {instr_s:>12.1f}")
print(f"{'instructions, +10% work':<34} {count('ab_instr', 'slower'):>7}/{trials:<2} {count('aa_instr', 'slower'):>10}/{trials:<2} {floor:>15.4f}% {'1 run/side':>13} {instr_s:>12.1f}")
pairs_ab = statistics.median(r["ab_pairs"] for r in rows)
pairs_aa = statistics.median(r["aa_pairs"] for r in rows)
print(f"{'wall time (adaptive), +10% work':<34} {count('ab_wall', 'slower'):>7}/{trials:<2} {count('aa_wall', 'slower'):>10}/{trials:<2} {'':>16} {f'{pairs_ab:g} (A/A {pairs_aa:g})':>13} {wall_s:>12.1f}")
print("(s per trial: the median duration of the Measure target, resp. of CountInstructions, over the trials)")
ok = (count('one_instr', 'slower') == trials and count('ab_instr', 'slower') == trials and count('aa_instr', 'slower') == 0 and floor <= 0.1
      and count('ab_wall', 'slower') >= goal and count('aa_wall', 'slower') == 0)
print("PASS" if ok else "FAIL")
PY
