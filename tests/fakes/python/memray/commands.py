"""The fake memray command line: `run`, `flamegraph`, `table`, `stats` and `--version`, with the real
parsers, messages and exit codes. Sources (details and quotes in ../../CONTRACTS.md), all
bloomberg/memray:

- src/memray/commands/__init__.py @ c5e168bc: prog "memray", -v/--verbose, -V/--version (argparse
  `version=__version__`: prints e.g. "1.19.1", exit 0), required subcommand; MemrayCommandError ->
  message on stderr, its exit_code; MemrayError -> exit 1; anything else propagates (traceback, 1).
- src/memray/commands/run.py @ 123b09c2: options; "Writing profile results into X" before the tracker
  is created; the output is opened O_EXCL unless -f/--force (src/memray/_memray/sink.cpp: "Could not
  create output file X: File exists", exit 1, before the program runs); the program runs in-process
  (runpy.run_path / run_module / exec), so its SystemExit code is memray's exit code and an uncaught
  exception gives a traceback and 1; the "[memray] Successfully generated profile results." message is
  printed in a `finally`, even when the program failed.
- src/memray/commands/common.py @ 78558381 (flamegraph/table): -o/--output, -f/--force, --temporal,
  --leaks | --temporary-allocation-threshold N | --temporary-allocations; "No such file: X";
  "File already exists, will not overwrite: X" (exit 1); "Wrote X". flamegraph.py @ 694bf847 adds
  --split-threads, --inverted, --max-memory-records.
- src/memray/commands/stats.py @ d34829f9 and reporters/stats.py @ fe736f1b: -n/--num-largest, --json,
  -o/--output, -f/--force; the JSON layout; aggregated captures make compute_statistics raise
  NotImplementedError, which stats does not catch (traceback, exit 1).
Peak memory: tracemalloc's peak (Python heap; slows allocation-heavy programs several times), or the
process's peak RSS with FAKE_MEMRAY_PEAK=rss (no overhead); allocation and frame counts are proxies
(live tracemalloc blocks and distinct lines at exit, 1 and 0 with rss).
Not established: `flamegraph --no-web` (requested in memray#470, closed; not in the parsers read). The
fake accepts it and then writes HTML with no CDN URL; FAKE_MEMRAY_NO_WEB_UNSUPPORTED=1 makes it reject
it the way argparse would (exit 2). FAKE_MEMRAY_LOG=file appends each call's argv[1:] as a JSON line.
"""
import argparse
import ast
import collections
import contextlib
import dataclasses
import datetime
import html
import json
import os
import pathlib
import resource
import runpy
import sys
import textwrap
import time
import tracemalloc

import memray
from memray import FileFormat, FileReader, MAGIC, compute_statistics


class MemrayError(Exception):
    pass


class MemrayCommandError(MemrayError):
    def __init__(self, *args, exit_code):
        super().__init__(*args)
        self.exit_code = exit_code


def _should_modify_sys_path():
    return not sys.flags.isolated and not getattr(sys.flags, "safe_path", False)


def _allocator_name():
    return {"malloc": "malloc", "pymalloc_debug": "pymalloc debug", "debug": "pymalloc debug"}.get(
        os.environ.get("PYTHONMALLOC", ""), "pymalloc")


def _write_capture(path, header):
    if pathlib.Path(path).exists() and os.path.samefile(path, os.devnull):
        return
    with open(path, "wb") as capture:
        capture.write(MAGIC + json.dumps(header).encode())


