"""Reading a returned workbook: the bytes checked, opened read-only for values, matched to the draft.

Values are read as saved (`data_only`): a formula's result the saving program computed is taken, a
formula is never evaluated here. Only the rows the stamp names (or Phụ lục I's rows of the unit) are
read, so a sheet of 100,000 rows costs no more than the table. Every cell goes through the chat's
parsers (`intake.check.parse_value`).
"""

from __future__ import annotations

import io
import warnings
import zipfile
from typing import Any

from conversations.intake import Draft, Reading
from conversations.intake.items import Notice
from storage.repositories import AnswerSource

from .guard import Rejected, check_file, sha256_of
from .own import read_own
from .stamp import read_stamp


def _open(data: bytes, formulas: bool = False) -> Any:
    """openpyxl, read-only; values as saved unless `formulas` (to see which cells hold one)."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "unknown extension", "no default style": harmless here
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas, keep_links=False)


def read_workbook(data: bytes, file_name: str, draft: Draft) -> Reading | Rejected:
    """The answers in a returned workbook checked against `draft`, or why the file is not read."""
    rejected = check_file(data, file_name, draft.lang)
    if rejected is not None:
        return rejected
    source = AnswerSource(file_name, sha256_of(data))
    try:
        wb = _open(data)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, IndexError, AttributeError):
        return Rejected("workbook.file_corrupt", file_name, source.sha256)
    try:
        return _read(wb, data, source, draft)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, IndexError, AttributeError):
        return Rejected("workbook.file_corrupt", file_name, source.sha256)
    finally:
        wb.close()


def _read(wb: Any, data: bytes, source: AnswerSource, draft: Draft) -> Reading | Rejected:
    from .annex import find_annex, read_annex

    stamp = read_stamp(wb)
    if stamp is not None:
        return read_own(wb, lambda: _open(data, formulas=True), stamp, source, draft)
    annex = find_annex(wb, draft)
    if annex is not None:
        return read_annex(wb, annex, source, draft)
    return unknown(source, draft)


def unknown(source: AnswerSource, draft: Draft) -> Rejected:
    """The reply for a workbook that is neither ours nor Phụ lục I: which one is expected."""
    form = draft.spec.definition.short_title or draft.spec.code
    return Rejected("workbook.file_unknown", source.name, source.sha256,
                    (("unit", draft.unit_name), ("period", draft.period_code), ("form", form)))


def nothing_filled(reading: Reading) -> Reading:
    """Add the notice that no cell was filled when nothing was read."""
    if reading.accepted or reading.refused:
        return reading
    return Reading(notices=(*reading.notices, Notice("workbook.notice_nothing")), source=reading.source,
                   extra=reading.extra)
