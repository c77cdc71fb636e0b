"""Run a Python program in this process, keep its real exit status, optionally under cProfile.

Usage: python run_program.py --status FILE [--pstats F --text F --json F --sort KEY --top N]
                             -- (-m MODULE | SCRIPT) [ARGS...]
       python run_program.py @SPEC.json
SPEC.json holds the same options as keys ("status", "pstats", ..., "target": [...]). Scalene 1.x
reorders a program's --options around its own (parse_known_args), so under Scalene the program's
command line travels in a file instead.

Why: profilers that wrap a program report their own exit status, not the program's:
`python -m cProfile` turns SystemExit into 0, and py-spy exits 0 whatever its child did. Running
the program here, in-process (so a sampling profiler still sees its frames directly), lets the
harness read the program's own exit code from --status and judge the run itself.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import runpy
import sys
import traceback


def exit_code_of(value):
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    # sys.exit("message") prints the message and exits 1, as the interpreter does.
    print(value, file=sys.stderr)
    return 1


def top_rows(stats, count):
    rows = []
    for func in stats.fcn_list[:count]:
        primitive, total, tottime, cumtime, _ = stats.stats[func]
        filename, line, name = func
        rows.append({
            "function": name,
            "file": filename,
            "line": line,
            "calls": total,
            "primitiveCalls": primitive,
            "totalSeconds": tottime,
            "cumulativeSeconds": cumtime,
        })
    return rows


def write_profile(profiler, options, code):
    profiler.dump_stats(options.pstats)
    text = io.StringIO()
    stats = pstats.Stats(options.pstats, stream=text)
    stats.sort_stats(options.sort).print_stats(options.top)
    with open(options.text, "w", encoding="utf-8") as handle:
        handle.write(text.getvalue())
    with open(options.json, "w", encoding="utf-8") as handle:
        json.dump({
            "totalCalls": stats.total_calls,
            "primitiveCalls": stats.prim_calls,
            "totalSeconds": stats.total_tt,
            "exitCode": code,
            "top": top_rows(stats, options.top),
        }, handle)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--status", required=True)
    parser.add_argument("--pstats")
    parser.add_argument("--text")
    parser.add_argument("--json")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("target", nargs=argparse.REMAINDER)
    if len(sys.argv) == 2 and sys.argv[1].startswith("@"):
        with open(sys.argv[1][1:], encoding="utf-8") as handle:
            spec = json.load(handle)
        options = parser.parse_args(["--status", spec["status"]])
        for key in ("pstats", "text", "json", "sort", "top"):
            if key in spec:
                setattr(options, key, spec[key])
        options.target = spec["target"]
    else:
        options = parser.parse_args()
    target = options.target[1:] if options.target[:1] == ["--"] else options.target
    if not target:
        parser.error("missing program")

    if target[0] == "-m":
        module, args = target[1], target[2:]
        sys.argv = [module] + args
        # As `python -m` does: the working directory first on the path, not this helper's folder.
        sys.path[0] = os.getcwd()
        run = lambda: runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        script, args = target[0], target[1:]
        sys.argv = [script] + args
        sys.path[0] = os.path.dirname(os.path.abspath(script))
        run = lambda: runpy.run_path(script, run_name="__main__")

    profiler = cProfile.Profile() if options.pstats else None
    code = 0
    if profiler:
        profiler.enable()
    try:
        run()
    except SystemExit as stop:
        code = exit_code_of(stop.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        if profiler:
            profiler.disable()

    if profiler:
        write_profile(profiler, options, code)
    with open(options.status, "w", encoding="utf-8") as handle:
        handle.write(f"{code}\n")
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


if __name__ == "__main__":
    main()
