#!/usr/bin/env bash
# Creates /opt/perf-tools (a virtualenv) with uv and the given profilers, and checks each answers.
# Usage: install-tools.sh PACKAGE...
set -euo pipefail

python3 -m venv "$VIRTUAL_ENV"
"$VIRTUAL_ENV/bin/python" -m pip install --no-cache-dir uv
"$VIRTUAL_ENV/bin/uv" pip install --python "$VIRTUAL_ENV/bin/python" --no-cache "$@"

# A tool that does not answer is a broken image, better found now than in a PR's profile job.
for package in "$@"; do
    case "$package" in
        py-spy) "$VIRTUAL_ENV/bin/py-spy" --version ;;
        scalene) "$VIRTUAL_ENV/bin/python" -m scalene --version || [ "$?" -eq 255 ] ;;
        memray) "$VIRTUAL_ENV/bin/python" -m memray --version ;;
        pyprof2calltree) "$VIRTUAL_ENV/bin/pyprof2calltree" --help >/dev/null ;;
        *) echo "install-tools.sh: no check for $package" >&2 ;;
    esac
done
