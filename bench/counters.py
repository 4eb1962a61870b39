"""Counting what a turn costs besides time: SQL statements, transactions, thread hops, Bot API calls.

`SqlCounter` listens on SQLAlchemy engines; `CountingExecutor` is the event loop's default executor, so
every `asyncio.to_thread` (a hop from the loop to a worker thread and back) is counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine, event

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class SqlCounter:
    """Statements (BEGIN/COMMIT excluded) and transactions (BEGIN) run on some engines."""

    def __init__(self, engines: Iterable[Engine]) -> None:
        self.statements = 0
        self.transactions = 0
        self.kinds: Counter[str] = Counter()  # first word: SELECT, INSERT, UPDATE, DELETE
        self.engines = list(dict.fromkeys(engines))
        for engine in self.engines:
            event.listen(engine, "before_cursor_execute", self._statement)
            event.listen(engine, "begin", self._begin)

    def close(self) -> None:
        """Stop counting (remove the listeners)."""
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._statement)
            event.remove(engine, "begin", self._begin)

    def _statement(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if word not in CONTROL:
            self.statements += 1
            self.kinds[word] += 1

    def _begin(self, conn: Any) -> None:
        self.transactions += 1

    def snapshot(self) -> tuple[int, int, Counter[str]]:
        """(statements, transactions, statements by kind) so far."""
        return self.statements, self.transactions, Counter(self.kinds)


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that counts the work handed to it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.submitted = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:  # noqa: D102
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def per(count: float, answers: int) -> float:
    """`count` per answer (NaN without answers)."""
    return count / answers if answers else float("nan")
