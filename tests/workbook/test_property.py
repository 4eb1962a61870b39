"""Property: any workbook the module writes, filled with values the parsers accept, reads back to exactly them.

Each example fills every answer row of a real unit's workbook (Form 1 for a province, Form 2 for a press
agency) with a generated valid value, written the way a person would: as typed text (`format_value`), or,
where the value is one number, as a number cell or a percentage-formatted cell; some marked provisional.
Fast runs in `make test`; the `slow` run (make test-faults) tries many more.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.intake import Draft, Reading
from conversations.workbook import read_workbook
from conversations.workbook.stamp import read_stamp
from storage.values import Basis, Shape, Value, format_value
from tests.helpers.app import make_app
from tests.helpers.databases import SqliteTemplate
from tests.parsing.strategies import VALUES
from tests.workbook.books import own_workbook

FAST = settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))  # ~0.4 s each
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
UNITS = [("QUANGTRI", "CL", "2026-Q4"), ("QT-BAO", "CDS", "2026")]


@pytest.fixture(scope="module")
def books(catalog_template: SqliteTemplate, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Each unit's empty workbook, its draft, and each answer row's question."""
    app = make_app(catalog_template.fresh(tmp_path_factory.mktemp("property")), load=False)
    out = {}
    for unit, form, period in UNITS:
        data, d = own_workbook(app, unit, form, period)
        stamp = read_stamp(openpyxl.load_workbook(io.BytesIO(data)))
        out[unit] = (data, d, {key: row for key, (_, row) in stamp.rows.items()})
    yield out
    app.close()


def _accepts(q, value: Value) -> bool:  # noqa: ANN001
    """True when the question's own limits take the value (counts demanded, no bare share)."""
    return not (q.answer.counts_required and value.basis is Basis.PERCENT)


@st.composite
def fillings(draw: st.DrawFn, d: Draft) -> dict[str, tuple[Value, object, str | None, bool]]:
    """Per question key: the value, what goes in the cell, its number format, provisional."""
    out = {}
    for q in d.asked:
        value = draw(VALUES[q.definition.shape].filter(lambda v, q=q: _accepts(q, v)))
        text = format_value(value, d.lang)
        cell, number_format = text, None
        if value.shape in (Shape.COUNT, Shape.NUMBER) and value.a < 10**14 and draw(st.booleans()):
            cell = int(value.a) if value.shape is Shape.COUNT else float(value.a)
            if Decimal(repr(cell)) != value.a:
                cell = text
        elif value.shape is Shape.YES_NO and draw(st.booleans()):
            cell = value.a == 1
        elif value.shape is Shape.PERCENT and draw(st.booleans()):
            cell, number_format = float(value.a / 100), "0.00%"
            if Decimal(format(cell * 100, ".15g")) != value.a:
                cell, number_format = text, None
        provisional = not q.is_section and value.shape is not Shape.YES_NO and draw(st.booleans())
        out[q.key] = (value, cell, number_format, provisional)
    return out


def round_trip(data: bytes, d: Draft, rows: dict[str, int], filling: dict) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for key, (_, cell, number_format, provisional) in filling.items():
        target = ws[f"C{rows[key]}"]
        target.value = cell
        if isinstance(cell, str):
            target.data_type = "s"  # typed into a text cell: "=0" stays text (openpyxl would make it a formula)
        if number_format:
            target.number_format = number_format
        ws[f"D{rows[key]}"] = "Có" if provisional else None
    out = io.BytesIO()
    wb.save(out)
    reading = read_workbook(out.getvalue(), "x.xlsx", d)
    assert isinstance(reading, Reading), reading.render("vi")
    assert reading.refused == (), reading.review_lines(d)
    got = {a.key: (a.value, bool(a.provisional)) for a in reading.accepted}
    assert got == {key: (value, provisional) for key, (value, _, _, provisional) in filling.items()}


@pytest.mark.parametrize("unit", [u for u, _, _ in UNITS])
def test_written_workbooks_read_back_exactly(books: dict, unit: str) -> None:
    data, d, rows = books[unit]

    @FAST
    @given(filling=fillings(d))
    def check(filling: dict) -> None:
        round_trip(data, d, rows, filling)

    check()


@pytest.mark.slow
@pytest.mark.parametrize("unit", [u for u, _, _ in UNITS])
def test_written_workbooks_read_back_exactly_many(books: dict, unit: str) -> None:
    data, d, rows = books[unit]

    @SLOW
    @given(filling=fillings(d))
    def check(filling: dict) -> None:
        round_trip(data, d, rows, filling)

    check()


