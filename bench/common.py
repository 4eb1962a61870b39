"""Shared helpers: medians, percentiles and the `name: value unit (goal …)` lines."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from collections.abc import Sequence

from bench import goals

os.environ.setdefault("PTB_TIMEDELTA", "1")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def median(values: Sequence[float]) -> float:
    """The median (NaN when empty)."""
    return statistics.median(values) if values else float("nan")


def line(name: str, value: float | int | str, unit: str = "", goal: str | None = None, ok: bool | None = None) -> None:
    """Print one figure: `name: value unit (goal …)`, flushed at once; a figure of issue 16's goal table
    (`bench.goals`) gets its goal and verdict from there, and every number is kept for the closing table."""
    if not isinstance(value, str):
        goals.record(name, float(value))
        if goal is None and name in goals.BY_FIGURE:
            row = goals.BY_FIGURE[name]
            goal, ok = row.text, row.ok(float(value))
    if isinstance(value, float):
        text = f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    tail = ""
    if goal:
        mark = "" if ok is None else (", met" if ok else ", NOT met")
        tail = f" (goal {goal}{mark})"
    print(f"{name}: {text}{(' ' + unit) if unit else ''}{tail}", flush=True)


def note(text: str) -> None:
    """A comment line (starts with #)."""
    print(f"# {text}", flush=True)


def machine() -> str:
    """A one-line description of the machine."""
    return (f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
            f"{os.cpu_count()} cores, {platform.system()} {platform.release()}; "
            f"SQLite {__import__('sqlite3').sqlite_version}")


def load() -> str:
    """The machine's load: averages over 1, 5, 15 min and running/total tasks, and the CPU pressure."""
    try:
        with open("/proc/loadavg") as f:
            text = "loadavg " + " ".join(f.read().split()[:4])
    except OSError:
        return "unknown"
    try:  # the share of time some runnable task waited for a CPU (Linux PSI)
        with open("/proc/pressure/cpu") as f:
            some = f.readline().split()
        text += f"; cpu pressure {some[1]} {some[2]}"
    except (OSError, IndexError):
        pass
    return text


def pg_url(*figures: str) -> str | None:
    """The PostgreSQL server for the PostgreSQL runs (TEST_DATABASE_URL), None when unreachable (then the
    goal rows of `figures`, name prefixes, say so)."""
    from tests.helpers.databases import pg_admin_url, pg_reachable

    reason = pg_reachable()
    if reason:
        print(f"# {reason}: PostgreSQL runs skipped", file=sys.stderr)
        for prefix in figures:
            goals.skip(prefix, "PostgreSQL not reachable")
        return None
    return pg_admin_url()
