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


def plain_workbook(rows: int = 3, title: str = "Bảng tự làm") -> bytes:
    """Some other workbook, not made by the bot."""
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    ws = wb.add_worksheet()
    ws.write_string(0, 0, title)
    for r in range(1, rows):
        ws.write_number(r, 0, r)
        ws.write_string(r, 1, "65/35")
    wb.close()
    return out.getvalue()
