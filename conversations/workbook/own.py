"""Reading the unit's own workbook back: stamp checked against the draft, then each answer row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conversations.forms import QuestionSpec
from conversations.intake import Accepted, Draft, Reading, Refused
from conversations.intake.check import compare, parse_value
from conversations.intake.items import Notice
from conversations.parsing import AnswerSpec, Refusal, parse_answer
from conversations.parsing.spec import example_for
from storage.repositories import AnswerSource
from storage.values import Shape

from . import layout as L
from .cells import cell_text
from .guard import Rejected
from .stamp import Stamp

TEXT_SPEC = AnswerSpec(shape=Shape.TEXT, max_length=1000)  # as the chat's note and comparison
YES_NO_SPEC = AnswerSpec(shape=Shape.YES_NO)


def _mismatch(stamp: Stamp, source: AnswerSource, draft: Draft) -> Rejected | None:
    """A file made for another form, unit or period, naming both."""
    def rejected(problem: str, theirs: str, ours: str) -> Rejected:
        return Rejected(problem, source.name, source.sha256, (("theirs", theirs), ("ours", ours)))

    if stamp.form != draft.spec.code:
        return rejected("workbook.file_wrong_form", stamp.form, draft.spec.code)
    if stamp.unit != draft.unit_code:
        return rejected("workbook.file_wrong_unit", stamp.unit_name or stamp.unit, draft.unit_name)
    if stamp.period != draft.period_code:
        return rejected("workbook.file_wrong_period", stamp.period, draft.period_code)
    return None


def _row_keys(ws: Any) -> dict[str, tuple[str, int]]:
    """Rows by question key from the hidden key column, when only the document property survived."""
    found = {}
    rows = ws.iter_rows(min_row=L.FIRST_ROW, max_row=L.FIRST_ROW + L.MAX_QUESTIONS, min_col=L.KEY, max_col=L.KEY,
                        values_only=True)
    for r, (key,) in enumerate(rows, start=L.FIRST_ROW):
        if isinstance(key, str) and key.strip():
            found[key.strip()] = ("", r)
    return found


def _plan(stamp: Stamp, draft: Draft) -> tuple[dict[int, QuestionSpec], list[Refused], list[Notice]]:
    """Which row answers which question of the draft's form version; an older version mapped by key."""
    plan, refused, notices = {}, [], []
    dropped = []
    for key, (shape, row) in stamp.rows.items():
        q = draft.asked_question(key)
        if q is None:
            dropped.append(key)
        elif shape and shape != q.definition.shape.value:
            refused.append(Refused(key, "", Refusal("workbook.shape_changed", (
                ("ours", str(draft.spec.version)), ("example", example_for(q.answer, draft.lang)))),
                f"{_letter(L.VALUE)}{row}"))
        else:
            plan[row] = q
    if stamp.version != draft.spec.version:
        notices.append(Notice("workbook.notice_version", (("theirs", str(stamp.version)),
                                                          ("ours", str(draft.spec.version)))))
        if dropped:
            notices.append(Notice("workbook.notice_dropped", (("items", ", ".join(dropped)),)))
    return plan, refused, notices


def _letter(col: int) -> str:
    return chr(ord("A") + col - 1)


def read_own(wb: Any, open_formulas: Callable[[], Any], stamp: Stamp, source: AnswerSource,
             draft: Draft) -> Reading | Rejected:
    """The answers of the unit's own workbook, or why it is not this submission's."""
    mismatch = _mismatch(stamp, source, draft)
    if mismatch is not None:
        return mismatch
    ws = wb[stamp.sheet] if stamp.sheet in wb.sheetnames else wb.worksheets[0]
    if not stamp.rows:
        stamp = Stamp(stamp.form, stamp.version, stamp.period, stamp.unit, stamp.unit_name, ws.title, _row_keys(ws))
    plan, refused, notices = _plan(stamp, draft)
    if not plan and not refused:
        return Rejected("workbook.file_old_version", source.name, source.sha256,
                        (("theirs", str(stamp.version)), ("ours", str(draft.spec.version))))
    last = max(plan, default=L.FIRST_ROW)
    cells = _cells(ws, last)
    formulas = _formulas(open_formulas, ws.title, last)
    rows = _Rows(draft, cells, formulas)
    for row, q in sorted(plan.items()):
        rows.read(q, row)
    accepted = tuple(rows.accepted)
    changes, unusual = compare(draft, accepted)
    notices += rows.notices()
    from .reader import nothing_filled

    return nothing_filled(Reading(accepted, (*refused, *rows.refused), changes, unusual, (), tuple(notices), source,
                                  {"kind": "unit", "from_version": str(stamp.version)}))


