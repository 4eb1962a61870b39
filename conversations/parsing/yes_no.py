"""Yes/no answers typed loosely: Có, co, c, ok, ✓, Dạ không, chưa ạ, đã có..."""

from __future__ import annotations

import re
from decimal import Decimal

from storage.values import Basis, Shape, Value

from .keywords import (
    NO_SYMBOLS,
    NO_WORDS,
    NONE_PHRASES,
    OPENERS,
    PARTICLES,
    YES_PHRASES,
    YES_SYMBOLS,
    YES_WORDS,
)
from .problems import Problem, Refused
from .spec import Context
from .text import fold, has_content, shorten

_TOKEN = re.compile(r"[^\W_]+|[" + "".join(sorted(YES_SYMBOLS | NO_SYMBOLS)) + "]")
_NONE_ONLY = re.compile(r"[\w\s.,;:!?/\"'«»“”-]*")
YES = Value(Shape.YES_NO, Basis.VALUE, a=Decimal(1))
NO = Value(Shape.YES_NO, Basis.VALUE, a=Decimal(0))


def _words(text: str) -> list[str]:
    """The folded words and check marks of an answer, without politeness particles or an opener."""
    words = [w for w in _TOKEN.findall(fold(text)) if w not in PARTICLES]
    if len(words) > 1 and words[0] in OPENERS:
        words = words[1:]
    return words


def _meaning(words: list[str]) -> bool | None:
    """True for yes, False for no, None when unknown or contradictory ("có không")."""
    yes = YES_WORDS | YES_SYMBOLS
    no = NO_WORDS | NO_SYMBOLS
    if " ".join(words) in YES_PHRASES:
        return True
    if words and all(w in yes for w in words):
        return True
    if words and words[0] in no and all(w in yes | no for w in words):
        return False
    return None


def says_none(text: str) -> bool:
    """True when a free-text answer says there is nothing to report: `không có`, `ko co`, `Dạ không ạ`.

    Only words and sentence punctuation: "Không có 👍" is kept as typed.
    """
    if _NONE_ONLY.fullmatch(text) is None:
        return False
    return " ".join(_words(text.replace("/", ""))) in NONE_PHRASES


def answer_meaning(text: str) -> bool | None:
    """True when `text` says yes (ừ, vâng, đúng rồi, ok…), False for no (không, chưa…), else None."""
    return _meaning(_words(text))


def parse_yes_no(text: str, ctx: Context) -> Value:
    """có/yes/✓/đã/rồi/ok -> a=1; không/ko/chưa/sai/no -> a=0 (case and diacritics optional)."""
    meaning = _meaning(_words(text))
    if meaning is not None:
        return YES if meaning else NO
    if not has_content(text):
        raise Refused(Problem.NO_CONTENT, text=shorten(text))
    raise Refused(Problem.YES_NO_UNKNOWN, text=shorten(text))
