"""Import units from a CSV or Excel sheet: every row checked, nothing written if one is refused."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from conversations.catalog.loader import CatalogError
from conversations.catalog.schema import UnitDef

if TYPE_CHECKING:  # pandas is imported when a sheet is read: it costs ~60 MB and 0.3 s at start-up
    import pandas as pd

COLUMNS = ("code", "name", "kind", "parent", "active_from", "active_to", "successor", "note")
HEADER_ALIASES = {"ma": "code", "mã": "code", "ten": "name", "tên": "name", "loai": "kind", "loại": "kind",
                  "cap_tren": "parent", "cấp trên": "parent", "don_vi_cha": "parent"}


def read_sheet(path: Path) -> pd.DataFrame:
    """Read a .csv or .xlsx file as text cells with normalised headers (an old .xls is refused: no reader
    for Excel 97-2003 files is installed)."""
    import zipfile

    import pandas as pd

    if not path.exists():
        raise CatalogError(path, "", "file not found")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise CatalogError(path, "", "old Excel 97-2003 (.xls) files cannot be read; open it in Excel or "
                                     "LibreOffice, save it as .xlsx (or .csv) and import that file")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            raise CatalogError(path, "", "unsupported file type; give a .csv or .xlsx file")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, zipfile.BadZipFile, KeyError) as exc:
        raise CatalogError(path, "", f"cannot read the sheet ({exc})") from None
    frame.columns = [HEADER_ALIASES.get(str(c).strip().lower(), str(c).strip().lower()) for c in frame.columns]
    missing = [c for c in ("code", "name", "kind") if c not in frame.columns]
    if missing:
        raise CatalogError(path, "header", f"missing column(s) {', '.join(missing)}; "
                                           f"the header row should be: {','.join(COLUMNS)}")
    return frame


def rows_to_units(frame: pd.DataFrame, path: Path) -> tuple[list[UnitDef], list[str]]:
    """Validate every row; returns the units and a line per refused row (row numbers as in the file)."""
    units: list[UnitDef] = []
    refused: list[str] = []
    for index, row in frame.iterrows():
        raw = {k: (str(row[k]).strip() or None) for k in COLUMNS if k in frame.columns}
        if raw.get("code"):
            raw["code"] = raw["code"].upper()
        line = int(str(index)) + 2  # +1 header, +1 one-based
        try:
            units.append(UnitDef.model_validate(raw))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(x) for x in err["loc"]) or "row"
            refused.append(f"row {line} ({raw.get('code') or '?'}): {field}: {err['msg']}")
    return units, refused
