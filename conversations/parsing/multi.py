"""Several answers in one message: `1: 65/35; 2: 120.500/150.000`, one per line, pasted from Word, by heading.

`split_answers(text, refs)` cuts a message into (question key, text) pieces and reports what it could not
place. A piece starts where a line (or a `;`-separated part) begins with a reference to a question:

- a number with a word before it: `ct1 65/35`, `câu 2 - 80,3%`, `Chỉ tiêu 2: …`, `mục III: …`;
- a bare number followed by `:`, `=`, `)`, `. ` or ` - `: `1: 65/35`, `2. 120.500/150.000`, `III. …`;
- a heading: the question's name followed by `:` or the end of the line (`Khó khăn: …`, `Đề xuất`).

Word's bullets and tabs before a reference are ignored. Lines without a reference continue the piece
before them when it is free text (a section's numbered list stays in its section: inside a section only a
heading, a roman number, a number with a word or the number of another section starts a new piece); a `;`
part without a reference stays with the part before it (`8: 7; 2,6%`). Pure functions, no I/O: the caller parses each piece.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .text import fold

_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_BULLETS = re.compile(r"^(?:[•◦▪▫●○■□►▸‣⁃∙·\uf0b7\uf0a7\uf076\uf0d8\uf0fc✓✔]\s*|[-–—*+>]\s+)+")
_WORD = r"chi\s*tieu|ct|cau|muc|phan|c|#"
_PREFIXED = re.compile(
    rf"(?P<word>{_WORD})\s*(?:\.\s*)?(?P<num>\d{{1,3}}|[ivx]{{1,6}})(?P<sub>\.[a-z](?![a-z\d]))?"
    r"(?P<sep>\s*[:=)\].,]\s*|\s*[-–—]\s+|\s+|$)")
_BARE = re.compile(
    r"(?P<num>\d{1,3}|[IVX]{1,6})(?P<sub>\.[a-z](?![a-z\d]))?"
    r"(?P<sep>\s*[:=)\]]\s*|\.(?:\s+|$)|\s+[-–—]\s+|\t\s*|$)")
_HEADING_END = re.compile(r"\s*(?:[:.\-–—]\s*|$)")
_NAME_END = re.compile(r"\s*(?:[:\-–—]\s*|$)")
_ROMAN = re.compile(r"[IVX]+(?:\.[A-Za-z])?", re.IGNORECASE)
MIN_NAME = 4


@dataclass(frozen=True)
class Ref:
    """A question a person may name: its key, its number (`1`, `III`, `III.b`), headings, free text or not."""

    key: str
    number: str | None
    names: tuple[str, ...] = ()
    is_text: bool = False


@dataclass(frozen=True)
class Piece:
    """One answer found in the message: the question and the text typed for it."""

    key: str
    text: str
    reference: str  # as typed: "ct1", "câu 2", "III", "Khó khăn"
    explicit: bool = True  # named by a word, a roman number or a heading (not a bare "1.")


@dataclass(frozen=True)
class Unplaced:
    """A part of the message that names no question of the form (`reference` None) or an unknown one."""

    text: str
    reference: str | None = None


@dataclass(frozen=True)
class Split:
    """What `split_answers` found, in the order typed."""

    pieces: tuple[Piece, ...]
    unplaced: tuple[Unplaced, ...]
    starts_with_reference: bool


@dataclass(frozen=True)
class _Found:
    ref: Ref | None  # None: a reference to a question the form does not have
    reference: str
    rest: str
    explicit: bool  # not a bare arabic number (those are list items inside a section)


@dataclass
class _Open:
    """A piece being collected: its question (None for an unknown reference) and its parts with separators."""

    ref: Ref | None
    reference: str
    parts: list[tuple[str, str]]
    typed: list[str]  # the parts as typed, to quote back an unknown reference
    explicit: bool

    @property
    def is_text(self) -> bool:
        return self.ref is not None and self.ref.is_text

    def text(self) -> str:
        return "".join(sep + part for sep, part in self.parts).strip()


def _nfc_fold(text: str) -> str:
    return fold(unicodedata.normalize("NFKC", text))


class _Refs:
    """The questions' numbers, keys and names, folded for matching (longest name first)."""

    def __init__(self, refs: Sequence[Ref]) -> None:
        self.by_number = {_nfc_fold(r.number): r for r in refs if r.number}
        self.names_of = {r.key: sorted({_nfc_fold(n) for n in (*r.names, r.key) if len(n) >= MIN_NAME},
                                       key=len, reverse=True) for r in refs}
        by_ref = [(name, r) for r in refs for name in self.names_of[r.key]]
        self.names = sorted(by_ref, key=lambda item: -len(item[0]))

    def number(self, num: str, sub: str | None) -> Ref | None:
        return self.by_number.get(_nfc_fold(num + (sub or "")))


