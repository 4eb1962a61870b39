"""Answers that are one number: percent, count, number, and a count with its share (7 (2,6%))."""

from __future__ import annotations

import re
from decimal import Decimal

from storage.values import HUNDRED, Basis, Shape, Value

from .limits import check_not_negative, check_range, read_number, show
from .problems import Problem, Refused
from .spec import Context
from .text import shorten

_COUNT_AND_SHARE = re.compile(
    # No two quantifiers next to each other may take the same spaces (that made it cubic on raw whitespace):
    # the count ends on a non-space (or is one space), the share is stripped in code, not by `\s*` around it.
    r"(?P<count>[+-]?(?:[^()\-;]*?[^()\-;\s]|\s))\s*(?:\((?P<paren>[^()]+)\)|[-;](?P<tail>[^()]+))"
)


def parse_percent(text: str, ctx: Context) -> Value:
    """12,5% / 12.5 / 12,5 -> a percentage, 0-100 unless the spec sets other limits."""
    x, _ = read_number(text, ctx)
    low = ctx.spec.min_value if ctx.spec.min_value is not None else Decimal(0)
    high = ctx.spec.max_value if ctx.spec.max_value is not None else HUNDRED
    check_range(x, low, high, ctx, percent=True)
    return Value(Shape.PERCENT, Basis.PERCENT, a=x)


def read_count(text: str, ctx: Context, malformed: Problem = Problem.NOT_A_NUMBER) -> Decimal:
    """A whole number >= 0 typed without a % sign (1.234 -> 1234)."""
    x, percent = read_number(text, ctx, malformed)
    if percent:
        raise Refused(Problem.PERCENT_NOT_ALLOWED, text=shorten(text))
    check_not_negative(x, ctx)
    if x != x.to_integral_value():
        raise Refused(Problem.NOT_WHOLE, value=show(x, ctx.lang))
    return x.to_integral_value()


def parse_count(text: str, ctx: Context) -> Value:
    """1.234 -> a count; fractions, negatives and percentages refused."""
    return Value(Shape.COUNT, Basis.VALUE, a=read_count(text, ctx))


def parse_number_answer(text: str, ctx: Context) -> Value:
    """A decimal >= 0 (money, scores); negative only when the spec's minimum allows it."""
    x, percent = read_number(text, ctx)
    if percent:
        raise Refused(Problem.PERCENT_NOT_ALLOWED, text=shorten(text))
    if ctx.spec.min_value is None or ctx.spec.min_value >= 0:
        check_not_negative(x, ctx)
    return Value(Shape.NUMBER, Basis.VALUE, a=x)


def _refuse_lone(text: str, ctx: Context) -> Refused:
    """The refusal for a count-and-share answer that gave only one of the two."""
    try:
        x, percent = read_number(text, ctx, Problem.COUNT_SHARE_FORMAT)
    except Refused as refused:
        return refused
    if percent:
        return Refused(Problem.COUNT_SHARE_MISSING_COUNT, share=show(x, ctx.lang, percent=True))
    return Refused(Problem.COUNT_SHARE_MISSING_SHARE, count=show(x, ctx.lang))


def parse_count_share(text: str, ctx: Context) -> Value:
    """7 (2,6%) / 7 - 2,6% / 7; 2,6% -> a count and its share."""
    match = _COUNT_AND_SHARE.fullmatch(text)
    if match is None:
        raise _refuse_lone(text, ctx)
    count = read_count(match["count"], ctx, Problem.COUNT_SHARE_FORMAT)
    share_typed = (match["paren"].strip() or match["paren"][:1]) if match["paren"] else \
        (match["tail"].lstrip() or match["tail"][-1:])
    share, _ = read_number(share_typed, ctx, Problem.COUNT_SHARE_FORMAT)
    check_range(share, Decimal(0), HUNDRED, ctx, percent=True)
    return Value(Shape.COUNT_SHARE, Basis.VALUE, a=count, b=share)
