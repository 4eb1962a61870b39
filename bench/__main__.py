"""`python -m bench [reply|e2e|throughput|wave|summary|start …]`: run every benchmark, or the ones named, then
print issue 16's goal table (every row met, NOT met or not run); `python -m bench profile` (not part of the
default run) samples where the time goes; `python -m bench parsing` (not part of it either) times the parsers and
the engine on hostile input (issue 19)."""

from __future__ import annotations

import importlib
import sys
import time

from bench import goals
from bench.common import load, machine, note

ALL = ["reply", "e2e", "throughput", "wave", "summary", "start", "web_overview"]
EXTRA = ["profile", "parsing"]


def main(argv: list[str]) -> int:
    names = argv or ALL
    unknown = [n for n in names if n not in ALL + EXTRA]
    if unknown:
        print(f"error: unknown benchmark {', '.join(unknown)}; choose among {', '.join(ALL + EXTRA)}", file=sys.stderr)
        return 2
    note(machine())
    note(f"load before: {load()}")
    started = time.perf_counter()
    for name in names:
        note(f"== {name} ==")
        t0 = time.perf_counter()
        importlib.import_module(f"bench.{name}").main()
        note(f"{name} took {time.perf_counter() - t0:.0f} s; load now: {load()}")
    note(f"all benchmarks took {time.perf_counter() - started:.0f} s")
    note(f"load after: {load()}")
    if any(n in ALL for n in names):  # issue 16's table only after its own benchmarks
        note("== goals of issue 16 ==")
        for row in goals.table():
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
