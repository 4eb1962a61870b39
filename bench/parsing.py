"""Hostile input (issue 19): the parsers stay linear, and the engine refuses a message over 4,096 characters
before parsing it. `python -m bench parsing` (not part of the default run).

The parsers are timed on their own at 4,096 characters (the most a message may hold) and at 200,000 (far past
it: only a linear parser keeps the cost per character flat), on inputs built to make a regex backtrack: runs
of raw whitespace and of provisional markers. Before issue 19, `split_provisional("~" * 200_000)` took 3.5 s
and `c` + 16,000 tabs + `(` took 9 s in the multi-answer splitter. Then one focal person at question 1 of
Form 1 sends a 200,000-character message and a 4,096-character hostile one through the dialogue service on
SQLite: the time from the event to its committed reply, which is how long the write lock is held.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.common import line, median, note
from conversations.parsing import AnswerSpec, parse_answer, split_provisional
from conversations.parsing.multi import Ref, split_answers
from storage.values import Shape

SIZES = (4_096, 200_000)
REFS = [Ref(key=f"ct{i}", number=str(i), names=(f"Chỉ tiêu {i}",)) for i in range(1, 10)]
CASES: dict[str, tuple[Callable[[str], object], Callable[[int], str]]] = {
    "provisional_markers": (split_provisional, lambda n: "~" * n),
    "provisional_between": (split_provisional, lambda n: "x" + "~" * (n - 2) + "y"),
    "provisional_separators": (split_provisional, lambda n: "12 ~" + ",;" * ((n - 5) // 2) + "x"),
    "multi_tabs_after_word": (lambda s: split_answers(s, REFS), lambda n: "c" + "\t" * (n - 2) + "("),
    "multi_spaced_lines": (lambda s: split_answers(s, REFS), lambda n: "c\n" + "1 \t" * ((n - 2) // 3)),
    "date_spaces": (lambda s: parse_answer(s, AnswerSpec(Shape.DATE)), lambda n: "1 tháng 1" + " " * (n - 10) + "x"),
    "count_share_spaces": (lambda s: parse_answer(s, AnswerSpec(Shape.COUNT_SHARE)),
                           lambda n: "c" + " " * (n // 2) + "(" + " " * (n - n // 2 - 2)),
    "ratio_spaces": (lambda s: parse_answer(s, AnswerSpec(Shape.RATIO)), lambda n: "12" + " " * (n - 3) + "x"),
}


def timed(work: Callable[[], object], runs: int = 3) -> float:
    """The median wall time of `work`, in ms."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return median(times)


def parsers() -> None:
    """Each hostile case at both sizes, and its cost per 1,000 characters (flat when linear)."""
    for name, (parse, build) in CASES.items():
        small, large = (timed(lambda p=parse, t=text: p(t)) for text in map(build, SIZES))
        line(f"parse_{name}_4096", small, "ms")
        line(f"parse_{name}_200k", large, "ms")
        per_small, per_large = small / SIZES[0] * 1000, large / SIZES[1] * 1000
        line(f"parse_{name}_growth", per_large / per_small if per_small else float("nan"),
             "x cost per character, 200k vs 4,096", goal="< 3 (linear)", ok=per_large < 3 * per_small)


def engine() -> None:
    """A 200,000-character message and a 4,096-character hostile one through the dialogue service on SQLite."""
    from bench.world import database, focal_persons, make
    from conversations.messages import Inbound, Sender, TextIn

    with database("sqlite") as url:
        app = make(url)
        [uid] = focal_persons(app, 1)
        service = app.dialogue_service()
        sender = Sender("telegram", str(uid), str(uid), "Đầu mối", "private")
        keys = iter(range(1_000_000))
        for name, text in (("engine_refuses_200k", "~" * 200_000),
                           ("engine_hostile_4096", "x" + "~" * 4_094 + "y")):
            def send(text: str = text) -> object:
                return service.handle(Inbound(sender, TextIn(text), f"bench-parsing-{next(keys)}"))
            line(name, timed(send), "ms", goal="< 50 ms on an idle machine")
        app.close()


def main() -> None:
    note("parsers on hostile input, alone (no database)")
    parsers()
    note("one message through the dialogue service (SQLite), event to committed reply")
    engine()


if __name__ == "__main__":
    main()