def _cells(ws: Any, last: int) -> dict[int, tuple]:
    """Rows FIRST_ROW..last of the answer columns (read-only cells)."""
    out = {}
    rows = ws.iter_rows(min_row=L.FIRST_ROW, max_row=last, max_col=L.LAST_COLUMN)
    for r, cells in enumerate(rows, start=L.FIRST_ROW):
        out[r] = tuple(cells)
    return out


def _formulas(open_formulas: Callable[[], Any], title: str, last: int) -> dict[str, str]:
    """The answer cells that hold a formula, with its text (a second read-only pass, formulas kept)."""
    wb = open_formulas()
    try:
        ws = wb[title]
        found = {}
        for cells in ws.iter_rows(min_row=L.FIRST_ROW, max_row=last, max_col=L.LAST_COLUMN):
            for c in cells:
                if getattr(c, "data_type", None) == "f" or (isinstance(c.value, str) and c.value.startswith("=")
                                                              and getattr(c, "data_type", None) != "s"):
                    found[c.coordinate] = str(c.value)
        return found
    finally:
        wb.close()


class _Rows:
    """Reads answer rows one by one, collecting what was accepted, refused and left blank."""

    def __init__(self, draft: Draft, cells: dict[int, tuple], formulas: dict[str, str]) -> None:
        self.draft, self.cells, self.formulas = draft, cells, formulas
        self.accepted: list[Accepted] = []
        self.refused: list[Refused] = []
        self.blank: list[str] = []
        self.used_formulas: list[str] = []

    def _cell(self, row: int, col: int) -> tuple[Any, str, str]:
        cells = self.cells.get(row, ())
        cell = cells[col - 1] if len(cells) >= col else None
        value = getattr(cell, "value", None)
        return value, getattr(cell, "number_format", "General") or "General", f"{_letter(col)}{row}"

    def _text(self, q: QuestionSpec, row: int, col: int, shape: Shape) -> tuple[str | Refusal | None, str]:
        value, number_format, where = self._cell(row, col)
        example = example_for(q.answer, self.draft.lang)
        if where in self.formulas:
            if value is None:
                return Refusal("workbook.cell_formula", (("formula", self.formulas[where][:40]),
                                                         ("example", example))), where
            self.used_formulas.append(where)
        return cell_text(value, number_format, shape, self.draft.lang, example), where

    def _free_text(self, q: QuestionSpec, row: int, col: int) -> str | None:
        """A note or comparison cell: its text, or None (a refusal is recorded)."""
        text, where = self._text(q, row, col, Shape.TEXT)
        parsed = parse_answer(text, TEXT_SPEC) if isinstance(text, str) else text
        if isinstance(parsed, Refusal):
            self.refused.append(Refused(q.key, text if isinstance(text, str) else "", parsed, where))
            return None
        return parsed.text if parsed is not None else None

    def _provisional(self, q: QuestionSpec, row: int) -> bool | None:
        """The provisional column: True/False, or None when unreadable (a refusal is recorded)."""
        text, where = self._text(q, row, L.PROVISIONAL, Shape.YES_NO)
        if text is None:
            return False
        parsed = parse_answer(text, YES_NO_SPEC) if isinstance(text, str) else text
        if isinstance(parsed, Refusal):
            self.refused.append(Refused(q.key, text if isinstance(text, str) else "",
                                        Refusal("workbook.cell_provisional"), where))
            return None
        return parsed.flag

    def read(self, q: QuestionSpec, row: int) -> None:
        """One question's row."""
        raw, where = self._text(q, row, L.VALUE, q.definition.shape)
        note = self._free_text(q, row, L.NOTE)
        comparison = self._free_text(q, row, L.COMPARISON) if q.definition.comparison else None
        if isinstance(raw, Refusal):
            self.refused.append(Refused(q.key, "", raw, where))
            raw = None
        value, provisional = None, None
        if raw is not None:
            parsed = parse_value(q, raw, self.draft)
            if isinstance(parsed, Refusal):
                self.refused.append(Refused(q.key, raw, parsed, where))
                raw = None
            else:
                value, typed = parsed
                flag = self._provisional(q, row) if _takes_provisional(q) else False
                if flag is None:
                    return
                provisional = None if q.is_section else typed or flag
        elif (current := self.draft.current.get(q.key)) is not None and current.value is not None:
            self.blank.append(self.draft.name(q.key))
        if value is not None or note or comparison:
            self.accepted.append(Accepted(q.key, raw or "", value, provisional, note, comparison, where))

    def notices(self) -> list[Notice]:
        """What to say about the file as a whole."""
        out = []
        if self.blank:
            out.append(Notice("workbook.notice_blank", (("items", ", ".join(self.blank)),)))
        if self.used_formulas:
            out.append(Notice("workbook.notice_formulas", (("cells", ", ".join(self.used_formulas)),)))
        return out


def _takes_provisional(q: QuestionSpec) -> bool:
    return not q.is_section and q.definition.shape is not Shape.YES_NO
