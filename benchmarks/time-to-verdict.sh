#!/usr/bin/env bash
# Time to verdict, locally: the shipped scenario set run whole, then as N shards (./build.sh PerfRun
# --shard K/N, one after another on this machine), then merged by PerfReport. Prints each stage's wall
# time, the slowest shard against the whole run (goal <= 0.40 at N = 3) and the artifacts' size.
# On CI the shards run at the same time on N runners, so the slowest shard is the profile stage's time.
# The shards are split as the gate splits them after a nightly run: the whole run is filed by
# PerfHistory into a local history, and each shard reads its per-scenario costs from it (--history-dir).
# The cost: estimates in scenarios/ are Filare's; on the stand-in they would balance nothing.
# TTV_COSTS=file skips the history and splits by cost: (what a first run without history gets).
# Usage: benchmarks/time-to-verdict.sh [N] [extra PerfRun arguments...]
#   FILARE_ROOT / FILARE_PYTHON: measure a real Filare checkout (default: the stand-in).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

shards=${1:-3}
shift || true
out=.nuke/temp/time-to-verdict
rm -rf "$out" "$out".*.log
./build.sh --help >/dev/null   # compile first: building the build is a fixed cost of its own

if [ -n "${FILARE_ROOT:-}" ]; then
    filare=(--filare-root "$FILARE_ROOT" --python "${FILARE_PYTHON:-$FILARE_ROOT/.venv/bin/python}")
else
    filare=(--filare-root tests/fixture/standin)
fi

now() { date +%s%N; }
seconds() { python3 -c "import sys; print(f'{(int(sys.argv[2]) - int(sys.argv[1])) / 1e9:.1f}')" "$1" "$2"; }

start=$(now)
./build.sh PerfRun "${filare[@]}" --output-dir "$out/whole" --run-label ttv "$@" >"$out.whole.log" 2>&1 || true
whole_end=$(now)
whole=$(seconds "$start" "$whole_end")

# A scenario the whole run skipped (pytest-render-bom on the stand-in, which has no pytest) costs
# nothing and has no record: left in, its cost: estimate would take a shard of its own.
# Prints nothing when the whole run skipped nothing, else --scenario and the names it measured.
mapfile -t select < <(python3 -c "
import json, sys
scenarios = json.load(open(sys.argv[1]))['scenarios']
measured = [s['name'] for s in scenarios if s.get('status') != 'skipped']
if measured and len(measured) < len(scenarios):
    print('\n'.join(['--scenario', *measured]))" "$out/whole/ttv/metrics.json" 2>/dev/null || true)

split=()
if [ "${TTV_COSTS:-history}" = history ]; then
    # What the nightly job does: file the run's per-scenario costs (RunCost) under its branch.
    # Filed under a branch of our own: the checkout's may be detached, or a name git reads as a commit.
    ./build.sh PerfHistory --report-input "$out/whole" --history-dir "$out/history" --filare-branch ttv >"$out.history.log" 2>&1 || true
    split=(--history-dir "$out/history")
else
    split=(--history-dir "$out/no-history")
fi

declare -a shard_times=()
for k in $(seq 1 "$shards"); do
    s=$(now)
    ./build.sh PerfRun "${filare[@]}" --output-dir "$out/sharded" --run-label ttv --shard "$k/$shards" "${split[@]}" "${select[@]}" "$@" >"$out.shard$k.log" 2>&1 || true
    shard_times+=("$(seconds "$s" "$(now)")")
done

s=$(now)
./build.sh PerfReport --report-input "$out/sharded" --baseline none >"$out.report.log" 2>&1 || true
report=$(seconds "$s" "$(now)")
./build.sh PerfReport --report-input "$out/whole" --baseline none >"$out.report-whole.log" 2>&1 || true

python3 - "$whole" "$report" "$out" "${shard_times[@]}" <<'PY'
import json, pathlib, re, sys
whole, report, out = float(sys.argv[1]), float(sys.argv[2]), pathlib.Path(sys.argv[3])
shards = [float(t) for t in sys.argv[4:]]
print(f"load average (1, 5, 15 min): {open('/proc/loadavg').read().split()[:3]}")
print(f"unsharded PerfRun            {whole:8.1f} s")
def members(k):
    m = out / 'sharded' / f'ttv-shard{k}of{len(shards)}' / 'metrics.json'
    try:
        run = json.loads(m.read_text())
    except (OSError, ValueError):
        return '(no metrics.json)'
    return ', '.join(s['name'] for s in run.get('scenarios', []) if s.get('status') != 'skipped')
for i, t in enumerate(shards, 1):
    print(f"shard {i}/{len(shards)}                    {t:8.1f} s   {members(i)}")
for line in pathlib.Path(str(out) + '.shard1.log').read_text(errors='replace').splitlines():
    if 'shard' in line and ('cost' in line or 'expected' in line):
        print(f"  split: {line.strip()[:200]}")
        break
print(f"PerfReport (merge)           {report:8.1f} s")
slowest = max(shards)
ratio = slowest / whole
print(f"slowest shard / unsharded    {ratio:8.2f}   goal <= 0.40: {'PASS' if ratio <= 0.40 else 'FAIL'}")
def size(folder):
    return sum(f.stat().st_size for f in folder.rglob('*') if f.is_file() and not f.is_symlink())
print(f"run folders (what perf.yml uploads): whole {size(out / 'whole') / 2**20:.1f} MiB, shards {size(out / 'sharded') / 2**20:.1f} MiB")
def read(path):
    report = path / 'report.md'
    return report.read_text() if report.exists() else ''
def sections(text):
    # The first heading is the headline, which names verdicts: compared below, scenario by scenario.
    return [l for l in text.splitlines() if l.startswith('#')][1:]
def verdicts(text):
    rows, table = {}, False
    for line in text.splitlines():
        if line.startswith('#### '):
            table = line.startswith('#### Verdict')
        elif table and line.startswith('| ') and not line.startswith('| Scenario'):
            cells = [c.strip() for c in line.strip('|').split('|')]
            rows[cells[0]] = cells[1]
    return rows
w, s = read(out / 'whole'), read(out / 'sharded')
print(f"same sections: {sections(w) == sections(s)}  ({len(sections(w))} after the headline)")
vw, vs = verdicts(w), verdicts(s)
# The mark is the decision (⚪ nothing to do, 🔴/🟠 slower, 🟢 faster, ❔ unknown); the words may differ with the pairs.
same = [n for n in vw if n in vs and vw[n].split()[0] == vs[n].split()[0]]
print(f"same verdict marks: {len(same)} of {len(vw)} scenarios (merged report has {len(vs)})")
for name in sorted(set(vw) | set(vs)):
    print(f"  {name:22} whole: {vw.get(name, '-'):34} merged: {vs.get(name, '-')}")
PY