def _lines(text: str) -> list[str]:
    """The message's lines, NFKC (so NFC), invisible format characters removed, bullets stripped."""
    out = []
    for line in _BREAKS.sub("\n", text).split("\n"):
        line = unicodedata.normalize("NFKC", line)
        line = "".join(c for c in line if unicodedata.category(c) not in ("Cc", "Cf") or c == "\t")
        out.append(_BULLETS.sub("", line.strip()).strip())
    return out


def _strip_heading(rest: str, names: list[str]) -> str:
    """`III. Đánh giá xu hướng: …` -> `…`: the question's own name after its number is a heading."""
    folded = fold(rest)
    for name in names:
        if folded.startswith(name):
            end = _HEADING_END.match(rest, len(name))
            if end:
                return rest[end.end():]
    return rest


def _by_name(part: str, refs: _Refs) -> _Found | None:
    folded = fold(part)
    for name, ref in refs.names:
        if folded.startswith(name):
            end = _NAME_END.match(part, len(name))
            if end:
                return _Found(ref, part[: len(name)], part[end.end():].strip(), True)
    return None


def _by_number(part: str, refs: _Refs) -> _Found | None:
    m = _PREFIXED.match(fold(part))
    explicit = True
    if m is None or (m["num"][0] in "ivx" and m["word"] not in ("muc", "phan")):
        m = _BARE.match(part)
        if m is None:
            return None
        explicit = bool(_ROMAN.fullmatch(m["num"]))
    ref = refs.number(m["num"], m["sub"])
    rest = part[m.end():]
    if ref is not None:
        stripped = _strip_heading(rest, refs.names_of[ref.key])
        explicit = explicit or stripped != rest
        rest = stripped
    return _Found(ref, part[: m.end()].strip(" :=.)]-–—\t"), rest.strip(), explicit)


def _reference(part: str, refs: _Refs) -> _Found | None:
    """The question `part` starts with, if any."""
    return _by_name(part, refs) or _by_number(part, refs)


class _Builder:
    """Collects pieces while walking the parts of the message."""

    def __init__(self, refs: _Refs) -> None:
        self.refs = refs
        self.open: list[_Open] = []
        self.loose: list[tuple[int, Unplaced]] = []  # parts before/between pieces that name nothing
        self.first_has_reference: bool | None = None

    def part(self, part: str, sep: str) -> None:
        """One line (sep "\\n") or `;` part (sep "; ") of the message."""
        if not part:
            return
        found = _reference(part, self.refs)
        if found is not None and self.open and self.open[-1].is_text and not found.explicit \
                and not (found.ref is not None and found.ref.is_text and found.ref is not self.open[-1].ref):
            found = None  # "1. …" inside a section is an item of its list (unless it names another section)
        if self.first_has_reference is None:
            self.first_has_reference = found is not None
        if found is not None:
            self.open.append(_Open(found.ref, found.reference, [("", found.rest)] if found.rest else [], [part],
                                   found.explicit))
        elif self.open and (self.open[-1].is_text or not self.open[-1].parts or sep == "; "):
            self.open[-1].parts.append((sep if self.open[-1].parts else "", part))
            self.open[-1].typed.append(part)
        else:
            self.loose.append((len(self.open), Unplaced(part)))

    def split(self) -> Split:
        pieces = tuple(Piece(o.ref.key, o.text(), o.reference, o.explicit) for o in self.open if o.ref is not None)
        unknown = [(i, Unplaced(" ".join(o.typed), o.reference))
                   for i, o in enumerate(self.open) if o.ref is None]
        unplaced = tuple(u for _, u in sorted([*self.loose, *unknown], key=lambda item: item[0]))
        return Split(pieces, unplaced, bool(self.first_has_reference))


def split_answers(text: str, refs: Sequence[Ref]) -> Split:
    """The (question, text) pieces of a message, and the parts that name no question of `refs`."""
    builder = _Builder(_Refs(refs))
    for line in _lines(text):
        parts = line.split(";")
        builder.part(parts[0].strip(), "\n")
        for part in parts[1:]:
            builder.part(part.strip(), "; ")
    return builder.split()
