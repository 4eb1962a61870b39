"""Reading the official Phụ lục I table (the layout `reports/workbook.py` writes) filled in by a unit.

The table is found by its headings, not by fixed rows (analysts insert rows above it): a sheet whose
first cell is the form's title, a header row starting with STT, the year above the rounds, and the
round's column (Quý I–IV) with its international comparison the first comparison column after it. A
province fills its own rows (the indicators it answers) in the period's column; every other row and
column is ignored, and so are the report sections below the table (those are answered in the chat or in
the unit's own workbook). A figure the analyst's table already held there is read like any other cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from conversations.intake import Accepted, Draft, Reading, Refused
from conversations.intake.check import compare, parse_value
from conversations.intake.items import Notice
from conversations.parsing import AnswerSpec, Refusal, fold, parse_answer
from conversations.parsing.spec import example_for
from storage.repositories import AnswerSource
from storage.values import Shape

from .cells import cell_text
from .guard import Rejected

HEAD_ROWS = 30  # the header is looked for in the first rows of the first sheets
HEAD_SHEETS = 4
TABLE_ROWS = 60  # rows of the table read below the header
MAX_COLUMNS = 40
NUMBER_HEADINGS = ("stt", "no.")
COMPARISON_HEADINGS = ("so sanh quoc te", "international comparison")
SLOT_HEADINGS = {
    "Q1": ("quy i", "quy 1", "q1"), "Q2": ("quy ii", "quy 2", "q2"), "Q3": ("quy iii", "quy 3", "q3"),
    "Q4": ("quy iv", "quy 4", "q4"), "H1": ("6 thang dau nam", "first half"), "H2": ("6 thang cuoi nam", "second half"),
}
TEXT_SPEC = AnswerSpec(shape=Shape.TEXT, max_length=1000)
_YEAR = re.compile(r"\b(20\d\d)\b")


@dataclass(frozen=True)
class Annex:
    """Where the table is: its sheet, the header row (1-based) and the year it is for."""

    sheet: str
    header_row: int
    year: int | None
    rows: tuple[tuple, ...]  # header row, sub-header row, then the table's rows (values only)


def _cell(row: tuple, col: int) -> str:
    value = row[col] if col < len(row) else None
    return "" if value is None else str(value).strip()


def find_annex(wb: Any, draft: Draft) -> Annex | None:
    """The Phụ lục I table of the draft's form, if the workbook holds one."""
    title = fold(draft.spec.definition.title)
    for ws in wb.worksheets[:HEAD_SHEETS]:
        head = list(ws.iter_rows(min_row=1, max_row=HEAD_ROWS, max_col=MAX_COLUMNS, values_only=True))
        if not head or fold(_cell(head[0], 0)) != title:
            continue
        for i, row in enumerate(head):
            if fold(_cell(row, 0)) in NUMBER_HEADINGS:
                year = next((int(m[1]) for c in row[3:] if c and (m := _YEAR.search(str(c)))), None)
                body = ws.iter_rows(min_row=i + 1, max_row=i + 2 + TABLE_ROWS, max_col=MAX_COLUMNS)
                return Annex(ws.title, i + 1, year, tuple(tuple(body)))
    return None


def _columns(annex: Annex, slot: str) -> tuple[int | None, int | None]:
    """The round's column and its comparison column (0-based), from the sub-header row."""
    sub = [fold(str(c.value or "")).strip() for c in annex.rows[1]] if len(annex.rows) > 1 else []
    wanted = SLOT_HEADINGS.get(slot, ())
    value = next((i for i, text in enumerate(sub) if i >= 3 and text in wanted), None)
    if value is None:
        return None, None
    comparison = next((i for i, text in enumerate(sub) if i > value and text.startswith(COMPARISON_HEADINGS)), None)
    return value, comparison


def read_annex(wb: Any, annex: Annex, source: AnswerSource, draft: Draft) -> Reading | Rejected:
    """The unit's rows of the table, in the period's column."""
    def rejected(problem: str, **params: str) -> Rejected:
        return Rejected(problem, source.name, source.sha256, tuple(params.items()))

    if annex.year is not None and annex.year != draft.year:
        return rejected("workbook.file_wrong_year", theirs=str(annex.year), ours=draft.period_code,
                        year=str(draft.year))
    column_name = _slot_name(draft)
    value_col, comparison_col = _columns(annex, draft.slot)
    if value_col is None:
        return rejected("workbook.file_no_column", column=column_name, period=draft.period_code)
    by_number = {q.definition.number: q for q in draft.asked if not q.is_section and q.definition.number}
    accepted, refused = [], []
    for cells in annex.rows[2:]:
        q = by_number.get(_cell(tuple(c.value for c in cells), 0))
        if q is None:
            continue
        item = _read_row(q, cells, value_col, comparison_col if q.definition.comparison else None, draft)
        for x in item:
            (accepted if isinstance(x, Accepted) else refused).append(x)
    changes, unusual = compare(draft, accepted)
    notice = Notice("workbook.notice_annex", (("column", column_name), ("unit", draft.unit_name)))
    from .reader import nothing_filled

    return nothing_filled(Reading(tuple(accepted), tuple(refused), changes, unusual, (), (notice,), source,
                                  {"kind": "annex"}))


def _slot_name(draft: Draft) -> str:
    names = SLOT_HEADINGS.get(draft.slot)
    return {"Q1": "Quý I", "Q2": "Quý II", "Q3": "Quý III", "Q4": "Quý IV"}.get(draft.slot, names[0] if names else
                                                                               draft.slot)


def _read_row(q: Any, cells: tuple, value_col: int, comparison_col: int | None,
              draft: Draft) -> list[Accepted | Refused]:
    """One indicator's cell (and its comparison) of the unit."""
    example = example_for(q.answer, draft.lang)
    value_cell = cells[value_col] if value_col < len(cells) else None
    raw = cell_text(getattr(value_cell, "value", None), getattr(value_cell, "number_format", "General"),
                    q.definition.shape, draft.lang, example)
    where = getattr(value_cell, "coordinate", "")
    comparison = None
    if comparison_col is not None and comparison_col < len(cells):
        text = cell_text(cells[comparison_col].value, "General", Shape.TEXT, draft.lang, example)
        parsed = parse_answer(_own_lines(text, draft), TEXT_SPEC) if isinstance(text, str) else None
        comparison = parsed.text if parsed is not None and not isinstance(parsed, Refusal) else None
    if isinstance(raw, Refusal):
        return [Refused(q.key, "", raw, where)]
    if raw is None:
        return [Accepted(q.key, "", None, None, None, comparison, where)] if comparison else []
    parsed_value = parse_value(q, raw, draft)
    if isinstance(parsed_value, Refusal):
        return [Refused(q.key, raw, parsed_value, where)]
    value, provisional = parsed_value
    return [Accepted(q.key, raw, value, provisional, None, comparison, where)]


def _own_lines(text: str, draft: Draft) -> str:
    """The comparison cell without the `Unit: ` prefix the analyst's table puts before the unit's own text."""
    prefix = f"{draft.unit_name}:"
    lines = [x[len(prefix):].strip() if x.startswith(prefix) else x for x in text.splitlines()]
    return "\n".join(lines)
