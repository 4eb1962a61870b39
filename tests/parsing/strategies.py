"""Hypothesis strategies for the parsing tests: messy typed text, question specs, and valid values per shape."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from conversations.parsing import AnswerSpec, normalise
from conversations.parsing.text import clean_text, has_content
from conversations.parsing.yes_no import says_none
from storage.values import Basis, Shape, Value

HUNDRED = Decimal(100)
LANGS = st.sampled_from(["vi", "en"])

# --- typed text -------------------------------------------------------------------------------------------
FRAGMENTS = [
    *"0123456789",
    *"０１２３４５６７８９",
    *".,%/-+();: ",
    "1.234",
    "1,5",
    "12,5%",
    "65/35",
    " (",
    "%)",
    "\u00a0",
    "\u200b",
    "\u200f",
    "\u202e",
    "\ufeff",
    "\t",
    "\n",
    "−",
    "–",
    "％",
    "／",
    "👍",
    "🙂",
    "✓",
    "✔️",
    "❌",
    "có",
    "không",
    "ạ",
    "tạm",
    "x",
    "k",
    "NaN",
    "Infinity",
    "e",
    "ngày",
    "tháng",
    "năm",
    "٣",
    "½",
]
TYPED_NUMBER = st.one_of(
    st.from_regex(r"\A[+\-−]?\d{1,4}(?:[., ]\d{1,3}){0,3}(?: ?%)?\Z"),
    st.from_regex(r"\A[1-9]\d{0,2}(?:\.\d{3}){0,3}(?:,\d{1,2})?%?\Z"),  # well-formed Vietnamese numbers
)
SHAPED = st.one_of(
    TYPED_NUMBER,
    st.tuples(TYPED_NUMBER, st.sampled_from(["/", " / ", "-", " - ", "; "]), TYPED_NUMBER).map("".join),
    st.tuples(TYPED_NUMBER, st.just(" ("), TYPED_NUMBER, st.sampled_from(["%)", ")", "%/", "%)%"])).map(
        "".join
    ),
    st.from_regex(r"\A\d{1,4}[/.\-]\d{1,2}(?:[/.\-]\d{1,4})?\Z"),
)


def typed_text() -> st.SearchStrategy[str]:
    """Anything a person might type, weighted towards almost-valid answers."""
    messy = st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join)
    return st.one_of(st.text(), messy, SHAPED)


def limits() -> st.SearchStrategy[Decimal | None]:
    """An optional lower or upper limit of a spec."""
    return st.none() | st.decimals(min_value=-(10**6), max_value=10**6, places=3)


def specs(shape: Shape | None = None) -> st.SearchStrategy[AnswerSpec]:
    """Any spec, for one shape or for all."""
    return st.builds(
        AnswerSpec,
        shape=st.just(shape) if shape else st.sampled_from(list(Shape)),
        counts_required=st.booleans(),
        min_value=limits(),
        max_value=limits(),
        max_length=st.sampled_from([1, 5, 50, 2000]),
        example=st.none() | st.text(max_size=12),
    )


# --- valid values -----------------------------------------------------------------------------------------
def decimals(low: int, high: int, max_places: int = 3) -> st.SearchStrategy[Decimal]:
    """Decimals in [low, high] with at most `max_places` decimals (so at most 15 significant digits)."""
    return st.integers(0, max_places).flatmap(
        lambda p: st.integers(low * 10**p, high * 10**p).map(lambda n: Decimal(n).scaleb(-p))
    )


SHARES = decimals(0, 100)
AMOUNTS = decimals(0, 10**12)
WHOLE = st.integers(0, 10**15 - 1).map(Decimal)


def _share_pairs() -> st.SearchStrategy[Value]:
    jitter = decimals(-50, 50, 0).map(lambda j: j / 100)
    percent = st.builds(lambda a, j: (a, HUNDRED - a + j), SHARES, jitter).filter(
        lambda p: 0 <= p[1] <= HUNDRED
    )
    counts = st.tuples(AMOUNTS, AMOUNTS).filter(lambda p: p[0] + p[1] > 0)
    return st.one_of(
        percent.map(lambda p: Value(Shape.SHARE_PAIR, Basis.PERCENT, *p)),
        counts.map(lambda p: Value(Shape.SHARE_PAIR, Basis.COUNTS, *p)),
    )


def _ratios() -> st.SearchStrategy[Value]:
    counts = st.tuples(AMOUNTS, AMOUNTS).map(sorted).filter(lambda p: p[1] > 0)
    return st.one_of(
        SHARES.map(lambda a: Value(Shape.RATIO, Basis.PERCENT, a)),
        counts.map(lambda p: Value(Shape.RATIO, Basis.COUNTS, *p)),
    )


def _growths() -> st.SearchStrategy[Value]:
    percent = st.integers(0, 3).flatmap(
        lambda p: st.integers(-100 * 10**p + 1, 10**6 * 10**p).map(lambda n: Decimal(n).scaleb(-p))
    )
    counts = st.tuples(AMOUNTS, AMOUNTS).filter(lambda p: p[1] > 0)
    return st.one_of(
        percent.map(lambda a: Value(Shape.GROWTH, Basis.PERCENT, a)),
        counts.map(lambda p: Value(Shape.GROWTH, Basis.COUNTS, *p)),
    )


def _texts() -> st.SearchStrategy[Value]:
    kept = st.text(min_size=1, max_size=300).map(clean_text)
    # "ko co", "K": the parser reads "nothing to report" as the form's «Không có», never kept as typed
    kept = kept.filter(lambda t: has_content(normalise(t)) and not says_none(t))
    return kept.map(lambda t: Value(Shape.TEXT, text=t))


VALUES: dict[Shape, st.SearchStrategy[Value]] = {
    Shape.SHARE_PAIR: _share_pairs(),
    Shape.RATIO: _ratios(),
    Shape.PERCENT: SHARES.map(lambda a: Value(Shape.PERCENT, Basis.PERCENT, a)),
    Shape.GROWTH: _growths(),
    Shape.COUNT: WHOLE.map(lambda a: Value(Shape.COUNT, Basis.VALUE, a)),
    Shape.COUNT_SHARE: st.builds(lambda a, b: Value(Shape.COUNT_SHARE, Basis.VALUE, a, b), WHOLE, SHARES),
    Shape.NUMBER: AMOUNTS.map(lambda a: Value(Shape.NUMBER, Basis.VALUE, a)),
    Shape.YES_NO: st.sampled_from([Decimal(0), Decimal(1)]).map(
        lambda a: Value(Shape.YES_NO, Basis.VALUE, a)
    ),
    Shape.TEXT: _texts(),
    Shape.DATE: st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(
        lambda d: Value(Shape.DATE, text=d.isoformat())
    ),
}


def _spec_for(value: Value) -> st.SearchStrategy[AnswerSpec]:
    """A spec that accepts `value`: counts may be demanded of a counts-based value."""
    counts_required = st.booleans() if value.basis is Basis.COUNTS else st.just(False)
    return st.builds(AnswerSpec, shape=st.just(value.shape), counts_required=counts_required)


def valid_answers(shape: Shape | None = None) -> st.SearchStrategy[tuple[Value, AnswerSpec]]:
    """A valid value and a spec that accepts it."""
    values = VALUES[shape] if shape else st.one_of(*VALUES.values())
    return values.flatmap(lambda v: _spec_for(v).map(lambda spec: (v, spec)))
