#!/usr/bin/env bash
# Build startup benchmark: warm `./build.sh --help` against NUKE's own path, i.e. an up-to-date
#   dotnet build build/_build.csproj            (Debug, default output build/bin/Debug)
#   dotnet run --project build/_build.csproj --no-build -- --help
# Both are measured in one run, after one warmup each, for N rounds (default 10):
#   benchmarks/build-startup.sh [N]
# Rounds are interleaved (build.sh, NUKE, build.sh, NUKE, ...) so background load drifts hit both
# sides alike; a single hyperfine call would run all of one command first. Each round is timed by
# hyperfine (--runs 1, shell startup subtracted) when present, else (or with BENCH_NO_HYPERFINE=1)
# by `date +%s%N`. Per-round times go to .nuke/temp/build-startup/rounds.csv.
# Prints each median and the ratio (NUKE path / build.sh); goal >= 4x. Exits 1 when the goal fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-10}"
GOAL=4
RESULTS="$ROOT/.nuke/temp/build-startup"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

case "$RUNS" in '' | *[!0-9]* | 0) echo "usage: $0 [rounds>0]" >&2; exit 2 ;; esac

# Run from the root so both paths resolve the same SDK via global.json; output is not part of the timing.
cd "$ROOT"
root_q="$(printf '%q' "$ROOT")"
FAST="$root_q/build.sh --help >/dev/null 2>&1"
NUKE="dotnet build $root_q/build/_build.csproj >/dev/null 2>&1 && dotnet run --project $root_q/build/_build.csproj --no-build -- --help >/dev/null 2>&1"
mkdir -p "$RESULTS"

# Median of seconds, one per line.
median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Seconds taken by one shell command, without hyperfine (GNU date: %N is nanoseconds).
time_it() {
    local start end
    start="$(date +%s%N)"
    bash -c "$1" || { echo "failed: $1" >&2; exit 1; }
    end="$(date +%s%N)"
    awk -v ns="$((end - start))" 'BEGIN { printf "%.6f\n", ns / 1e9 }'
}

# One round, appended to rounds.csv as "<round>,<build.sh seconds>,<NUKE seconds>".
round() {
    local f n
    if [ "$TIMER" = "hyperfine" ]; then
        hyperfine --runs 1 --style none --export-csv "$RESULTS/round.csv" "$FAST" "$NUKE" >/dev/null
        # CSV: header, then one row per command in order; column 2 is the (single-run) mean.
        f="$(awk -F, 'NR == 2 { print $2 }' "$RESULTS/round.csv")"
        n="$(awk -F, 'NR == 3 { print $2 }' "$RESULTS/round.csv")"
    else
        f="$(time_it "$FAST")"
        n="$(time_it "$NUKE")"
    fi
    echo "$1,$f,$n" >>"$RESULTS/rounds.csv"
}

TIMER="date"
if command -v hyperfine >/dev/null 2>&1 && [ -z "${BENCH_NO_HYPERFINE:-}" ]; then TIMER="hyperfine"; fi

# Warmup: build.sh compiles if its sources changed, dotnet build brings build/bin/Debug up to date.
bash -c "$FAST" || { echo "failed: $FAST" >&2; exit 1; }
bash -c "$NUKE" || { echo "failed: $NUKE" >&2; exit 1; }

echo "round,build_sh_s,nuke_s" >"$RESULTS/rounds.csv"
for ((i = 1; i <= RUNS; i++)); do
    round "$i"
    printf '\rround %d/%d (%s)' "$i" "$RUNS" "$TIMER" >&2
done
echo >&2
fast_median="$(awk -F, 'NR > 1 { print $2 }' "$RESULTS/rounds.csv" | median)"
nuke_median="$(awk -F, 'NR > 1 { print $3 }' "$RESULTS/rounds.csv" | median)"
echo "per-round times: $RESULTS/rounds.csv"

awk -v timer="$TIMER" -v f="$fast_median" -v n="$nuke_median" -v goal="$GOAL" -v runs="$RUNS" 'BEGIN {
    ratio = n / f
    printf "\nBuild startup, %d interleaved rounds, median (timer: %s)\n", runs, timer
    printf "  ./build.sh --help (warm)                           %8.3f s\n", f
    printf "  dotnet build + dotnet run --no-build -- --help     %8.3f s\n", n
    printf "  ratio (NUKE path / build.sh)                       %8.1fx   goal >= %dx: %s\n", ratio, goal, (ratio >= goal ? "PASS" : "FAIL")
    exit (ratio >= goal ? 0 : 1)
}'
