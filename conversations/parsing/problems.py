"""What can be wrong with an answer: one enum of refusal keys, and the polite sentence for each."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from storage.i18n import DEFAULT_LANG, Catalog

# conversations/locales: parse.yaml sits there next to the other conversation sentences.
LOCALES = Path(__file__).resolve().parents[1] / "locales"


class Problem(StrEnum):
    """Every refusal the parsers can give; the value is its key in `locales/*/parse.yaml`."""

    EMPTY = "parse.empty"
    NO_CONTENT = "parse.no_content"
    NOT_A_NUMBER = "parse.not_a_number"
    NUMBER_TOO_LONG = "parse.number_too_long"
    NEGATIVE = "parse.negative"
    NOT_WHOLE = "parse.not_whole"
    PERCENT_NOT_ALLOWED = "parse.percent_not_allowed"
    OUT_OF_RANGE = "parse.out_of_range"
    BELOW_MIN = "parse.below_min"
    ABOVE_MAX = "parse.above_max"
    SHARE_PAIR_FORMAT = "parse.share_pair_format"
    SHARE_PAIR_FORMAT_COUNTS = "parse.share_pair_format_counts"
    SHARE_PAIR_SUM = "parse.share_pair_sum"
    SHARE_PAIR_COUNTS_REQUIRED = "parse.share_pair_counts_required"
    SHARE_PAIR_ZERO = "parse.share_pair_zero"
    RATIO_FORMAT = "parse.ratio_format"
    RATIO_FORMAT_COUNTS = "parse.ratio_format_counts"
    RATIO_COUNTS_REQUIRED = "parse.ratio_counts_required"
    RATIO_NUMERATOR_EXCEEDS = "parse.ratio_numerator_exceeds"
    RATIO_ZERO_DENOMINATOR = "parse.ratio_zero_denominator"
    GROWTH_FORMAT = "parse.growth_format"
    GROWTH_FORMAT_COUNTS = "parse.growth_format_counts"
    GROWTH_COUNTS_REQUIRED = "parse.growth_counts_required"
    GROWTH_ZERO_BASE = "parse.growth_zero_base"
    GROWTH_TOO_LOW = "parse.growth_too_low"
    COUNT_SHARE_FORMAT = "parse.count_share_format"
    COUNT_SHARE_MISSING_SHARE = "parse.count_share_missing_share"
    COUNT_SHARE_MISSING_COUNT = "parse.count_share_missing_count"
    YES_NO_UNKNOWN = "parse.yes_no_unknown"
    TEXT_TOO_LONG = "parse.text_too_long"
    DATE_FORMAT = "parse.date_format"
    DATE_INVALID = "parse.date_invalid"


# On a question that demands counts, a malformed answer gets the hint that offers counts only (never a share).
COUNTS_ONLY = {Problem.SHARE_PAIR_FORMAT: Problem.SHARE_PAIR_FORMAT_COUNTS, Problem.RATIO_FORMAT:
               Problem.RATIO_FORMAT_COUNTS, Problem.GROWTH_FORMAT: Problem.GROWTH_FORMAT_COUNTS}

# Problems about counts: their refusal shows the counts example even when the question also takes a share.
ABOUT_COUNTS = frozenset({Problem.SHARE_PAIR_ZERO, Problem.GROWTH_ZERO_BASE})


def catalog() -> Catalog:
    """The message catalog of the `conversations` package (parse.yaml and its neighbours)."""
    return Catalog.load(LOCALES)


@dataclass(frozen=True)
class Refusal:
    """A specific, polite explanation of what was wrong with an answer, with an example to type."""

    key: str
    params: tuple[tuple[str, str], ...] = ()

    def render(self, lang: str = DEFAULT_LANG) -> str:
        """The sentence in `lang`, placeholders filled in."""
        return catalog().text(self.key, lang, **dict(self.params))


class Refused(Exception):
    """Raised inside the parsers; `parse_answer` turns it into a `Refusal`."""

    def __init__(self, problem: Problem, **params: str) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.params = params

    def refusal(self, example: str) -> Refusal:
        """The refusal to hand back, with the example every message may show."""
        return Refusal(self.problem.value, (*self.params.items(), ("example", example)))
