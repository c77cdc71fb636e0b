"""Where a run would import a package from, under exactly the run's interpreter, environment and cwd.

Usage: python identity.py PACKAGE SCRIPT|-
  SCRIPT: a console script; it is executed as the run executes it (its own sys.path[0]) but under
          another __name__, so its `if __name__ == "__main__":` block (the program) does not run.
  -:      the package is imported with the cwd first on sys.path, as `python -m ...` has it.
Prints one JSON line: {"package", "path", "error", "distributions"}, the last being every
distribution this interpreter sees as `name==version` (what `pip freeze` lists, read by
importlib.metadata so that it also works in a uv-made venv, which has no pip).
"""

import importlib
import importlib.metadata
import json
import os
import runpy
import sys

package, script = sys.argv[1], sys.argv[2]
result = {"package": package, "path": None, "error": None}
try:
    if script != "-":
        sys.argv = [script]
        sys.path[0] = os.path.dirname(os.path.abspath(script))
        runpy.run_path(script, run_name="__filare_perf_identity__")
        if package not in sys.modules:
            importlib.import_module(package)
    else:
        sys.path[0] = os.getcwd()
        importlib.import_module(package)
except BaseException as error:  # noqa: BLE001 - SystemExit and import errors alike are findings
    result["error"] = f"{type(error).__name__}: {error}"
module = sys.modules.get(package)
if module is not None:
    location = getattr(module, "__file__", None) or next(iter(getattr(module, "__path__", [])), None)
    result["path"] = os.path.realpath(location) if location else None
seen = {}
for distribution in importlib.metadata.distributions():
    name = distribution.metadata["Name"]
    if name and name.lower() not in seen:
        seen[name.lower()] = f"{name}=={distribution.version}"
result["distributions"] = sorted(seen.values(), key=str.lower)
print(json.dumps(result))
