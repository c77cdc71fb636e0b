"""Run one command and report what it cost over its whole process tree.

Usage: python -I -S perf_exec.py RESULT.json STDOUT STDERR -- COMMAND [ARGS...]

Why a wrapper: .NET reaps its own children and cannot hand back their rusage, while the
kernel keeps exact CPU times and the peak RSS of the largest process for every descendant
that is waited for (getrusage(RUSAGE_CHILDREN)), which is what GNU time and hyperfine read.
The wrapper becomes a child subreaper so that grandchildren orphaned by their parents are
still waited for here, and counted; it leads a new session so the harness can find and kill
the whole tree on a timeout. Its own interpreter is not measured: only waited-for children are.
"""

import ctypes
import os
import resource
import signal
import sys
import time

# Imports are kept to what is needed (no subprocess, no json): the wrapper starts once per run,
# and on a slow machine those two alone cost 30 ms of start-up.

PR_SET_CHILD_SUBREAPER = 36
SCHEMA_VERSION = 1


def become_subreaper():
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def children_of(parent):
    """Direct children of `parent`, read from /proc (Linux only)."""
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


def stop_orphans(deadline_seconds=5.0):
    """Kill and reap what the command left running; return how many there were."""
    leaked = set()
    deadline = time.monotonic() + deadline_seconds
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return len(leaked)
        if pid != 0:
            continue
        if time.monotonic() > deadline:
            return len(leaked)
        for child in children_of(os.getpid()):
            leaked.add(child)
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.005)


def to_json(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).encode("ascii", "backslashreplace").decode("ascii")
    escaped = "".join(c if c >= " " and c not in "\\\"" else f"\\u{ord(c):04x}" for c in text)
    return f'"{escaped}"'


def write_result(path, report):
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write("{" + ", ".join(f'"{key}": {to_json(value)}' for key, value in report.items()) + "}")
    os.replace(temporary, path)


def main(argv):
    if len(argv) < 6 or argv[4] != "--":
        sys.stderr.write(__doc__)
        return 64
    result_path, stdout_path, stderr_path = argv[1:4]
    command = argv[5:]
    try:
        os.setsid()
    except OSError:
        pass
    report = {"version": SCHEMA_VERSION, "subreaper": become_subreaper()}
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
        ]
        start = time.perf_counter_ns()
        try:
            pid = os.posix_spawnp(command[0], command, os.environ, file_actions=actions)
        except OSError as error:
            report.update(error=f"cannot start {command[0]}: {error.strerror or error}", exit_code=127)
            write_result(result_path, report)
            return 127
        _, status, _ = os.wait4(pid, 0)
        wall_ns = time.perf_counter_ns() - start
    returncode = os.waitstatus_to_exitcode(status)
    report["leaked_processes"] = stop_orphans() if report["subreaper"] else 0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    rss_scale = 1 if sys.platform == "darwin" else 1024
    report.update(
        exit_code=returncode if returncode >= 0 else None,
        signal=-returncode if returncode < 0 else None,
        wall_ns=wall_ns,
        user_seconds=usage.ru_utime,
        system_seconds=usage.ru_stime,
        peak_rss_bytes=usage.ru_maxrss * rss_scale,
    )
    write_result(result_path, report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