def _run_tracker(filename, args, post_run_message):
    command_line = " ".join(sys.argv)
    try:  # the real Tracker opens the sink when it is constructed, before the program runs
        if not os.path.exists(filename) or not os.path.samefile(filename, os.devnull):
            flags = os.O_CREAT | os.O_RDWR | os.O_TRUNC | os.O_CLOEXEC | (0 if args.force else os.O_EXCL)
            os.close(os.open(filename, flags, 0o644))
    except OSError as error:
        raise MemrayCommandError(f"Could not create output file {filename}: {error.strerror}", exit_code=1)
    pid, start = os.getpid(), int(time.time() * 1000)
    use_rss = os.environ.get("FAKE_MEMRAY_PEAK") == "rss"
    if not use_rss:
        tracemalloc.start()
    try:
        if args.run_as_module:
            if _should_modify_sys_path():
                sys.path[0] = os.getcwd()
            sys.argv = ["", *args.script_args]
            runpy.run_module(args.script, run_name="__main__", alter_sys=True)
        elif args.run_as_cmd:
            if _should_modify_sys_path():
                sys.path[0] = ""
            sys.argv = ["-c", *args.script_args]
            exec(args.script, {"__name__": "__main__"})
        else:
            if _should_modify_sys_path():
                sys.path[0] = str(pathlib.Path(args.script).resolve().parent.absolute())
            sys.argv = [args.script, *args.script_args]
            runpy.run_path(args.script, run_name="__main__")
    finally:
        if not args.quiet and pid == os.getpid():
            print(post_run_message)
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if use_rss:
            current = peak = maxrss
            lines, sizes = [], {}
        else:
            current, peak = tracemalloc.get_traced_memory()
            snapshot = tracemalloc.take_snapshot()
            tracemalloc.stop()
            lines = snapshot.statistics("lineno")
            sizes = collections.Counter(trace.size for trace in snapshot.traces)
        if pid == os.getpid() or args.follow_fork:
            _write_capture(filename if pid == os.getpid() else f"{filename}.{os.getpid()}", {
                "start_time": start, "end_time": int(time.time() * 1000),
                "n_allocations": max(1, sum(stat.count for stat in lines)), "n_frames": len(lines),
                "peak_memory": peak, "total_bytes": max(peak, current), "count_by_size": sizes or {0: 1},
                "top_locations": [["<module>", s.traceback[0].filename, s.traceback[0].lineno, s.size, s.count]
                                  for s in lines[:10]],
                "maxrss": maxrss,
                "command_line": command_line, "pid": os.getpid(), "main_tid": 1,
                "python_allocator": _allocator_name(), "native_traces": args.native,
                "trace_python_allocators": args.trace_python_allocators,
                "file_format": int(FileFormat.AGGREGATED_ALLOCATIONS if args.aggregate else FileFormat.ALL_ALLOCATIONS)})


class RunCommand:
    """Run the specified application and track memory usage"""

    def prepare_parser(self, parser):
        parser.usage = "%(prog)s [-m module | -c cmd | file] [args]"
        output_group = parser.add_mutually_exclusive_group()
        output_group.add_argument("-o", "--output", help="Output file name (default: <process_name>.<pid>.bin)")
        output_group.add_argument("--live", action="store_true", dest="live_mode", default=False,
                                  help="Start a live tracking session and immediately connect a live server")
        output_group.add_argument("--live-remote", action="store_true", dest="live_remote_mode", default=False,
                                  help="Start a live tracking session and wait until a client connects")
        parser.add_argument("--live-port", "-p", default=None, type=int,
                            help="Port to use when starting live tracking (default: random free port)")
        parser.add_argument("--aggregate", action="store_true", default=False,
                            help="Write aggregated stats to the output file instead of all allocations")
        parser.add_argument("--native", action="store_true", dest="native", default=False,
                            help="Track native (C/C++) stack frames as well")
        parser.add_argument("--follow-fork", action="store_true", default=False,
                            help="Record allocations in child processes forked from the tracked script")
        parser.add_argument("--trace-python-allocators", action="store_true", default=False,
                            help="Record allocations made by the pymalloc allocator")
        parser.add_argument("-q", "--quiet", action="store_true",
                            help="Don't show any tracking-specific output while running")
        parser.add_argument("-f", "--force", action="store_true", default=False,
                            help="If the output file already exists, overwrite it")
        compression = parser.add_mutually_exclusive_group()
        compression.add_argument("--compress-on-exit", default=True, action="store_true",
                                 help="Compress the resulting file using lz4 after tracking completes")
        compression.add_argument("--no-compress", default=False, action="store_true",
                                 help="Do not compress the resulting file using lz4")
        parser.add_argument("-c", action="store_true", dest="run_as_cmd", default=False,
                            help="Program passed in as string")
        parser.add_argument("-m", action="store_true", dest="run_as_module",
                            help="Run library module as a script (terminates option list)")
        parser.add_argument("script", help=argparse.SUPPRESS, metavar="file")
        parser.add_argument("script_args", help=argparse.SUPPRESS, nargs=argparse.REMAINDER, metavar="module")

    def run(self, args, parser):
        if args.live_port is not None and not args.live_remote_mode:
            parser.error("The --live-port argument requires --live-remote")
        if args.follow_fork is True and (args.live_mode or args.live_remote_mode):
            parser.error("--follow-fork cannot be used with the live TUI")
        if args.aggregate and (args.live_mode or args.live_remote_mode):
            parser.error("--aggregate cannot be used with the live TUI")
        with contextlib.suppress(OSError):
            if args.run_as_cmd and pathlib.Path(args.script).exists():
                parser.error("remove the option -c to run a file")
        if not args.run_as_module:  # validate_target_file; a missing file raises FileNotFoundError (traceback, 1)
            try:
                ast.parse(bytes(args.script, "UTF-8") if args.run_as_cmd else pathlib.Path(args.script).read_bytes())
            except (SyntaxError, ValueError):
                raise MemrayCommandError("Only valid Python files or commands can be executed under memray", exit_code=1)
        if args.live_mode or args.live_remote_mode:
            raise MemrayCommandError("fake memray: --live/--live-remote are not emulated", exit_code=2)
        if args.output is None:
            script_name = "string" if args.run_as_cmd else args.script
            filename = os.path.join(os.path.dirname(script_name), f"memray-{os.path.basename(script_name)}.{os.getpid()}.bin")
        else:
            filename = args.output
        if not args.quiet:
            print(f"Writing profile results into {filename}")
        message = textwrap.dedent(f"""
            [memray] Successfully generated profile results.

            You can now generate reports from the stored allocation records.
            Some example commands to generate reports:

            {sys.executable} -m memray flamegraph {filename}
            """).strip()
        _run_tracker(filename, args, message)


