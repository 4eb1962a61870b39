"""Provisional figures (số liệu tạm ước tính): find the marker, hand back the answer without it."""

from __future__ import annotations

import re

from .keywords import PROVISIONAL_PHRASES, PROVISIONAL_SYMBOLS
from .text import fold, normalise

_PHRASES = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(r"\s+".join(map(re.escape, fold(p).split())) for p in PROVISIONAL_PHRASES)
    + r")(?![^\W\d_])|["
    + re.escape(PROVISIONAL_SYMBOLS)
    + "]"
)


def _spellings_by_fold() -> dict[str, set[str]]:
    """The right spellings of each marker word, by its folded form ("so" -> {"số", "sơ"})."""
    spellings: dict[str, set[str]] = {}
    for word in " ".join(PROVISIONAL_PHRASES).split():
        spellings.setdefault(fold(word), set()).add(word)
    return spellings


_SPELLINGS = _spellings_by_fold()
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_LEADING = re.compile(r"^(?:[\s,;:]|\.(?=\s)|-(?=\s))+")
# The lookbehind starts a match only where a run of separators starts: one try per run, not one per character
# (without it, `x` + 200,000 spaces + `y` took seconds). The same care in multi, dates, singles and pairs: no two
# adjacent quantifiers that can both take the same whitespace.
_TRAILING = re.compile(r"(?<![\s,;:\-(\[])[\s,;:\-(\[]+$")


def _typed_as_marker(typed: str) -> bool:
    """True when each word is spelled without diacritics or with the right ones ("tạm", not "tâm")."""
    for word in typed.lower().split():
        folded = fold(word)
        if word != folded and word not in _SPELLINGS.get(folded, ()):
            return False
    return True


def _marker_spans(text: str) -> list[tuple[int, int]]:
    """Where the provisional markers are in `text` (a normalised answer)."""
    found = _PHRASES.finditer(fold(text))
    return [m.span() for m in found if _typed_as_marker(text[m.start() : m.end()])]


def _tidy_rest(rest: str) -> str:
    """The answer left once the markers are cut out: no empty brackets or dangling separators."""
    rest = _EMPTY_BRACKETS.sub(" ", rest)
    rest = _TRAILING.sub("", _LEADING.sub("", rest))
    return " ".join(rest.split())


def split_provisional(text: str) -> tuple[str, bool]:
    """The answer without its provisional marker, and whether it had one: "12,5% tạm" -> ("12,5%", True).

    Also "tạm ước tính 12,5", "12,5 (tam)", "~12", "khoảng 12". Meant for numeric answers, before `parse_answer`; the answer comes back normalised.
    """
    text = normalise(text)
    spans = _marker_spans(text)
    if not spans:
        return text, False
    kept, last = [], 0
    for start, end in spans:  # joined once: cutting the markers out one by one copied the text per marker
        kept.append(text[last:start])
        last = end
    kept.append(text[last:])
    return _tidy_rest(" ".join(kept)), True
