"""What one question accepts (`AnswerSpec`), and the context a parser works in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from storage.values import Shape

from .problems import catalog

_COUNTS_EXAMPLES = {Shape.SHARE_PAIR: "share_pair_counts", Shape.GROWTH: "growth_counts"}


@dataclass(frozen=True)
class AnswerSpec:
    """What one question accepts: its shape, whether counts are required, limits and an example."""

    shape: Shape
    counts_required: bool = False  # RATIO / SHARE_PAIR / GROWTH: refuse a bare percentage, demand the counts
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    max_length: int = 2000  # TEXT
    example: str | None = None  # example answer shown in refusals, e.g. "120.500/150.000"


@dataclass(frozen=True)
class Context:
    """One parse: the question's spec, the user's language (number spelling), and today's date."""

    spec: AnswerSpec
    lang: str
    today: date


def example_key(spec: AnswerSpec, counts: bool = False) -> str:
    """The catalog key of the default example answer for a spec (the counts one when asked for counts)."""
    name = spec.shape.value
    if counts or spec.counts_required:
        name = _COUNTS_EXAMPLES.get(spec.shape, name)
    return f"parse.example.{name}"


def example_for(spec: AnswerSpec, lang: str, counts: bool = False) -> str:
    """The example answer shown in refusals: the spec's own, else the default for its shape."""
    return spec.example or catalog().text(example_key(spec, counts), lang)
