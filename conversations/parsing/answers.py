"""`parse_answer`: from what a focal person typed to a `Value`, or a `Refusal` saying what to type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from storage.values import Shape, Value

from .dates import parse_date
from .limits import check_spec_limits
from .pairs import parse_growth, parse_ratio, parse_share_pair
from .problems import ABOUT_COUNTS, COUNTS_ONLY, Problem, Refusal, Refused, catalog
from .singles import parse_count, parse_count_share, parse_number_answer, parse_percent
from .spec import AnswerSpec, Context, example_for
from .text import clean_text, has_content, normalise, shorten, tidy
from .yes_no import parse_yes_no, says_none

Parser = Callable[[str, Context], Value]

PARSERS: dict[Shape, Parser] = {
    Shape.SHARE_PAIR: parse_share_pair,
    Shape.RATIO: parse_ratio,
    Shape.PERCENT: parse_percent,
    Shape.GROWTH: parse_growth,
    Shape.COUNT: parse_count,
    Shape.COUNT_SHARE: parse_count_share,
    Shape.NUMBER: parse_number_answer,
    Shape.DATE: parse_date,
}


def parse_text(text: str, ctx: Context) -> Value:
    """Free text kept as typed (control characters removed, ends stripped), at most max_length.

    "Nothing to report" typed alone (`không có`, `ko co`, `Dạ không ạ`) is the form's own wording «Không có».
    """
    kept = clean_text(text)
    if says_none(kept):  # judged on what would be kept: «K» plus an invisible character is still «K»
        return Value(Shape.TEXT, text=catalog().text("dialogue.none_text", ctx.lang))
    if len(kept) > ctx.spec.max_length:
        raise Refused(Problem.TEXT_TOO_LONG, length=str(len(kept)), limit=str(ctx.spec.max_length))
    return Value(Shape.TEXT, text=kept)


def _parse(text: str, ctx: Context) -> Value:
    """Dispatch on the shape after the checks every answer shares (empty, only emoji/punctuation)."""
    normalised = normalise(text)
    if not normalised:
        raise Refused(Problem.EMPTY)
    if ctx.spec.shape is Shape.YES_NO:
        return parse_yes_no(normalised, ctx)
    if not has_content(normalised):
        raise Refused(Problem.NO_CONTENT, text=shorten(normalised))
    if ctx.spec.shape is Shape.TEXT:
        return parse_text(text, ctx)
    value = PARSERS[ctx.spec.shape](tidy(normalised), ctx)
    check_spec_limits(value, ctx)
    return value


def parse_answer(text: str, spec: AnswerSpec, today: date | None = None, lang: str = "vi") -> Value | Refusal:
    """The answer `text` as a `Value` of `spec.shape`, or a `Refusal` naming what was wrong.

    `lang` only settles the ambiguous number spellings ("1,234" is 1.234 in "vi", 1234 in "en")
    and the spelling of numbers and examples inside refusals.
    """
    ctx = Context(spec, lang, today or date.today())
    try:
        return _parse(text, ctx)
    except Refused as refused:
        if ctx.spec.counts_required and refused.problem in COUNTS_ONLY:
            refused.problem = COUNTS_ONLY[refused.problem]
        return refused.refusal(example_for(spec, lang, counts=refused.problem in ABOUT_COUNTS))
