"""Workbooks for the tests: the bot's own, filled with openpyxl as a person would, and bad files built here."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

import openpyxl

from bot.app import App
from conversations.intake import Draft, draft_of
from conversations.workbook import unit_workbook
from tests.intake.drafts import open_sheet


def own_workbook(app: App, unit: str = "QUANGTRI", form: str = "CL", period: str = "2026-Q4",
                 lang: str = "vi") -> tuple[bytes, Draft]:
    """The bytes the bot would send for the unit's submission, and the draft to read them against."""
    with app.uow() as uow:
        sheet = open_sheet(uow, unit, form, period)
        data = unit_workbook(uow, sheet, lang, app.clock.local())
        d = draft_of(uow, sheet, lang, app.clock.today())
        uow.commit()
    return data, d


def filled(data: bytes, cells: Mapping[str, Any], formats: Mapping[str, str] | None = None,
           edit: Callable[[Any], None] | None = None) -> bytes:
    """The workbook with cells of its first sheet set (and number formats), saved again by openpyxl."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for ref, value in cells.items():
        ws[ref] = value
    for ref, number_format in (formats or {}).items():
        ws[ref].number_format = number_format
    if edit:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rezip(data: bytes, change: Callable[[str, bytes], bytes | None], extra: Mapping[str, bytes] | None = None) -> bytes:
    """The zip with each member passed through `change` (None drops it) and `extra` members added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info))
            if content is not None:
                dst.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def with_cached_formula(data: bytes, ref: str, formula: str, cached: str) -> bytes:
    """Put a formula with a saved result in cell `ref` of the first sheet (what Excel writes; openpyxl cannot)."""
    def change(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return content
        xml = content.decode()
        cell = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml)
        assert cell, ref
        style = re.search(r' s="(\d+)"', cell[0])
        new = f'<c r="{ref}"{style[0] if style else ""} t="str"><f>{formula}</f><v>{cached}</v></c>'
        return (xml[: cell.start()] + new + xml[cell.end():]).encode()
    return rezip(data, change)


def cfb_container(streams: tuple[str, ...] = ("EncryptionInfo", "EncryptedPackage")) -> bytes:
    """A minimal OLE compound file with these (empty) streams: how Office stores a password-protected .xlsx."""
    end, free, fat = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack(
        "<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    fat_sector = struct.pack("<II", fat, end) + struct.pack("<I", free) * 126

    def entry(name: str, kind: int, child: int = free, right: int = free) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, free, right, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", end, 0))

    entries = [entry("Root Entry", 5, child=1)]
    entries += [entry(name, 2, right=i + 2 if i + 1 < len(streams) else free) for i, name in enumerate(streams)]
    directory = b"".join(entries).ljust(512, b"\0")
    return header + fat_sector + directory


def many_rows(first: int, count: int, text: str = "150.000/120.500", column: str = "C") -> str:
    """Sheet XML rows `first`..`first+count-1`, one inline string cell each (fast to build, unlike a writer)."""
    return "".join(f'<row r="{r}"><c r="{column}{r}" t="inlineStr"><is><t>{text}</t></is></c></row>'
                   for r in range(first, first + count))


def with_rows_below(data: bytes, first: int, count: int) -> bytes:
    """The workbook with `count` more rows at the end of its first sheet."""
    def change(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return content
        return content.replace(b"</sheetData>", many_rows(first, count).encode() + b"</sheetData>")
    return rezip(data, change)


PLAIN = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.'
    'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def plain_workbook(rows: int = 3, title: str = "Bảng tự làm") -> bytes:
    """Some other workbook, not made by the bot: a title and `rows` rows (written as XML, so 100,000 are quick).

    It declares its size (`<dimension>`) as Excel, LibreOffice and XlsxWriter do; without it openpyxl parses a
    whole sheet when opening it, which the unpacked-size limit bounds.
    """
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><dimension ref="A1:A{rows}"/><sheetData>'
             f'<row r="1"><c r="A1" t="inlineStr"><is><t>{title}</t></is></c></row>'
             f"{many_rows(2, rows - 1, column='A')}</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in {**PLAIN, "xl/worksheets/sheet1.xml": sheet}.items():
            z.writestr(name, content)
    return out.getvalue()
