"""Answers made of two numbers: share pairs (65%/35%), ratios (120.500/150.000), growth (1.150/1.000)."""

from __future__ import annotations

import re
from decimal import Decimal

from storage.values import HUNDRED, Basis, Shape, Value

from .limits import check_not_negative, check_range, read_number, show
from .problems import Problem, Refused
from .spec import Context
from .text import fold, shorten

SUM_TOLERANCE = Decimal("0.5")
# The share format_value appends to counts, e.g. "(80,3%)", "(+15%)", "(60%/40%)": accepted and ignored.
_DERIVED = re.compile(r"(?P<main>.*?)(?<!\s)\s*\((?P<derived>[\d\s.,/+\-]*%[\d\s.,%/+\-]*)\)", re.ASCII | re.DOTALL)


def split_derived(text: str) -> tuple[str, bool]:
    """The answer without a trailing derived share in parentheses, and whether there was one."""
    match = _DERIVED.fullmatch(text)
    return (match["main"], True) if match else (text, False)


def split_two(text: str, separators: str) -> tuple[str, str] | None:
    """The two sides of "a/b" (trying each separator in turn), or None."""
    for separator in separators:
        parts = [part.strip() for part in text.split(separator)]
        if len(parts) == 2 and all(parts):
            return parts[0], parts[1]
    return None


def read_two(pair: tuple[str, str], ctx: Context, malformed: Problem) -> tuple[Decimal, Decimal, bool]:
    """Both numbers of a pair, non-negative, and whether either carried a % sign."""
    a, a_percent = read_number(pair[0], ctx, malformed)
    b, b_percent = read_number(pair[1], ctx, malformed)
    check_not_negative(a, ctx)
    check_not_negative(b, ctx)
    return a, b, a_percent or b_percent


def _share_pair_percent(a: Decimal, b: Decimal, ctx: Context) -> Value:
    """Two shares that must add up to 100 (within the tolerance)."""
    if max(a, b) > HUNDRED or abs(a + b - HUNDRED) > SUM_TOLERANCE:
        shown = {k: show(x, ctx.lang) for k, x in (("a", a), ("b", b), ("total", a + b))}
        raise Refused(Problem.SHARE_PAIR_SUM, **shown)
    return Value(Shape.SHARE_PAIR, Basis.PERCENT, a=a, b=b)


def parse_share_pair(text: str, ctx: Context) -> Value:
    """65/35, 65%/35%, 65 - 35 -> two shares; 1.200.000/800.000 (or counts demanded) -> two counts."""
    main, derived = split_derived(text)
    pair = split_two(main, "/-")
    if pair is None:
        raise Refused(Problem.SHARE_PAIR_FORMAT, text=shorten(text))
    a, b, percent = read_two(pair, ctx, Problem.SHARE_PAIR_FORMAT)
    if percent and ctx.spec.counts_required:
        raise Refused(Problem.SHARE_PAIR_COUNTS_REQUIRED)
    is_counts = derived or ctx.spec.counts_required or max(a, b) > HUNDRED
    if percent or not is_counts:
        return _share_pair_percent(a, b, ctx)
    if a + b == 0:
        raise Refused(Problem.SHARE_PAIR_ZERO)
    return Value(Shape.SHARE_PAIR, Basis.COUNTS, a=a, b=b)


def _bare_share(text: str, ctx: Context, malformed: Problem, counts_demanded: Problem) -> Decimal:
    """The single percentage of a ratio or growth typed without counts."""
    if split_derived(text)[1]:
        raise Refused(malformed, text=shorten(text))
    x, _ = read_number(text, ctx, malformed)
    if ctx.spec.counts_required:
        raise Refused(counts_demanded)
    return x


def parse_ratio(text: str, ctx: Context) -> Value:
    """120.500/150.000 -> numerator and denominator; 80,3% -> a bare share unless counts are demanded."""
    main, _ = split_derived(text)
    pair = split_two(main, "/")
    if pair is None:
        share = _bare_share(text, ctx, Problem.RATIO_FORMAT, Problem.RATIO_COUNTS_REQUIRED)
        check_range(share, Decimal(0), HUNDRED, ctx, percent=True)
        return Value(Shape.RATIO, Basis.PERCENT, a=share)
    a, b, percent = read_two(pair, ctx, Problem.RATIO_FORMAT)
    if percent:
        raise Refused(Problem.RATIO_FORMAT, text=shorten(text))
    if b == 0:
        raise Refused(Problem.RATIO_ZERO_DENOMINATOR)
    if a > b:
        raise Refused(Problem.RATIO_NUMERATOR_EXCEEDS, a=show(a, ctx.lang), b=show(b, ctx.lang))
    return Value(Shape.RATIO, Basis.COUNTS, a=a, b=b)


# "tăng 12,5%", "giảm 3%", "tăng trưởng 15%", "âm 3%": the direction in words (matched on the folded text).
_GROWTH_WORD = re.compile(r"(?:tang truong|tang|giam|am|up|down)\s*(?=[\d+-])")
_DOWN_WORDS = ("giam", "am", "down")


def growth_direction(text: str) -> tuple[str, int]:
    """The growth without a leading direction word, and the sign it gives: "giảm 12,5%" -> ("12,5%", -1)."""
    found = _GROWTH_WORD.match(fold(text))
    if found is None:
        return text, 1
    word = found.group(0).strip()
    return text[found.end():].strip(), -1 if word in _DOWN_WORDS else 1


def parse_growth(text: str, ctx: Context) -> Value:
    """+12,5% / -3% / 15 / giảm 3% -> growth in percent (> -100); 1.150/1.000 -> this year's and last year's."""
    typed = text
    text, direction = growth_direction(text)
    if direction < 0 and text[:1] == "+":
        raise Refused(Problem.GROWTH_FORMAT, text=shorten(typed))
    if direction < 0 and text[:1] != "-" and split_two(split_derived(text)[0], "/") is None:
        text = "-" + text
    main, _ = split_derived(text)
    pair = split_two(main, "/")
    if pair is None:
        growth = _bare_share(text, ctx, Problem.GROWTH_FORMAT, Problem.GROWTH_COUNTS_REQUIRED)
        if growth <= -HUNDRED:
            raise Refused(Problem.GROWTH_TOO_LOW, value=show(growth, ctx.lang, percent=True))
        return Value(Shape.GROWTH, Basis.PERCENT, a=growth)
    this_year, last_year, percent = read_two(pair, ctx, Problem.GROWTH_FORMAT)
    if percent:
        raise Refused(Problem.GROWTH_FORMAT, text=shorten(text))
    if last_year == 0:
        raise Refused(Problem.GROWTH_ZERO_BASE)
    return Value(Shape.GROWTH, Basis.COUNTS, a=this_year, b=last_year)
