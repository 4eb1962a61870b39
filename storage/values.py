"""Typed answer values: the shapes an indicator can take, how they are stored and shown.

A parsed answer is a `Value`. It is stored as JSON plus two numeric columns (`a`, `b`) and a
`basis`, so reports can aggregate in SQL (sum numerators and denominators) without parsing JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from babel.numbers import format_decimal


class Shape(StrEnum):
    """The value shapes of DOMAIN.md, one per kind of answer a question accepts."""

    SHARE_PAIR = "share_pair"  # 65%/35% (adds up to 100) or two counts 1.200.000/800.000
    RATIO = "ratio"  # numerator/denominator 120.500/150.000, or a bare share 80,3%
    PERCENT = "percent"  # 12,5%
    GROWTH = "growth"  # +12,5% against last year, or this year's count/last year's count
    COUNT = "count"  # whole number >= 0
    COUNT_SHARE = "count_share"  # 7 (2,6%)
    NUMBER = "number"  # decimal >= 0 (money, scores)
    YES_NO = "yes_no"
    TEXT = "text"
    DATE = "date"


class Basis(StrEnum):
    """What `a` and `b` hold: percentages, raw counts, or a single value."""

    PERCENT = "percent"
    COUNTS = "counts"
    VALUE = "value"


HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Value:
    """One parsed answer. `a`/`b` meaning depends on shape and basis (see `share`)."""

    shape: Shape
    basis: Basis = Basis.VALUE
    a: Decimal | None = None
    b: Decimal | None = None
    text: str | None = None

    @property
    def share(self) -> Decimal | None:
        """The headline percentage of a share-like value (first share of a pair), else None."""
        if self.shape is Shape.SHARE_PAIR:
            if self.basis is Basis.COUNTS:
                total = (self.a or 0) + (self.b or 0)
                return (self.a or 0) * HUNDRED / total if total else None
            return self.a
        if self.shape is Shape.RATIO:
            if self.basis is Basis.COUNTS:
                return (self.a or 0) * HUNDRED / self.b if self.b else None
            return self.a
        if self.shape is Shape.COUNT_SHARE:
            return self.b
        if self.shape is Shape.GROWTH:
            return self.growth
        if self.shape is Shape.PERCENT:
            return self.a
        return None

    @property
    def growth(self) -> Decimal | None:
        """Growth in percent for GROWTH values (from counts when given)."""
        if self.shape is not Shape.GROWTH:
            return None
        if self.basis is Basis.COUNTS:
            return ((self.a or 0) - self.b) * HUNDRED / self.b if self.b else None
        return self.a

    @property
    def number(self) -> Decimal | None:
        """The single number a chart or comparison uses for this value."""
        if self.shape in (Shape.COUNT, Shape.NUMBER, Shape.COUNT_SHARE):
            return self.a
        if self.shape is Shape.YES_NO:
            return self.a
        return self.share

    @property
    def flag(self) -> bool | None:
        """The yes/no of a YES_NO value."""
        return None if self.shape is not Shape.YES_NO else self.a == 1

    def to_json(self) -> str:
        """Serialise to the JSON stored in answers and revisions."""
        return json.dumps(
            {
                "shape": self.shape.value,
                "basis": self.basis.value,
                "a": _dec_str(self.a),
                "b": _dec_str(self.b),
                "text": self.text,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> Value:
        """Rebuild a value written by `to_json`."""
        data = json.loads(raw)
        return cls(
            shape=Shape(data["shape"]),
            basis=Basis(data.get("basis", "value")),
            a=_str_dec(data.get("a")),
            b=_str_dec(data.get("b")),
            text=data.get("text"),
        )


def _dec_str(x: Decimal | None) -> str | None:
    return None if x is None else str(x)


def _str_dec(x: str | None) -> Decimal | None:
    return None if x is None else Decimal(x)


YES_NO_WORDS = {"vi": ("Có", "Không"), "en": ("Yes", "No")}
LOCALES = {"vi": "vi_VN", "en": "en_US"}


def fmt_number(x: Decimal | int | float, lang: str = "vi", places: int | None = None) -> str:
    """Format a number the Vietnamese (1.234,5) or English (1,234.5) way, keeping all digits by default."""
    d = Decimal(str(x)) if not isinstance(x, Decimal) else x
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places)) if places > 0 else d.quantize(Decimal(1))
        d = d.normalize() if d == d.to_integral_value() else d
    exponent = d.normalize().as_tuple().exponent
    digits = max(0, -exponent) if isinstance(exponent, int) else 0
    if places is not None:
        digits = min(digits, places)
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(d, format=pattern, locale=LOCALES.get(lang, "vi_VN"), group_separator=True)


def fmt_percent(x: Decimal | None, lang: str = "vi", places: int | None = None, signed: bool = False) -> str:
    """Format a percentage as `12,5%` (optionally `+12,5%`)."""
    if x is None:
        return "—"
    sign = "+" if signed and x > 0 else ""
    return f"{sign}{fmt_number(x, lang, places)}%"


def format_value(value: Value, lang: str = "vi") -> str:
    """Show a value as a person would write it; the answer parsers accept this text back."""
    s = value.shape
    if s is Shape.SHARE_PAIR:
        if value.basis is Basis.COUNTS:
            total = (value.a or 0) + (value.b or 0)
            derived = ""
            if total:
                pa = value.a * HUNDRED / total
                derived = f" ({fmt_percent(pa, lang, 1)}/{fmt_percent(HUNDRED - pa, lang, 1)})"
            return f"{fmt_number(value.a, lang)}/{fmt_number(value.b, lang)}{derived}"
        return f"{fmt_percent(value.a, lang)}/{fmt_percent(value.b, lang)}"
    if s is Shape.RATIO:
        if value.basis is Basis.COUNTS:
            return f"{fmt_number(value.a, lang)}/{fmt_number(value.b, lang)} ({fmt_percent(value.share, lang, 1)})"
        return fmt_percent(value.a, lang)
    if s is Shape.PERCENT:
        return fmt_percent(value.a, lang)
    if s is Shape.GROWTH:
        if value.basis is Basis.COUNTS:
            return f"{fmt_number(value.a, lang)}/{fmt_number(value.b, lang)} ({fmt_percent(value.growth, lang, 1, signed=True)})"
        return fmt_percent(value.a, lang, signed=True)
    if s is Shape.COUNT_SHARE:
        return f"{fmt_number(value.a, lang)} ({fmt_percent(value.b, lang)})"
    if s in (Shape.COUNT, Shape.NUMBER):
        return fmt_number(value.a, lang)
    if s is Shape.YES_NO:
        yes, no = YES_NO_WORDS.get(lang, YES_NO_WORDS["vi"])
        return yes if value.a == 1 else no
    if s is Shape.DATE:
        d = date.fromisoformat(value.text or "")
        return d.strftime("%d/%m/%Y")
    return value.text or ""
