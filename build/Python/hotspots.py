"""Compare two cProfile captures: which functions' own time (tottime) grew or shrank most.

Usage: python hotspots.py BASELINE.pstats CURRENT.pstats [GREW] [SHRANK]   (prints JSON)

Functions are matched by file (from the package folder on, so two checkouts in different places
match) and name, not by line: a line number moves with every edit above it.
"""

import json
import pstats
import re
import sys


def key(func):
    filename, _, name = func
    filename = filename.replace("\\", "/")
    match = re.search(r"(?:site-packages|dist-packages|src)/(.*)$", filename)
    return (match.group(1) if match else filename.rsplit("/", 1)[-1], name)


def totals(path):
    stats = pstats.Stats(path)
    result = {}
    for func, (_, calls, tottime, _, _) in stats.stats.items():
        entry = result.setdefault(key(func), [0.0, 0, func[1]])
        entry[0] += tottime
        entry[1] += calls
    return result


def main():
    baseline, current = totals(sys.argv[1]), totals(sys.argv[2])
    grew = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    shrank = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    rows = []
    for name in set(baseline) | set(current):
        before = baseline.get(name, [0.0, 0, 0])
        after = current.get(name, [0.0, 0, 0])
        rows.append({
            "file": name[0],
            "function": name[1],
            "baselineSeconds": before[0],
            "currentSeconds": after[0],
            "deltaSeconds": after[0] - before[0],
            "baselineCalls": before[1],
            "currentCalls": after[1],
        })
    rows.sort(key=lambda r: r["deltaSeconds"])
    print(json.dumps({
        "grew": [r for r in reversed(rows) if r["deltaSeconds"] > 0][:grew],
        "shrank": [r for r in rows if r["deltaSeconds"] < 0][:shrank],
    }))


if __name__ == "__main__":
    main()
