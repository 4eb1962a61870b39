"""Long tables made usable: filter by status, sort by a column, and pages of 100 rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from bot.web import paths
from bot.web.overview import STATUSES, UnitLine
from bot.web.render import text
from bot.web.site import BadAddress
from conversations.parsing import echo, fold

T = TypeVar("T")
PAGE_SIZE = 100
FILTERS: dict[str, tuple[str, ...]] = {
    "chua-nop": ("none", "draft"), "chua-bat-dau": ("none",), "dang-nhap": ("draft",),
    "tam-uoc-tinh": ("provisional",), "muon": ("late",), "dung-han": ("on_time",),
}
_EARLY = datetime.min.replace(tzinfo=UTC)
SORTS: dict[str, Callable[[UnitLine], Any]] = {
    "don-vi": lambda line: (fold(line.name), line.unit.path),
    "trang-thai": lambda line: (STATUSES.index(line.status), line.unit.path),
    "gui-luc": lambda line: (line.submitted_at is None, line.submitted_at or _EARLY, line.unit.path),
}


@dataclass(frozen=True)
class Pager:
    """Which page of how many."""

    page: int
    pages: int
    total: int
    size: int

    @property
    def first(self) -> int:
        """The number of the page's first row."""
        return (self.page - 1) * self.size + 1

    def window(self) -> list[int]:
        """Page numbers to offer: the first, the last, and two either side of the current one."""
        near = range(max(1, self.page - 2), min(self.pages, self.page + 2) + 1)
        return sorted({1, self.pages, *near})


def paged(items: Sequence[T], raw: str, size: int | None = None) -> tuple[list[T], Pager]:
    """The rows of page `raw` (a bad or too large number shows the nearest page), PAGE_SIZE a page."""
    size = size or PAGE_SIZE
    pages = max(1, -(-len(items) // size))
    page = min(max(int(raw), 1), pages) if raw.isdigit() and len(raw) < 7 else 1
    return list(items[(page - 1) * size:page * size]), Pager(page, pages, len(items), size)


def _choices(params: Mapping[str, str], key: str, values: Sequence[str], lang: str,
             label: Callable[[str], str]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    keep = {k: v for k, v in params.items() if k not in (key, paths.PAGE)}
    return ((text("valid_values", lang), tuple((label(v), paths.href(paths.OVERVIEW, keep, **{key: v}))
                                               for v in values)),)


def status_filter(params: Mapping[str, str], lang: str) -> str | None:
    """The `trang-thai` filter, refused with the list of valid ones."""
    raw = params.get(paths.STATUS, "").strip()
    if not raw or raw in FILTERS:
        return raw or None
    raise BadAddress(text("unknown_status", lang, value=echo(raw, 40)),
                     _choices(params, paths.STATUS, list(FILTERS), lang, lambda v: text(f"filter_{v}", lang)))


def sort_order(params: Mapping[str, str], lang: str) -> str:
    """The `sap-xep` order (`-` first for descending), refused with the list of valid ones."""
    raw = params.get(paths.SORT, "").strip()
    if not raw or raw.removeprefix("-") in SORTS:
        return raw
    raise BadAddress(text("unknown_sort", lang, value=echo(raw, 40)),
                     _choices(params, paths.SORT, list(SORTS), lang, lambda v: text(f"sort_{v}", lang)))


def arrange(lines: list[UnitLine], wanted: str | None, order: str) -> list[UnitLine]:
    """The lines with the wanted statuses, in the order asked (the catalog's order by default)."""
    kept = [line for line in lines if wanted is None or line.status in FILTERS[wanted]]
    if not order:
        return kept
    return sorted(kept, key=SORTS[order.removeprefix("-")], reverse=order.startswith("-"))


@dataclass(frozen=True)
class Heading:
    """A column heading; sortable ones link to the same page sorted by them."""

    label: str
    href: str | None = None
    sorted: str | None = None  # "ascending" | "descending" when the table is sorted by this column


def headings(columns: Sequence[tuple[str, str | None]], params: Mapping[str, str], order: str,
             path: str = paths.OVERVIEW) -> list[Heading]:
    """Headings of (label, sort key or None); a click sorts ascending, a second click descending."""
    keep = {k: v for k, v in params.items() if k not in (paths.SORT, paths.PAGE)}
    found = []
    for label, key in columns:
        if key is None:
            found.append(Heading(label))
            continue
        state = "ascending" if order == key else "descending" if order == "-" + key else None
        target = "-" + key if state == "ascending" else key
        found.append(Heading(label, paths.href(path, keep, **{paths.SORT: target}), state))
    return found
