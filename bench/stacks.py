"""Reading py-spy's raw (collapsed) stacks: where the CPU time of a process goes, by layer and by function.

A raw line is `thread (TID): NAME;frame;frame;… COUNT`, outermost frame first, each frame `func (path:line)`
with paths relative to their package root (`sqlalchemy/orm/session.py`, `bot/intake.py`, `threading.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

OURS = ("bot", "conversations", "storage", "reports")
LAYERS = {  # first path segment -> layer
    "bot": "chitieu bot/ (channels, intake, delivery)", "conversations": "chitieu conversations/ (engine)",
    "storage": "chitieu storage/ (repositories, models)", "reports": "chitieu reports/",
    "bench": "bench harness (peer bot code)", "tests": "tests/fakes",
    "sqlalchemy": "SQLAlchemy (Python)", "psycopg": "DB driver", "sqlite3": "DB driver",
    "telegram": "python-telegram-bot", "aiolimiter": "python-telegram-bot",
    "httpx": "HTTP client (httpx, httpcore, h11)", "httpcore": "HTTP client (httpx, httpcore, h11)",
    "h11": "HTTP client (httpx, httpcore, h11)", "anyio": "HTTP client (httpx, httpcore, h11)",
    "uvicorn": "web server (uvicorn, starlette)", "starlette": "web server (uvicorn, starlette)",
    "asyncio": "event loop and threads", "concurrent": "event loop and threads",
    "threading.py": "event loop and threads", "selectors.py": "event loop and threads",
    "json": "json", "pydantic": "pydantic", "pydantic_core": "pydantic", "yaml": "yaml",
    "logging": "logging",
}
DRIVER_CALLS = {"do_execute", "do_executemany", "do_commit", "do_rollback", "do_execute_no_params", "do_begin"}


@dataclass(frozen=True)
class Frame:
    """One frame: function name, file (relative) and line."""

    function: str
    path: str
    line: int

    @property
    def segment(self) -> str:
        """The first path segment: the package (`sqlalchemy`) or the module file (`threading.py`)."""
        return self.path.split("/", 1)[0]


@dataclass
class Profile:
    """Samples of one process: total, by thread, by layer (innermost known layer), by our functions."""

    samples: int = 0
    threads: Counter[str] = field(default_factory=Counter)
    layers: Counter[str] = field(default_factory=Counter)
    ours: Counter[str] = field(default_factory=Counter)  # inclusive: samples whose stack holds the function
    leaves: Counter[str] = field(default_factory=Counter)  # self: the innermost frame of each sample

    def share(self, count: int) -> float:
        """`count` as a percentage of all samples."""
        return 100.0 * count / self.samples if self.samples else 0.0


def parse_frame(text: str) -> Frame:
    """`func (path:line)` → Frame (line 0 when absent)."""
    name, _, rest = text.rpartition(" (")
    path, _, line = rest.rstrip(")").rpartition(":")
    if not name:
        return Frame(text, "", 0)
    return Frame(name, path or rest.rstrip(")"), int(line) if line.isdigit() else 0)


def parse_line(raw: str) -> tuple[str, list[Frame], int] | None:
    """(thread name, frames outermost first, count) of one raw line; None for a line that is not one."""
    head, _, count = raw.rstrip().rpartition(" ")
    if not head or not count.isdigit():
        return None
    thread, *frames = head.split(";")
    name = thread.split("): ", 1)[1] if "): " in thread else thread
    return name, [parse_frame(f) for f in frames], int(count)


def layer_of(frames: list[Frame]) -> str:
    """The layer a sample's CPU time belongs to: the innermost frame of a known package (standard-library
    helpers count for their caller); a SQLAlchemy `do_execute`-like leaf is time inside the DB driver."""
    for frame in reversed(frames):
        if frame.segment == "sqlalchemy" and frame.function.rpartition(".")[2] in DRIVER_CALLS:
            return "DB driver"
        if frame.segment in LAYERS:
            return LAYERS[frame.segment]
    return "other (no known frame)"


def thread_kind(name: str) -> str:
    """`MainThread` (the event loop) or worker threads grouped (`asyncio_3` → `asyncio workers`)."""
    base = re.sub(r"(?:[-_]\d+)+$", "", name)
    return f"{base} workers" if base != name else name


def read(text: str) -> Profile:
    """Aggregate py-spy raw output."""
    profile = Profile()
    for raw in text.splitlines():
        parsed = parse_line(raw)
        if parsed is None:
            continue
        name, frames, count = parsed
        profile.samples += count
        profile.threads[thread_kind(name)] += count
        profile.layers[layer_of(frames)] += count
        if frames:
            profile.leaves[f"{frames[-1].function} ({frames[-1].path})"] += count
        for key in {f"{f.function} ({f.path})" for f in frames if f.segment in OURS}:
            profile.ours[key] += count
    return profile
