"""Period codes and the names people use for them: `2026-Q4` ⇄ "Quý IV/2026", `2026` ⇄ "Năm 2026".

Pure functions (no database), shared by the dialogue and the reports: whatever a person types —
`2026-Q4`, `Q4/2026`, `quý IV/2026`, `quy 4 nam 2026`, `năm 2026`, `6 tháng đầu năm 2026`,
`tháng 3/2026` — is read as the same code, and every period is shown by its name.
"""

from __future__ import annotations

import re
import unicodedata

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ROMAN_OF = {v: k.upper() for k, v in ROMAN.items()}
_CODE = re.compile(r"^(\d{4})(?:[-/ ]?([QHM])(\d{1,2}))?$")
_SLOT_FIRST = re.compile(r"^([QHM])(\d{1,2})[-/ ](\d{4})$")
_SEP = r"(?:\s*[/.-]\s*|\s+nam\s+|\s+)"  # "/", "-", " năm ", a space
_PHRASES = (  # folded text (no diacritics, lower case) and the kind of slot it names
    (re.compile(rf"^(?:quy|q)\s*(iv|iii|ii|i|[1-4]){_SEP}(\d{{4}})$"), "Q"),
    (re.compile(r"^(iv|iii|ii|i)\s*/\s*(\d{4})$"), "Q"),
    (re.compile(r"^(?:6|sau) thang (dau|cuoi)(?: nam)?\s*(\d{4})$"), "H"),
    (re.compile(rf"^thang\s*(\d{{1,2}}){_SEP}(\d{{4}})$"), "M"),
    (re.compile(r"^nam\s*(\d{4})$"), "Y"),
)
MAX_WORDS = 5  # "6 tháng đầu năm 2026"


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), spaces collapsed."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn").lower().split())


def _slot(kind: str, first: str) -> str | None:
    if kind == "Q":
        n = ROMAN.get(first) or (int(first) if first.isdigit() else 0)
        return f"Q{n}" if 1 <= n <= 4 else None
    if kind == "H":
        return "H1" if first == "dau" else "H2"
    if kind == "M":
        return f"M{int(first):02d}" if 1 <= int(first) <= 12 else None
    return None


def read_period(text: str) -> str | None:
    """The period code a person typed, or None: `2026-Q4` for `quý IV/2026`, `2026` for `năm 2026`."""
    raw = text.strip().upper()
    if m := _CODE.match(raw):
        return _code(m[1], m[2], m[3])
    if m := _SLOT_FIRST.match(raw):
        return _code(m[3], m[1], m[2])
    folded = fold(text)
    for pattern, kind in _PHRASES:
        if m := pattern.match(folded):
            if kind == "Y":
                return m[1]
            slot = _slot(kind, m[1])
            return f"{m[2]}-{slot}" if slot else None
    return None


def _code(year: str, letter: str | None, number: str | None) -> str | None:
    if not letter:
        return year
    n = int(number or 0)
    limit = {"Q": 4, "H": 2, "M": 12}[letter]
    if not 1 <= n <= limit:
        return f"{year}-{letter}{n}"  # kept as typed: "không có kỳ 2031-Q7" names what was asked
    return f"{year}-{letter}{n:02d}" if letter == "M" else f"{year}-{letter}{n}"


def with_codes(words: list[str]) -> list[str]:
    """Words with every period phrase replaced by its code (`quý`, `IV/2026` → `2026-Q4`); others kept."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            code = read_period(" ".join(words[i:i + n]))
            if code is not None and (n > 1 or _plain_code(words[i])):
                out.append(code)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _plain_code(word: str) -> bool:
    """One word standing alone for a period: a code (`2026-Q4`, `Q4/2026`, `2026`, `IV/2026`)."""
    return read_period(word) is not None


def period_name(code: str, lang: str = "vi") -> str:
    """`Quý IV/2026`, `Năm 2026`, `6 tháng đầu năm 2026`, `Tháng 3/2026` (English: `Q4 2026`, `Year 2026`)."""
    year, _, slot = code.partition("-")
    vi = lang != "en"
    if not slot or slot == "Y":
        return f"Năm {year}" if vi else f"Year {year}"
    letter, number = slot[0], slot[1:]
    if letter == "Q" and number.isdigit() and int(number) in ROMAN_OF:
        return f"Quý {ROMAN_OF[int(number)]}/{year}" if vi else f"Q{number} {year}"
    if letter == "H" and number in ("1", "2"):
        if vi:
            return f"6 tháng {'đầu' if number == '1' else 'cuối'} năm {year}"
        return f"{'First' if number == '1' else 'Second'} half of {year}"
    if letter == "M" and number.isdigit():
        return f"Tháng {int(number)}/{year}" if vi else f"Month {int(number)} of {year}"
    return code
