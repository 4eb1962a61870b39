"""`python -m bench [reply|throughput|wave|summary|start …]`: run every benchmark, or the ones named."""

from __future__ import annotations

import importlib
import sys
import time

from bench.common import machine, note

ALL = ["reply", "throughput", "wave", "summary", "start", "web_overview"]


def main(argv: list[str]) -> int:
    names = argv or ALL
    unknown = [n for n in names if n not in ALL]
    if unknown:
        print(f"error: unknown benchmark {', '.join(unknown)}; choose among {', '.join(ALL)}", file=sys.stderr)
        return 2
    note(machine())
    started = time.perf_counter()
    for name in names:
        note(f"== {name} ==")
        t0 = time.perf_counter()
        importlib.import_module(f"bench.{name}").main()
        note(f"{name} took {time.perf_counter() - t0:.0f} s")
    note(f"all benchmarks took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
