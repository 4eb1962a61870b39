"""What an analyst typed after a chain command: form, period, unit codes in any order, then free words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from conversations.turn import Turn
from storage.models import Unit

_PERIOD = re.compile(r"^(\d{4})(?:[-/ ]?([QHM]\d{1,2}))?$")
_SLOT_FIRST = re.compile(r"^([QHM]\d{1,2})[-/](\d{4})$")


def period_token(token: str) -> str | None:
    """`2026-Q3` for `2026q3`, `Q3/2026`; `2026` for a year; None for anything else."""
    text = token.strip().upper()
    if m := _PERIOD.match(text):
        return f"{m[1]}-{m[2]}" if m[2] else m[1]
    if m := _SLOT_FIRST.match(text):
        return f"{m[2]}-{m[1]}"
    return None


@dataclass(frozen=True)
class Args:
    """Parsed arguments: `confirm` for the `ok` of a confirmation button."""

    form: str | None = None
    period: str | None = None
    unit: Unit | None = None
    rest: tuple[str, ...] = ()
    confirm: bool = False


def parse_args(turn: Turn, args: str, free_text: bool = False) -> Args:
    """Codes first (any order); with `free_text`, everything after the first other word is kept as typed."""
    forms = {f.code for f in turn.uow.forms.latest_all()}
    form = period = unit = None
    confirm = False
    words = args.split()
    for i, word in enumerate(words):
        if word.upper() in forms and form is None:
            form = word.upper()
        elif (code := period_token(word)) and period is None:
            period = code
        elif word.lower() == "ok" and not free_text:
            confirm = True
        elif unit is None and (found := turn.uow.units.by_code(word)) is not None:
            unit = found
        else:
            return Args(form, period, unit, tuple(words[i:]), confirm)
    return Args(form, period, unit, (), confirm)
