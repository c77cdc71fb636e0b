"""Run commands one at a time and report what each cost over its whole process tree.

Usage: python -I -S perf_runner.py
Reads one JSON request per line on stdin:
    {"argv": [...], "cwd": "...", "env": {...}, "stdout": "file", "stderr": "file"}
and answers on stdout with one JSON line when the command has started,
    {"event": "started", "pid": N}
With "sample_processes_ms": N in the request, the tree's processes are read from /proc every N ms
and the answer adds "processes": [{"pid", "ppid", "command", "peak_rss_bytes"}] (VmHWM, the peak
RSS of each process; one that lives less than N ms may be missed). Off for measured runs: the
sampling thread costs CPU. And one when it has ended (or could not start):
    {"event": "exited", "exit_code": 0, "signal": null, "wall_ns": ..., "user_seconds": ...,
     "system_seconds": ..., "peak_rss_bytes": ..., "leaked_processes": 0}
    {"event": "error", "error": "cannot start ..."}

Why a separate process: .NET reaps its own children and cannot hand back their rusage, while the
kernel keeps exact CPU times and the peak RSS of the largest process for every descendant that
is waited for (wait4), which is what GNU time and hyperfine read. This process becomes a child
subreaper, so grandchildren orphaned by their parents are still waited for here and counted.
Each command leads a new session (its pid is the session id), so the harness can find and kill
its whole tree on a timeout. The runner stays up for the whole PerfRun: an interpreter start-up
per measured run would cost more than the measurement itself on a slow machine.
"""

import ctypes
import json
import os
import shutil
import signal
import sys
import threading
import time

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def children_of(parent):
    """Direct children of `parent` that are not yet zombies, read from /proc (Linux only)."""
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != b"Z":
            found.append(int(entry))
    return found


def reap_leftovers(totals, deadline_seconds=5.0):
    """Kill and reap what the command left running (orphans re-parented to us); count them.

    Their CPU and memory are added to `totals`: they ran as part of the command."""
    leaked = set()
    deadline = time.monotonic() + deadline_seconds
    while True:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return len(leaked)
        if pid != 0:
            add(totals, usage)
            continue
        if time.monotonic() > deadline:
            return len(leaked)
        for child in children_of(os.getpid()):
            leaked.add(child)
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.002)


class ProcessSampler:
    """Peak RSS (VmHWM) of every process of the command's session, read from /proc while it runs."""

    def __init__(self, session, interval_ms):
        self.session = session
        self.interval = interval_ms / 1000
        self.ours = {}
        self.others = set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while True:
            self.sample()
            if self.stop.wait(self.interval):
                return

    def sample(self):
        try:
            entries = os.listdir("/proc")
        except OSError:
            return
        for entry in entries:
            if not entry.isdigit():
                continue
            pid = int(entry)
            if pid in self.others:
                continue
            known = self.ours.get(pid)
            if known is None:
                try:
                    with open(f"/proc/{pid}/stat", "rb") as stat:
                        fields = stat.read().rsplit(b")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[3]) != self.session:
                    self.others.add(pid)
                    continue
                known = self.ours[pid] = {"pid": pid, "ppid": int(fields[1]), "command": [], "peak_rss_bytes": 0}
            self.read(known)

    @staticmethod
    def read(known):
        pid = known["pid"]
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                # Re-read on every pass: between fork and exec a child still shows its parent's command.
                command = [part.decode(errors="replace") for part in handle.read().split(b"\0") if part]
            if command and command != known["command"]:
                # An exec: the new program starts a new peak. A forked child showed its parent's
                # command and, with the pages it shares, its parent's peak until then.
                known["command"] = command
                known["peak_rss_bytes"] = 0
            with open(f"/proc/{pid}/status", "rb") as handle:
                for line in handle:
                    if line.startswith(b"VmHWM:"):
                        known["peak_rss_bytes"] = max(known["peak_rss_bytes"], int(line.split()[1]) * 1024)
                        break
        except (OSError, ValueError):
            return

    def finish(self):
        self.stop.set()
        self.thread.join()
        return sorted(self.ours.values(), key=lambda p: p["pid"])


def add(totals, usage):
    totals["user_seconds"] += usage.ru_utime
    totals["system_seconds"] += usage.ru_stime
    totals["maxrss"] = max(totals["maxrss"], usage.ru_maxrss)


def run(request, subreaper):
    argv = request["argv"]
    env = request["env"]
    program = argv[0] if "/" in argv[0] else shutil.which(argv[0], path=env.get("PATH", os.defpath))
    if program is None:
        return {"event": "error", "error": f"cannot start {argv[0]}: not found on PATH"}
    with open(request["stdout"], "wb") as out, open(request["stderr"], "wb") as err:
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
        ]
        os.chdir(request["cwd"])
        start = time.perf_counter_ns()
        try:
            pid = os.posix_spawn(program, argv, env, file_actions=actions, setsid=True)
        except OSError as error:
            return {"event": "error", "error": f"cannot start {argv[0]}: {error.strerror or error}"}
        reply({"event": "started", "pid": pid})
        sampler = ProcessSampler(pid, request["sample_processes_ms"]) if request.get("sample_processes_ms") else None
        _, status, usage = os.wait4(pid, 0)
        wall_ns = time.perf_counter_ns() - start
    processes = sampler.finish() if sampler else None
    totals = {"user_seconds": 0.0, "system_seconds": 0.0, "maxrss": 0}
    add(totals, usage)
    leaked = reap_leftovers(totals) if subreaper else 0
    code = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    rss_scale = 1 if sys.platform == "darwin" else 1024
    return {
        "event": "exited",
        "exit_code": code if code >= 0 else None,
        "signal": -code if code < 0 else None,
        "wall_ns": wall_ns,
        "user_seconds": totals["user_seconds"],
        "system_seconds": totals["system_seconds"],
        "peak_rss_bytes": totals["maxrss"] * rss_scale,
        "leaked_processes": leaked,
        **({"processes": processes} if processes is not None else {}),
    }


def reply(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    subreaper = become_subreaper()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply(run(json.loads(line), subreaper))
        except Exception as error:  # the harness must get an answer, whatever went wrong
            reply({"event": "error", "error": f"{type(error).__name__}: {error}"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
