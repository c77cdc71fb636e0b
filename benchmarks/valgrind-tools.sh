#!/usr/bin/env bash
# Which Valgrind tool counts instructions best for CountInstructions: each candidate runs the fixture
# (a Python process and one Python child, like Filare and its dot) in rotation, so all face the same
# machine; prints the median wall time (and its ratio to the native run), the instruction total over
# the process tree, and the spread of that total between repetitions.
# Usage: benchmarks/valgrind-tools.sh [repetitions=3] [fixture --work units=20]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
reps=${1:-3}
work=${2:-20}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
python=$(python3 -c 'import sys; print(sys.executable)')
out=$(mktemp -d "${TMPDIR:-/tmp}/filare-perf-vgtools-XXXXXX")
trap 'rm -rf "$out"' EXIT
export PYTHONHASHSEED=0
program=("$python" tests/fixture/perf_fixture.py --work "$work" --child-alloc-mb 1)

tools=(native none cachegrind-nosim cachegrind-sim callgrind lackey)
run() { # tool rep -> prints "seconds instructions"
    local dir="$out/$1-$2" start end
    mkdir -p "$dir"
    start=$(date +%s.%N)
    case "$1" in
        native) "${program[@]}" >/dev/null ;;
        none) valgrind --tool=none --trace-children=yes --log-file="$dir/%p.log" "${program[@]}" >/dev/null ;;
        cachegrind-nosim) valgrind --tool=cachegrind --cache-sim=no --trace-children=yes --cachegrind-out-file="$dir/cg.%p" --log-file="$dir/%p.log" "${program[@]}" >/dev/null ;;
        cachegrind-sim) valgrind --tool=cachegrind --cache-sim=yes --trace-children=yes --cachegrind-out-file="$dir/cg.%p" --log-file="$dir/%p.log" "${program[@]}" >/dev/null ;;
        callgrind) valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$dir/cl.%p" --log-file="$dir/%p.log" "${program[@]}" >/dev/null ;;
        lackey) valgrind --tool=lackey --basic-counts=yes --trace-children=yes --log-file="$dir/%p.log" "${program[@]}" >/dev/null ;;
    esac
    end=$(date +%s.%N)
    # cachegrind/callgrind: "I   refs:"; lackey: "guest instrs:"; none and native count nothing.
    local count
    count=$(cat "$dir"/*.log 2>/dev/null | sed -n 's/.*\(I   refs\|guest instrs\): *\([0-9,]*\).*/\2/p' | tr -d , | awk '{s+=$1} END {print s+0}')
    echo "$(echo "$end - $start" | bc) $count"
}
for rep in $(seq 1 "$reps"); do
    for tool in "${tools[@]}"; do
        echo "$tool $(run "$tool" "$rep")" >>"$out/results"
        printf '.' >&2
    done
done
echo >&2
python3 - "$out/results" "$work" "$reps" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
by = {}
for tool, seconds, count in rows:
    by.setdefault(tool, []).append((float(seconds), int(count)))
native = statistics.median(s for s, _ in by["native"])
print(f"fixture --work {sys.argv[2]} --child-alloc-mb 1 (2 Python processes), {sys.argv[3]} repetitions each, in rotation")
print(f"{'tool':<18} {'median s':>9} {'× native':>9} {'instructions':>14} {'spread':>9}")
for tool, values in by.items():
    seconds = statistics.median(s for s, _ in values)
    counts = [c for _, c in values]
    spread = (max(counts) - min(counts)) / max(counts) * 100 if max(counts) else 0
    shown = f"{statistics.median(counts):14,.0f}" if max(counts) else f"{'-':>14}"
    print(f"{tool:<18} {seconds:9.2f} {seconds / native:9.1f} {shown} {spread:8.4f}%" if max(counts) else f"{tool:<18} {seconds:9.2f} {seconds / native:9.1f} {shown} {'-':>9}")
PY
