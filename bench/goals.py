"""The goal table of issue 16: which printed figure answers each row, its goal, and the closing table.

`bench.common.line` looks a figure up here to print `(goal …, met|NOT met)` beside it and records its value;
`python -m bench` ends with `table()`: every row with its figure, `met`, `NOT met` or `not run (why)`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    """One row of the issue's goal table, answered by one printed figure."""

    row: str  # the row as the issue words it
    figure: str  # the name `make bench` prints it under
    text: str  # the goal, e.g. "≤ 3 ms"
    ok: Callable[[float], bool]
    unit: str = ""


def at_most(limit: float) -> Callable[[float], bool]:
    """A check: the value is a number no larger than `limit`."""
    return lambda value: not math.isnan(value) and value <= limit


def at_least(limit: float) -> Callable[[float], bool]:
    """A check: the value is a number no smaller than `limit`."""
    return lambda value: not math.isnan(value) and value >= limit


def printed(value: float) -> bool:
    """A check for figures the issue only asks to see: met once printed as a number."""
    return not math.isnan(value)


def _wave(tag: str, what: str) -> list[Goal]:
    return [Goal(f"reminder wave{what}, 5,000 nudges at 30/s: share of the ceiling", f"{tag}.share_of_ceiling",
                 "≥ 97%", at_least(97.0), "%"),
            Goal(f"reminder wave{what}: duplicates", f"{tag}.duplicates", "0", at_most(0)),
            Goal(f"reminder wave{what}: missed", f"{tag}.missed", "0", at_most(0))]


GOALS: list[Goal] = [
    Goal("reply, SQLite, 200 persons, p50", "reply.sqlite.200.seq.p50", "≤ 3 ms", at_most(3.0), "ms"),
    Goal("reply, SQLite, 200 persons, p99", "reply.sqlite.200.seq.p99", "≤ 15 ms", at_most(15.0), "ms"),
    Goal("reply, PostgreSQL, 200 persons, p50", "reply.postgresql.200.seq.p50", "≤ 8 ms", at_most(8.0), "ms"),
    Goal("reply, PostgreSQL, 200 persons, p99", "reply.postgresql.200.seq.p99", "≤ 30 ms", at_most(30.0), "ms"),
    Goal("durable answers per second, one process, SQLite WAL", "throughput.sqlite.threads1", "≥ 3,000/s",
         at_least(3000.0), "messages/s"),
    Goal("… with the ratio to raw insert+commit printed", "throughput.sqlite.ratio_to_raw_sqlite", "printed",
         printed, "x"),
    Goal("durable answers per second, PostgreSQL", "throughput.postgresql.threads1", "≥ 1,000/s",
         at_least(1000.0), "messages/s"),
    Goal("ratio to a durable PTB peer, p50, in process (SQLite, 200 persons)", "reply.sqlite.200.ratio_to_ptb_durable",
         "≤ 1.0", at_most(1.0), "x"),
    Goal("ratio to a durable PTB peer, p50, end to end over HTTP", "e2e.ratio_to_ptb_durable.p50", "≤ 1.0",
         at_most(1.0), "x"),
    Goal("/tonghop text at 10,000 units × 50 indicators × 8 periods", "summary.10k.text", "≤ 0.3 s",
         at_most(0.3), "s"),
    Goal("/tonghop text at 50,000 units × 50 indicators × 8 periods", "summary.50k.text", "≤ 1.5 s",
         at_most(1.5), "s"),
    Goal("/tonghop text growth 10,000 → 50,000 units", "summary.growth_10k_to_50k.text", "≤ 5.0 x (linear)",
         at_most(5.0), "x"),
    Goal("workbook at 10,000 units: time", "summary.10k.workbook", "≤ 3 s", at_most(3.0), "s"),
    Goal("workbook at 10,000 units: peak memory", "summary.10k.peak_memory", "≤ 300 MB", at_most(300.0), "MB"),
    *_wave("wave.sqlite", ""),
    *_wave("wave.sqlite.killed", " killed half-way"),
]
BY_FIGURE = {goal.figure: goal for goal in GOALS}

figures: dict[str, float] = {}  # every number printed by `line` in this process, by name
skipped: dict[str, str] = {}  # figure name prefix -> why it was not measured


def record(name: str, value: float) -> None:
    """Remember a printed figure for the closing table."""
    figures[name] = value


def skip(prefix: str, reason: str) -> None:
    """Say that the figures whose names start with `prefix` were not measured, and why."""
    skipped[prefix] = reason


def verdict(goal: Goal) -> tuple[str, str]:
    """(value as printed, `met` / `NOT met` / `not run (why)`) of one row."""
    if goal.figure in figures:
        value = figures[goal.figure]
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}", "met" if goal.ok(value) else "NOT met"
    reason = next((why for prefix, why in skipped.items() if goal.figure.startswith(prefix)), "its benchmark was not selected")
    return "—", f"not run ({reason})"


def table() -> list[str]:
    """The closing table: one line per goal row."""
    rows = []
    for goal in GOALS:
        value, mark = verdict(goal)
        unit = f" {goal.unit}" if goal.unit and value != "—" else ""
        rows.append(f"goal: {goal.row} | {goal.figure} = {value}{unit} | goal {goal.text} | {mark}")
    met = sum(1 for goal in GOALS if verdict(goal)[1] == "met")
    rows.append(f"goals met: {met} of {len(GOALS)}")
    return rows
