"""Trace one Python process's heap with tracemalloc and write what it found when it ends.

Configured by the environment variable FIL_PERF_HEAP (JSON):
    {"folder": DIR, "own": [ROOT, ...], "packages": ["filare"], "frames": N, "step": 0.1, "top": 100}
The program's process is started by heap_program.py, its Python children by sitecustomize.py
beside this file (the folder is put first on their PYTHONPATH). Each writes one JSON record:
heap.json for the program, child-PID.json for a child.

What it records (docs/performance/metrics.md, "heap"):
- peakBytes: tracemalloc's high-water mark of traced memory over the whole run (exact);
- exitBytes and exitBlocks: what is still traced when the program ends;
- sites at the peak: the traced blocks of the snapshot nearest the peak, grouped by the first frame
  in the program's own code ("site", relative to its root) and the frame that allocated
  ("allocatedAt", relative to the sys.path entry it was imported from; for a block made by an
  import, the line that imported rather than importlib's frozen internals).

Where the snapshot is taken: at the end of garbage collections (gc.callbacks), whenever the traced
size has grown by `step` (25%) since the last snapshot (the first at 4 MiB), and at exit; the one whose size is nearest the peak
is kept. Collections are triggered by allocation counts, so with a fixed PYTHONHASHSEED the same
program takes its snapshots at the same points: the sites are as repeatable as the peak. A snapshot
allocates (its list of traces counts as traced memory): the peak is read before each one and
tracemalloc's peak reset after it, so the snapshot never shows in peakBytes.
"""

import gc
import json
import os
import sys
import time
import tracemalloc

ENVIRONMENT = "FIL_PERF_HEAP"
MINIMUM_SNAPSHOT = 4 << 20
IMPORT_MACHINERY = "<frozen importlib"


def config():
    return json.loads(os.environ[ENVIRONMENT])