class HighWatermarkCommand:
    def __init__(self, reporter_name, temporal):
        self.reporter_name = reporter_name
        self.temporal = temporal

    def prepare_parser(self, parser):
        parser.add_argument("-o", "--output", help="Output file name", default=None)
        parser.add_argument("-f", "--force", action="store_true", default=False,
                            help="If the output file already exists, overwrite it")
        if self.temporal:
            parser.add_argument("--temporal", action="store_true", default=False,
                                help="Generate a dynamic flame graph that can analyze allocations in a user-selected time range.")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--leaks", action="store_true", dest="show_memory_leaks", default=False,
                           help="Show memory leaks, instead of peak memory usage")
        group.add_argument("--temporary-allocation-threshold", metavar="N", dest="temporary_allocation_threshold",
                           type=int, default=-1, help="Report temporary allocations (threshold N)")
        group.add_argument("--temporary-allocations", action="store_const", dest="temporary_allocation_threshold",
                           const=1, help="Equivalent to --temporary-allocation-threshold=1")
        parser.add_argument("results", help="Results of the tracker run")

    def run(self, args, parser):
        temporal = getattr(args, "temporal", False)
        if temporal and args.temporary_allocation_threshold >= 0:
            parser.error("Can't create a temporal flame graph of temporary allocations")
        result_path = pathlib.Path(args.results)
        if not result_path.exists() or not result_path.is_file():
            raise MemrayCommandError(f"No such file: {args.results}", exit_code=1)
        if args.output is not None:
            output_file = pathlib.Path(args.output)
        else:
            name = result_path.with_suffix(".html").name
            output_file = result_path.parent / f"memray-{self.reporter_name}-{name.removeprefix('memray-')}"
        if not args.force and output_file.exists():
            raise MemrayCommandError(f"File already exists, will not overwrite: {output_file}", exit_code=1)
        try:
            reader = FileReader(os.fspath(result_path), report_progress=True)
        except OSError as e:
            raise MemrayCommandError(f"Failed to parse allocation records in {result_path}\nReason: {e}", exit_code=1)
        if temporal:
            list(reader.get_temporal_allocation_records())  # NotImplementedError for aggregated captures
        elif args.temporary_allocation_threshold >= 0:
            list(reader.get_temporary_allocation_records())
        meta = reader.metadata
        kind = ("temporal " if temporal else "") + self.reporter_name
        title = " ".join(filter(None, ["inverted" if getattr(args, "inverted", False) else "", kind, "report",
                                       "(memory leaks)" if args.show_memory_leaks else ""]))
        with open(os.fspath(output_file.expanduser()), "w") as f:
            f.write(_render_html(title, meta, no_web=getattr(args, "no_web", False)))
        print(f"Wrote {output_file}")


CDN = """  <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@4.6.0/dist/css/bootstrap.min.css">
  <script src="https://cdn.jsdelivr.net/npm/jquery@3.6.0/dist/jquery.min.js"></script>
  <script src="https://cdn.jsdelivr.net/npm/plotly.js@2.11.1/dist/plotly.min.js"></script>
"""


