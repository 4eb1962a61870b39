"""Every sentence reports show, from `reports/locales/{vi,en}/*.yaml`; numbers via `storage.values`."""

from __future__ import annotations

from datetime import date, datetime

from storage.i18n import Catalog, locales_of

TEXTS = Catalog.load(locales_of(__file__))


def t(key: str, lang: str = "vi", **params: object) -> str:
    """The sentence `key` in `lang` with `{params}` filled in."""
    return TEXTS.text(key, lang, **params)


def day(d: date | None) -> str:
    """dd/mm/yyyy, or an em dash."""
    return d.strftime("%d/%m/%Y") if d else "—"


def moment(at: datetime | None) -> str:
    """HH:MM dd/mm/yyyy (already in local time), or an em dash."""
    return at.strftime("%H:%M %d/%m/%Y") if at else "—"


def due_range(first: date, last: date) -> str:
    """`05/10/2026`, or `25/11–30/12/2026` when due dates differ by collecting level."""
    if first == last:
        return day(first)
    head = first.strftime("%d/%m") if first.year == last.year else day(first)
    return f"{head}–{day(last)}"
