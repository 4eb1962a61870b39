"""The hidden stamp that ties a workbook to one submission: form version, period, unit, and its rows.

Written twice: a very hidden, protected sheet (Excel cannot unhide it without VBA; LibreOffice and WPS
keep it when saving) holding the stamp and the row of each question with its answer shape, and a custom
document property with the stamp alone. The reader believes neither blindly: the unit and period must
also be the ones the person is answering for, so an edited stamp can only get a file refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .layout import STAMP_FORMAT, STAMP_PROPERTY, STAMP_SHEET

FIELDS = ("form", "version", "period", "unit", "unit_name", "sheet")
MAX_STAMP_ROWS = 400


@dataclass(frozen=True)
class Stamp:
    """Which submission a workbook was made for, and where each question's answer row is."""

    form: str
    version: int
    period: str
    unit: str
    unit_name: str = ""
    sheet: str = ""
    rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (shape, row)

    def core(self) -> str:
        """The stamp as one line: `1|CL|3|2026-Q4|QUANGTRI`."""
        return "|".join((STAMP_FORMAT, self.form, str(self.version), self.period, self.unit))

    @classmethod
    def from_core(cls, text: str) -> Stamp | None:
        """A stamp from its one-line form, or None when it is not one."""
        parts = text.split("|")
        if len(parts) != 5 or parts[0] != STAMP_FORMAT or not parts[2].isdigit():
            return None
        return cls(parts[1], int(parts[2]), parts[3], parts[4])


def write_stamp(workbook: Any, stamp: Stamp) -> None:
    """Add the stamp sheet and the document property to an XlsxWriter workbook."""
    workbook.set_custom_property(STAMP_PROPERTY, stamp.core())
    ws = workbook.add_worksheet(STAMP_SHEET)
    ws.write_string(0, 0, "chitieu-workbook")
    ws.write_string(0, 1, STAMP_FORMAT)
    for r, name in enumerate(FIELDS, start=1):
        ws.write_string(r, 0, name)
        ws.write_string(r, 1, str(getattr(stamp, name)))
    for r, (key, (shape, row)) in enumerate(stamp.rows.items(), start=len(FIELDS) + 2):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, shape)
        ws.write_number(r, 2, row)
    ws.protect()
    ws.very_hidden()


def _from_sheet(ws: Any) -> Stamp | None:
    """The stamp written by `write_stamp`, read from its sheet (openpyxl, read-only)."""
    cells = [tuple("" if c is None else str(c) for c in row[:3])
             for row in ws.iter_rows(min_row=1, max_row=MAX_STAMP_ROWS, max_col=3, values_only=True)]
    if not cells or cells[0][:2] != ("chitieu-workbook", STAMP_FORMAT):
        return None
    values = {name: value for name, value, _ in cells[1:len(FIELDS) + 1]}
    rows = {}
    for key, shape, row in cells[len(FIELDS) + 2:]:
        if key and row.replace(".0", "").isdigit():
            rows[key] = (shape, int(float(row)))
    if not values.get("version", "").isdigit() or not all(values.get(n) for n in ("form", "period", "unit")):
        return None
    return Stamp(values["form"], int(values["version"]), values["period"], values["unit"],
                 values.get("unit_name", ""), values.get("sheet", ""), rows)


def read_stamp(wb: Any) -> Stamp | None:
    """The workbook's stamp: from the stamp sheet, else from the document property, else None."""
    if STAMP_SHEET in wb.sheetnames:
        found = _from_sheet(wb[STAMP_SHEET])
        if found is not None:
            return found
    props = getattr(wb, "custom_doc_props", None)
    for prop in props.props if props is not None else ():
        if prop.name == STAMP_PROPERTY and isinstance(prop.value, str):
            return Stamp.from_core(prop.value)
    return None
