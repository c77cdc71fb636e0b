"""Run commands one at a time and report what each cost over its whole process tree.

Usage: python -I -S perf_runner.py
Reads one JSON request per line on stdin:
    {"argv": [...], "cwd": "...", "env": {...}, "stdout": "file", "stderr": "file"}
and answers on stdout with one JSON line when the command has started,
    {"event": "started", "pid": N}
and one when it has ended (or could not start):
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
        _, status, usage = os.wait4(pid, 0)
        wall_ns = time.perf_counter_ns() - start
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
