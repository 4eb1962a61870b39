"""Checks on a returned file's bytes before any spreadsheet code sees them, and the refusal they give.

Limits (documented in the README): at most MAX_BYTES as sent; as a zip, at most MAX_MEMBERS members
unpacking to at most MAX_UNPACKED in all. Python's zipfile never inflates a member past the size its
directory declares, so checking the declared sizes bounds what openpyxl can inflate. XML entity bombs
are stopped by the expat parser itself (2.4+ refuses billion-laughs amplification); external entities
are never fetched by ElementTree.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from conversations.parsing.problems import catalog
from storage.values import fmt_number

MAX_BYTES = 5 * 1024 * 1024  # the unit's workbook is ~20 KB; Phụ lục I with every unit's answers ~2 MB
MAX_UNPACKED = 25 * 1024 * 1024  # openpyxl parses a sheet that does not declare its size: a few seconds at most
MAX_MEMBERS = 500
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE compound file: .xls, or an encrypted .xlsx
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
MACRO_TYPES = (b"macroEnabled", b"vbaProject")


@dataclass(frozen=True)
class Rejected:
    """A file that is not read, with the reason; `problem` is its key in `locales/*/workbook.yaml`."""

    problem: str
    file_name: str
    sha256: str
    params: tuple[tuple[str, str], ...] = ()

    def render(self, lang: str) -> str:
        """The reply in `lang`, naming the file."""
        return catalog().text(self.problem, lang, name=self.file_name, **dict(self.params))


def sha256_of(data: bytes) -> str:
    """The hex SHA-256 kept with every revision saved from the file."""
    return hashlib.sha256(data).hexdigest()


def size_text(n: int, lang: str) -> str:
    """`20 MB`, `5,2 MB`, `12 KB`."""
    if n >= 1024 * 1024:
        return f"{fmt_number(round(n / (1024 * 1024), 1), lang)} MB"
    return f"{fmt_number(max(1, round(n / 1024)), lang)} KB"


def _zip_problem(data: bytes, name: str, lang: str) -> tuple[str, dict[str, str]] | None:
    """What is wrong with the zip container (corrupt, a bomb, macros), or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            unpacked = sum(i.file_size for i in infos)
            if len(infos) > MAX_MEMBERS or unpacked > MAX_UNPACKED:
                return "workbook.file_unpacked_too_large", {"size": size_text(unpacked, lang),
                                                            "limit": size_text(MAX_UNPACKED, lang)}
            names = {i.filename.lower() for i in infos}
            types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError, NotImplementedError):
        return "workbook.file_corrupt", {}
    if name.lower().endswith(MACRO_SUFFIXES) or any(n.rsplit("/", 1)[-1] in MACRO_PARTS for n in names) \
            or any(t in types for t in MACRO_TYPES):
        return "workbook.file_macros", {}
    if "xl/workbook.bin" in names or name.lower().endswith(".xlsb"):
        return "workbook.file_binary", {}
    if "xl/workbook.xml" not in names:
        return "workbook.file_not_workbook", {}
    return None


def check_file(data: bytes, file_name: str, lang: str) -> Rejected | None:
    """Why the file must not be opened, or None when openpyxl may read it."""
    digest = sha256_of(data)
    problem, params = _problem(data, file_name, lang)
    return Rejected(problem, file_name, digest, tuple(params.items())) if problem else None


def _problem(data: bytes, name: str, lang: str) -> tuple[str | None, dict[str, str]]:
    if len(data) > MAX_BYTES:
        return "workbook.file_too_large", {"size": size_text(len(data), lang), "limit": size_text(MAX_BYTES, lang)}
    if not data:
        return "workbook.file_empty", {}
    if data.startswith(CFB_MAGIC):
        return ("workbook.file_encrypted" if ENCRYPTED_MARK in data else "workbook.file_old_excel"), {}
    if not data.startswith(b"PK\x03\x04"):
        return "workbook.file_not_workbook", {}
    found = _zip_problem(data, name, lang)
    return found if found else (None, {})