def _render_html(title, meta, no_web):
    escape = lambda value: html.escape(str(value))  # noqa: E731
    assets = "  <style>body{font-family:sans-serif}</style>\n" if no_web else CDN
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\" />\n"
            f"  <title>memray - {escape(title)}</title>\n{assets}</head>\n<body>\n"
            f"  <nav><span>memray</span> {escape(title)}</nav>\n"
            f"  <main id=\"fake-memray-report\">\n"
            f"    Command line: <code>{escape(meta.command_line)}</code><br>\n"
            f"    Start time: {escape(meta.start_time)}<br>\n    End time: {escape(meta.end_time)}<br>\n"
            f"    Total number of allocations: {meta.total_allocations}<br>\n"
            f"    Total number of frames seen: {meta.total_frames}<br>\n"
            f"    Peak memory usage: {meta.peak_memory} bytes<br>\n"
            f"    Python allocator: {escape(meta.python_allocator)}<br>\n  </main>\n</body>\n</html>\n")


class FlamegraphCommand(HighWatermarkCommand):
    """Generate an HTML flame graph for peak memory usage"""

    def __init__(self):
        super().__init__("flamegraph", temporal=True)

    def prepare_parser(self, parser):
        super().prepare_parser(parser)
        parser.add_argument("--split-threads", action="store_true", default=False,
                            help="Do not merge allocations across threads")
        parser.add_argument("--inverted", action="store_true", default=False, help="Invert flame graph")
        parser.add_argument("--max-memory-records", type=int, default=None,
                            help="Maximum number of memory records to display")
        if not os.environ.get("FAKE_MEMRAY_NO_WEB_UNSUPPORTED"):
            parser.add_argument("--no-web", action="store_true", default=False,
                                help="(fake, unverified) do not load assets from the web")


class TableCommand(HighWatermarkCommand):
    """Generate an HTML table with all records in the peak memory usage"""

    def __init__(self):
        super().__init__("table", temporal=False)


def _size_fmt(num, suffix="B"):
    for unit in ["", "K", "M", "G", "T", "P", "E", "Z"]:
        if abs(num) < 1024.0:
            return f"{num:5.3f}{unit}{suffix}"
        num /= 1024.0
    return f"{num:.1f}Y{suffix}"


