"""Run a Python program in this process under tracemalloc and write its heap record.

Usage: FIL_PERF_HEAP='{"folder": DIR, "own": [ROOT], ...}' python heap_program.py -- (-m MODULE | SCRIPT) [ARGS...]

tracemalloc starts before anything else this helper does, so the program's own imports are traced
from the first; the record (heap/heap_trace.py) goes to DIR/heap.json with the program's own exit
status. Python children are traced too: heap/ goes first on their PYTHONPATH, where its
sitecustomize.py starts tracemalloc in each and writes DIR/child-PID.json when it exits.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "heap"))
import heap_trace  # noqa: E402  (tracing starts below, before argparse or runpy are imported)

SETTINGS = heap_trace.config()
TRACER = heap_trace.HeapTrace(SETTINGS)
del sys.path[0]

import runpy  # noqa: E402
import traceback  # noqa: E402


def exit_code_of(value):
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


def main():
    target = sys.argv[1:]
    if target[:1] == ["--"]:
        target = target[1:]
    if not target:
        sys.stderr.write("heap_program.py: missing program\n")
        return 2
    heap = os.path.join(HERE, "heap")
    os.environ["PYTHONPATH"] = os.pathsep.join([heap] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    if target[0] == "-m":
        module, args = target[1], target[2:]
        sys.argv = [module] + args
        sys.path[0] = os.getcwd()
        run = lambda: runpy.run_module(module, run_name="__main__", alter_sys=True)  # noqa: E731
    else:
        script, args = target[0], target[1:]
        sys.argv = [script] + args
        sys.path[0] = os.path.dirname(os.path.abspath(script))
        run = lambda: runpy.run_path(script, run_name="__main__")  # noqa: E731
    code = 0
    try:
        run()
    except SystemExit as stop:
        code = exit_code_of(stop.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    TRACER.finish(os.path.join(SETTINGS["folder"], "heap.json"), code)
    return code


if __name__ == "__main__":
    sys.exit(main())
