"""Properties: parse_answer never raises, and values survive format_value -> parse_answer unchanged.

The default runs are small (the folder stays fast). The `slow` fuzz runs 10,000 typed inputs per shape
(never raises, and whatever is accepted round-trips); the generated-valid-value round trip runs 3,000
per shape there, which keeps `make test-faults` within its ten minutes.
"""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.parsing import AnswerSpec, Refusal, normalise, parse_answer, parse_number
from storage.values import Shape, Value, format_value

from .strategies import LANGS, specs, typed_text, valid_answers

TODAY = date(2026, 11, 20)
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
SLOW_ROUND_TRIP = settings(SLOW, max_examples=3_000)
SHAPES = list(Shape)


def assert_never_raises(text: str, spec: AnswerSpec, lang: str) -> None:
    """Any text gives a Value of the spec's shape or a Refusal that renders in both languages."""
    answer = parse_answer(text, spec, today=TODAY, lang=lang)
    if isinstance(answer, Refusal):
        assert answer.render("vi") and answer.render("en")
    else:
        assert isinstance(answer, Value) and answer.shape is spec.shape


def assert_accepted_round_trips(text: str, spec: AnswerSpec, lang: str) -> None:
    """Whatever is accepted comes back unchanged from its own formatting."""
    answer = parse_answer(text, spec, today=TODAY, lang=lang)
    if isinstance(answer, Value):
        assert parse_answer(format_value(answer, lang), spec, today=TODAY, lang=lang) == answer


def assert_value_round_trips(value: Value, spec: AnswerSpec, lang: str) -> None:
    """A valid value, formatted the way a person writes it, parses back to itself."""
    assert parse_answer(format_value(value, lang), spec, today=TODAY, lang=lang) == value


# --- fast runs (default) ----------------------------------------------------------------------------------
@FAST
@given(text=typed_text(), spec=specs(), lang=LANGS)
def test_parse_answer_never_raises(text: str, spec: AnswerSpec, lang: str) -> None:
    assert_never_raises(text, spec, lang)


@FAST
@given(text=typed_text(), spec=specs(), lang=LANGS)
def test_accepted_values_round_trip(text: str, spec: AnswerSpec, lang: str) -> None:
    assert_accepted_round_trips(text, spec, lang)


@FAST
@given(answer=valid_answers(), lang=LANGS)
def test_valid_values_round_trip(answer: tuple[Value, AnswerSpec], lang: str) -> None:
    assert_value_round_trips(*answer, lang)


@FAST
@given(text=typed_text(), lang=LANGS)
def test_parse_number_never_raises(text: str, lang: str) -> None:
    parse_number(text, lang)


@FAST
@given(text=st.text())
def test_normalise_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


# --- slow runs (pytest -m slow) ------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
def test_parse_answer_never_raises_at_length(shape: Shape) -> None:
    @SLOW
    @given(text=typed_text(), spec=specs(shape), lang=LANGS)
    def run(text: str, spec: AnswerSpec, lang: str) -> None:
        assert_never_raises(text, spec, lang)
        assert_accepted_round_trips(text, spec, lang)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
def test_valid_values_round_trip_at_length(shape: Shape) -> None:
    @SLOW_ROUND_TRIP
    @given(answer=valid_answers(shape), lang=LANGS)
    def run(answer: tuple[Value, AnswerSpec], lang: str) -> None:
        assert_value_round_trips(*answer, lang)

    run()