def _histogram(data, bins=10):
    import math
    nonzero = [size for size in data if size] or [1]
    low, high = math.log(min(nonzero)), math.log(max(nonzero))
    if low == high:
        low = low / 2
    step = (high - low) / bins or 1
    steps = [int(math.exp(low + step * (i + 1))) for i in range(bins)]
    dist = collections.Counter()
    for size, count in data.items():
        dist[min(int((math.log(size) - low) // step), bins - 1) if size else 0] += count
    ret, start = [], 0
    for i, end in enumerate(steps):
        ret.append({"min_bytes": start, "max_bytes": end - (1 if i != bins - 1 else 0), "count": dist[i]})
        start = end
    return ret


class StatsCommand:
    """Generate high level stats of the memory usage in the terminal"""

    def prepare_parser(self, parser):
        parser.add_argument("results", help="Results of the tracker run")

        def valid_positive_int(value):
            try:
                ivalue = int(value)
                if ivalue <= 0:
                    raise ValueError
            except ValueError:
                raise argparse.ArgumentTypeError(f"{value} is an invalid positive int value")
            return ivalue

        parser.add_argument("-n", "--num-largest", type=valid_positive_int, default=5,
                            help="Displays the top 'n' largest allocating functions. Default is 5")
        parser.add_argument("--json", action="store_true", default=False, help="Exports stats to a JSON file")
        parser.add_argument("-o", "--output", default=None, help="Output file name for JSON output")
        parser.add_argument("-f", "--force", action="store_true", default=False,
                            help="If the JSON output file already exists, overwrite it")

    def run(self, args, parser):
        result_path = pathlib.Path(args.results)
        if not result_path.exists() or not result_path.is_file():
            raise MemrayCommandError(f"No such file: {args.results}", exit_code=1)
        try:
            stats = compute_statistics(os.fspath(args.results), report_progress=True, num_largest=args.num_largest)
        except OSError as e:
            raise MemrayCommandError(f"Failed to compute statistics for {result_path}\nReason: {e}", exit_code=1)
        json_output_file = None
        if args.json:
            if args.output:
                json_output_file = pathlib.Path(args.output)
            else:
                filename = str(result_path.name) + ".json"
                json_output_file = result_path.with_name("memray-stats-" + filename.removeprefix("memray-"))
            if not args.force and json_output_file.exists():
                raise MemrayCommandError(f"File already exists, will not overwrite: {json_output_file}", exit_code=1)
        fmt = lambda loc: "<stack trace unavailable>" if loc[0] == "<unknown>" else f"{loc[0]}:{loc[1]}:{loc[2]}"  # noqa: E731
        if json_output_file is None:
            print("📏 Total allocations:")
            print(f"\t{stats.total_num_allocations}\n")
            print("📦 Total memory allocated:")
            print(f"\t{_size_fmt(stats.total_memory_allocated)}\n")
            print("📈 Peak memory usage:")
            print(f"\t{_size_fmt(stats.peak_memory_allocated)}\n")
            print("📂 Allocator type distribution:")
            for name, count in stats.allocation_count_by_allocator.items():
                print(f"\t {name}: {count}")
            print(f"\n🥇 Top {args.num_largest} largest allocating locations (by size):")
            for location, size in stats.top_locations_by_size:
                print(f"\t- {fmt(location)} -> {_size_fmt(size)}")
            return
        metadata = dataclasses.asdict(stats.metadata)
        for name, val in metadata.items():
            if isinstance(val, datetime.datetime):
                metadata[name] = str(val)
        data = {
            "total_num_allocations": stats.total_num_allocations,
            "total_bytes_allocated": stats.total_memory_allocated,
            "allocation_size_histogram": _histogram(stats.allocation_count_by_size),
            "allocator_type_distribution": dict(sorted(stats.allocation_count_by_allocator.items(),
                                                       key=lambda item: item[1], reverse=True)),
            "top_allocations_by_size": [{"location": fmt(loc), "size": size} for loc, size in stats.top_locations_by_size],
            "top_allocations_by_count": [{"location": fmt(loc), "count": count} for loc, count in stats.top_locations_by_count],
            "metadata": metadata,
        }
        with open(json_output_file, "w") as f:
            json.dump(data, f, indent=2)
        print(f"Wrote {json_output_file}")


class NotEmulated:
    def __init__(self, name, doc):
        self.name, self.__doc__ = name, doc

    def prepare_parser(self, parser):
        parser.add_argument("rest", nargs=argparse.REMAINDER)

    def run(self, args, parser):
        raise MemrayCommandError(f"fake memray: '{self.name}' is not emulated", exit_code=2)


_COMMANDS = [("run", RunCommand()), ("flamegraph", FlamegraphCommand()), ("table", TableCommand()),
             ("live", NotEmulated("live", "Remotely monitor allocations in a text-based interface")),
             ("tree", NotEmulated("tree", "Generate a tree view in the terminal for peak memory usage")),
             ("parse", NotEmulated("parse", "Debug a results file by parsing and printing each record in it")),
             ("summary", NotEmulated("summary", "Generate a terminal-based summary report of the functions that allocate most memory")),
             ("stats", StatsCommand()),
             ("transform", NotEmulated("transform", "Generate reports files in different formats")),
             ("attach", NotEmulated("attach", "Begin tracking allocations in an already-started process")),
             ("detach", NotEmulated("detach", "End the tracking started by a previous ``memray attach`` call"))]


def get_argument_parser():
    parser = argparse.ArgumentParser(description="Memory profiler for Python applications (fake)", prog="memray",
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="Increase verbosity. Option is additive and can be specified up to 3 times")
    parser.add_argument("-V", "--version", action="version", version=memray.__version__,
                        help="Displays the current version of Memray")
    subparsers = parser.add_subparsers(help="Mode of operation", dest="command", required=True)
    for name, command in _COMMANDS:
        command_parser = subparsers.add_parser(name, help=command.__doc__)
        command_parser.set_defaults(entrypoint=command.run)
        command.prepare_parser(command_parser)
    return parser


def main(args=None):
    if args is None:
        args = sys.argv[1:]
    if os.environ.get("FAKE_MEMRAY_LOG"):
        with open(os.environ["FAKE_MEMRAY_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps(args) + "\n")
    parser = get_argument_parser()
    arg_values = parser.parse_args(args=args)
    try:
        arg_values.entrypoint(arg_values, parser)
    except MemrayCommandError as e:
        print(e, file=sys.stderr)
        return e.exit_code
    except MemrayError as e:
        print(e, file=sys.stderr)
        return 1
    else:
        return 0
