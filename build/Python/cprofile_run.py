"""Run a Python program under cProfile and keep its real exit status.

Usage: python cprofile_run.py --pstats OUT --text OUT --json OUT --sort KEY --top N -- (-m MODULE | SCRIPT) [ARGS...]

`python -m cProfile` turns a program's SystemExit into exit status 0, so a failing run looks
successful; this runner catches SystemExit itself, still writes the profile, and exits with the
program's own code.
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


def top_rows(stats, sort_key, count):
    stats.sort_stats(sort_key)
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pstats", required=True)
    parser.add_argument("--text", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("target", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    target = options.target[1:] if options.target[:1] == ["--"] else options.target
    if not target:
        parser.error("missing program")

    if target[0] == "-m":
        module, args = target[1], target[2:]
        sys.argv = [module] + args
        run = lambda: runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        script, args = target[0], target[1:]
        sys.argv = [script] + args
        sys.path[0] = os.path.dirname(os.path.abspath(script))
        run = lambda: runpy.run_path(script, run_name="__main__")

    profiler = cProfile.Profile()
    code = 0
    profiler.enable()
    try:
        run()
    except SystemExit as stop:
        code = exit_code_of(stop.code)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        profiler.disable()

    profiler.dump_stats(options.pstats)
    stats = pstats.Stats(options.pstats, stream=io.StringIO())
    text = io.StringIO()
    pstats.Stats(options.pstats, stream=text).sort_stats(options.sort).print_stats(options.top)
    with open(options.text, "w", encoding="utf-8") as handle:
        handle.write(text.getvalue())
    summary = {
        "totalCalls": stats.total_calls,
        "primitiveCalls": stats.prim_calls,
        "totalSeconds": stats.total_tt,
        "exitCode": code,
        "top": top_rows(stats, options.sort, options.top),
    }
    with open(options.json, "w", encoding="utf-8") as handle:
        json.dump(summary, handle)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)


if __name__ == "__main__":
    main()
