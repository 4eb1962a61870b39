"""Checking a number against its limits, and showing numbers inside refusals."""

from __future__ import annotations

from decimal import Decimal

from storage.values import Shape, Value, fmt_number, fmt_percent

from .numbers import MAX_SIGNIFICANT, NotANumber, TooManyDigits, scan_number, split_percent
from .problems import Problem, Refused
from .spec import Context
from .text import shorten

_SHARE_SHAPES = (Shape.PERCENT, Shape.RATIO, Shape.SHARE_PAIR, Shape.GROWTH)
_BOUNDED_SHAPES = (*_SHARE_SHAPES, Shape.COUNT, Shape.COUNT_SHARE, Shape.NUMBER)


def show(x: Decimal, lang: str, percent: bool = False) -> str:
    """A number as the user would write it (12,5 or 12,5%), long fractions cut to 2 places."""
    exponent = x.as_tuple().exponent
    places = 2 if isinstance(exponent, int) and exponent < -4 else None
    return fmt_percent(x, lang, places) if percent else fmt_number(x, lang, places)


def read_number(text: str, ctx: Context, malformed: Problem = Problem.NOT_A_NUMBER) -> tuple[Decimal, bool]:
    """The number in `text` and whether it carried a % sign; refuse with `malformed` if unreadable."""
    body, percent = split_percent(text)
    try:
        return scan_number(body, ctx.lang), percent
    except TooManyDigits:
        raise Refused(Problem.NUMBER_TOO_LONG, text=shorten(text), limit=str(MAX_SIGNIFICANT)) from None
    except NotANumber:
        raise Refused(malformed, text=shorten(text)) from None


def check_range(x: Decimal, low: Decimal | None, high: Decimal | None, ctx: Context, percent: bool) -> None:
    """Refuse `x` outside [low, high], naming the range (either end may be open)."""
    if (low is None or x >= low) and (high is None or x <= high):
        return
    shown = {"value": show(x, ctx.lang, percent)}
    if low is not None:
        shown["low"] = show(low, ctx.lang, percent)
    if high is not None:
        shown["high"] = show(high, ctx.lang, percent)
    if low is not None and high is not None:
        raise Refused(Problem.OUT_OF_RANGE, **shown)
    raise Refused(Problem.BELOW_MIN if high is None else Problem.ABOVE_MAX, **shown)


def check_not_negative(x: Decimal, ctx: Context) -> None:
    """Refuse a negative number where only zero or more makes sense."""
    if x < 0:
        raise Refused(Problem.NEGATIVE, value=show(x, ctx.lang))


def check_spec_limits(value: Value, ctx: Context) -> None:
    """Refuse a value whose headline number (share, growth, count) is outside the spec's limits."""
    spec = ctx.spec
    if value.shape not in _BOUNDED_SHAPES or (spec.min_value is None and spec.max_value is None):
        return
    number = value.number
    if number is not None:
        check_range(number, spec.min_value, spec.max_value, ctx, value.shape in _SHARE_SHAPES)
