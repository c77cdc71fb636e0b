"""Trace a Python child of a heap run (heap_program.py puts this folder first on PYTHONPATH).

Python imports sitecustomize at start-up, before the program: tracing starts there, and the record is
written at exit (atexit: a child ended by os._exit or a signal writes none, and is named as untraced
by the harness through its process list). A child started with -I or -S does not read PYTHONPATH or
import site, and is not traced. The sitecustomize this file shadows, if any, is still run.
"""

import os
import sys


def _chain():
    import importlib.machinery
    import importlib.util
    here = os.path.dirname(os.path.abspath(__file__))
    path = [entry for entry in sys.path if os.path.abspath(entry or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


if os.environ.get("FIL_PERF_HEAP"):
    try:
        import heap_trace
        heap_trace.trace_child()
    except Exception as error:  # never break the program over its measurement
        sys.stderr.write(f"filare-perf heap: cannot trace this child: {error}\n")
_chain()
