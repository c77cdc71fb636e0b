#!/usr/bin/env bash
# Runs the build (build/_build.csproj) with all arguments passed through unchanged:
#   ./build.sh PerfRun --scenario demo01
# The build is compiled once into .nuke/temp/build and only recompiled when its sources change,
# so a warm run costs one `dotnet _build.dll` instead of an MSBuild up-to-date check plus `dotnet run`.
set -euo pipefail

# The repo root is where this script lives; the user's working directory is left alone because
# the build finds its own root by walking up to .nuke/.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP="$ROOT/.nuke/temp"
OUT="$TEMP/build"
FINGERPRINT="$TEMP/build.fingerprint"
DOTNET_USED="$TEMP/build.dotnet"   # the dotnet that built $OUT; reused to run it

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Content (not mtime) fingerprint of everything that affects the compiled build. Paths are part of
# each cksum line, so renames count too. With no files at all the output is still deterministic.
fingerprint() {
    cd "$ROOT"
    find build -path build/bin -prune -o -path build/obj -prune -o -type f -print0 \
        | LC_ALL=C sort -z | xargs -0 cksum
    for f in global.json Directory.Build.props .editorconfig; do
        if [ -f "$f" ]; then cksum "$f"; fi
    done
}

# An SDK that satisfies global.json: DOTNET_EXE if set, else dotnet on PATH, else a private one in
# .nuke/temp/dotnet-unix (installed on first need). `dotnet --version` fails when no SDK matches
# global.json's version + rollForward, so it is the check. Only needed when we have to compile.
resolve_sdk() {
    if [ -n "${DOTNET_EXE:-}" ]; then return; fi
    if command -v dotnet >/dev/null 2>&1 && (cd "$ROOT" && dotnet --version) >/dev/null 2>&1; then
        DOTNET_EXE="$(command -v dotnet)"
        return
    fi
    local dir="$TEMP/dotnet-unix"
    if ! { [ -x "$dir/dotnet" ] && (cd "$ROOT" && "$dir/dotnet" --version) >/dev/null 2>&1; }; then
        local channel="STS"
        if [ -f "$ROOT/global.json" ]; then
            # sdk.version's major.minor, e.g. "10.0.100" -> "10.0"
            channel="$(sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([0-9]*\.[0-9]*\)\..*/\1/p' "$ROOT/global.json" | head -n 1)"
        fi
        echo "No .NET SDK matches global.json; installing channel ${channel:-STS} into $dir" >&2
        mkdir -p "$TEMP"
        local installer="$TEMP/dotnet-install.sh"
        if command -v curl >/dev/null 2>&1; then
            curl -fsSL https://dot.net/v1/dotnet-install.sh -o "$installer"
        else
            wget -q https://dot.net/v1/dotnet-install.sh -O "$installer"
        fi
        bash "$installer" --install-dir "$dir" --channel "${channel:-STS}" --no-path >&2
    fi
    DOTNET_EXE="$dir/dotnet"
}

current="$(fingerprint)"
if [ -f "$OUT/_build.dll" ] && [ -f "$FINGERPRINT" ] && [ "$(cat "$FINGERPRINT")" = "$current" ]; then
    # Up to date: run with the dotnet that built it, without paying for an SDK check.
    if [ -z "${DOTNET_EXE:-}" ]; then
        DOTNET_EXE="$(cat "$DOTNET_USED" 2>/dev/null || true)"
        if [ ! -x "$DOTNET_EXE" ]; then DOTNET_EXE="dotnet"; fi
    fi
else
    resolve_sdk
    mkdir -p "$TEMP"
    # Forget the old fingerprint first, so a failed build can never look up to date.
    rm -f "$FINGERPRINT"
    # Build from the root so global.json picks the SDK; keep the log quiet unless it fails.
    if ! (cd "$ROOT" && "$DOTNET_EXE" build build/_build.csproj -c Release -o "$OUT" --nologo -v q -clp:NoSummary) >"$TEMP/build.log" 2>&1; then
        cat "$TEMP/build.log" >&2
        echo "build.sh: compiling build/_build.csproj failed (log: $TEMP/build.log)" >&2
        exit 1
    fi
    # Atomic writes: a crash mid-write must not leave a fingerprint that matches a broken build.
    printf '%s\n' "$DOTNET_EXE" >"$DOTNET_USED.tmp" && mv -f "$DOTNET_USED.tmp" "$DOTNET_USED"
    printf '%s\n' "$current" >"$FINGERPRINT.tmp" && mv -f "$FINGERPRINT.tmp" "$FINGERPRINT"
fi

# Child processes of the build that call `dotnet` should get the same private SDK.
if [ "$DOTNET_EXE" = "$TEMP/dotnet-unix/dotnet" ]; then export DOTNET_ROOT="$TEMP/dotnet-unix" PATH="$TEMP/dotnet-unix:$PATH"; fi

# exec: the build's exit code and signals reach the caller directly.
exec "$DOTNET_EXE" "$OUT/_build.dll" "$@"