class HeapTrace:
    def __init__(self, settings):
        self.frames = int(settings.get("frames", 16))
        self.step = float(settings.get("step", 0.25))
        self.top = int(settings.get("top", 100))
        self.roots = [os.path.realpath(root) + os.sep for root in settings.get("own", [])]
        self.packages = tuple(name + os.sep for name in settings.get("packages", []))
        self.prefixes = {os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
        self.peak_before = 0
        self.next_at = MINIMUM_SNAPSHOT
        self.best = None
        self.snapshots = 0
        self.snapshot_seconds = 0.0
        self.own_cache = {}
        self.entries = set()
        self.name_cache = {}
        self.started = time.perf_counter()
        tracemalloc.start(self.frames)
        gc.callbacks.append(self.checkpoint)

    def checkpoint(self, phase, _info):
        if phase == "stop" and gc.isenabled() and tracemalloc.is_tracing() and tracemalloc.get_traced_memory()[0] >= self.next_at:
            self.snapshot("during the run")

    def snapshot(self, when):
        current, peak = tracemalloc.get_traced_memory()
        self.peak_before = max(self.peak_before, peak)
        started = time.perf_counter()
        # sys.path as it is now (the program may have added to it), resolved once per snapshot.
        self.entries = {os.path.realpath(entry or ".") + os.sep for entry in sys.path}
        # No collection (and so no nested checkpoint) while the snapshot's own objects are made.
        collecting = gc.isenabled()
        gc.disable()
        try:
            traces = tracemalloc._get_traces()
            blocks = len(traces)
            sites = self.group(traces)
            del traces
        finally:
            if collecting:
                gc.enable()
        self.snapshot_seconds += time.perf_counter() - started
        self.snapshots += 1
        tracemalloc.reset_peak()
        self.next_at = max(MINIMUM_SNAPSHOT, int(current * (1 + self.step)))
        taken = {"bytes": current, "blocks": blocks, "when": when, "sites": sites}
        if self.best is None or current >= self.best["bytes"]:
            self.best = taken
        return taken

    def group(self, traces):
        # Every object made here is traced (at `frames` deep), so the loop over the traces makes
        # as few as it can: the sums are per traceback (keyed by the tuple itself: id() would make an int),
        # and each traceback is named once.
        sizes = {}
        for trace in traces:
            found = sizes.get(trace[2])
            if found is None:
                sizes[trace[2]] = [trace[1]]
            else:
                # An append makes no object (a sum would make an int per trace).
                found.append(trace[1])
        totals = {}
        for frames, found in sizes.items():
            # An import allocates inside importlib's frozen frames: name the line that imported instead.
            allocated = next((self.name(f) for f in frames if not f[0].startswith(IMPORT_MACHINERY)), None) \
                or (self.name(frames[0]) if frames else "<unknown>")
            own = next((self.name(frame) for frame in frames if self.is_own(frame[0])), None)
            entry = totals.setdefault((own, allocated), [0, 0])
            entry[0] += sum(found)
            entry[1] += len(found)
        ranked = sorted(totals.items(), key=lambda item: (-item[1][0], item[0][0] or "", item[0][1]))
        own_bytes = sum(size for (own, _), (size, _) in totals.items() if own is not None)
        return {
            "ownBytes": own_bytes,
            "groups": len(totals),
            "top": [{"site": own, "allocatedAt": allocated, "bytes": size, "blocks": count}
                    for (own, allocated), (size, count) in ranked[: self.top]],
        }

    def is_own(self, filename):
        known = self.own_cache.get(filename)
        if known is None:
            path = os.path.realpath(filename) if filename.startswith(os.sep) else filename
            inside = any(path.startswith(root) for root in self.roots)
            installed = "site-packages" + os.sep in path or "dist-packages" + os.sep in path or any(path.startswith(p) for p in self.prefixes)
            package = self.relative_to_path(path)
            known = (inside and not installed) or (package is not None and package.startswith(self.packages) and bool(self.packages))
            self.own_cache[filename] = known
        return known

    def relative_to_path(self, path):
        best = None
        for entry in self.entries:
            if path.startswith(entry) and (best is None or len(entry) > len(best)):
                best = entry
        return path[len(best):] if best else None

    def name(self, frame):
        filename, line = frame
        shown = self.name_cache.get(filename)
        if shown is None:
            shown = filename
            if filename.startswith(os.sep):
                path = os.path.realpath(filename)
                root = next((r for r in self.roots if path.startswith(r)), None)
                if root is not None and self.is_own(filename):
                    shown = path[len(root):]
                else:
                    marker = "site-packages" + os.sep
                    # A package reached through a symlink (a .pth folder of links) resolves outside sys.path.
                    shown = self.relative_to_path(path) or (path.rsplit(marker, 1)[1] if marker in path else path)
            self.name_cache[filename] = shown
        return f"{shown}:{line}"

    def finish(self, path, exit_code=None):
        """Write the record; the last thing the process does under tracemalloc."""
        if self.checkpoint in gc.callbacks:
            gc.callbacks.remove(self.checkpoint)
        traced_seconds = time.perf_counter() - self.started
        current, peak = tracemalloc.get_traced_memory()
        peak = max(self.peak_before, peak)
        at_exit = self.snapshot("at exit")
        tracemalloc.stop()
        best = self.best
        record = {
            "pid": os.getpid(),
            "command": sys.argv[:],
            "exitCode": exit_code,
            "peakBytes": peak,
            "exitBytes": current,
            "exitBlocks": at_exit["blocks"],
            "frames": self.frames,
            "snapshotBytes": best["bytes"],
            "snapshotBlocks": best["blocks"],
            "snapshotWhen": best["when"],
            "ownBytes": best["sites"]["ownBytes"],
            "siteGroups": best["sites"]["groups"],
            "sites": best["sites"]["top"],
            "snapshots": self.snapshots,
            "snapshotSeconds": round(self.snapshot_seconds, 3),
            "tracedSeconds": round(traced_seconds, 3),
        }
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        os.replace(temporary, path)


def trace_child():
    """From sitecustomize: trace this Python child and write child-PID.json when it exits."""
    import atexit
    settings = config()
    tracer = HeapTrace(settings)
    atexit.register(lambda: tracer.finish(os.path.join(settings["folder"], f"child-{os.getpid()}.json")))
