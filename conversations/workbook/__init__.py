"""The unit's own workbook: written for a submission, read back when the focal person returns it filled.

`unit_workbook(uow, sheet, lang, now)` gives the bytes to send and `workbook_name(sheet)` their file
name; `read_workbook(data, file_name, draft)` gives a `Reading` (answers checked as if typed, what
changes) or a `Rejected` file with the reason. The official Phụ lục I table is read too (`annex.py`).
Nothing here sends or keeps a file: channels download and deliver, `intake.save_reading` stores.
"""

from .guard import MAX_BYTES, Rejected
from .reader import read_workbook
from .stamp import Stamp
from .writer import unit_workbook, workbook_name

__all__ = ["MAX_BYTES", "Rejected", "Stamp", "read_workbook", "unit_workbook", "workbook_name"]
