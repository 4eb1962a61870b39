"""The whole engine under hypothesis: any text typed at a question of each shape the catalog uses gives
either the stored value (exactly what the parser makes of it) or a specific Vietnamese refusal — never an
exception, never a stored value that differs, never a lost place in the dialogue.

The fast variant runs in the normal suite; the slow one (`make test-faults`) drives SLOW_EXAMPLES messages
per shape through `DialogueService`, one unit of work each, on SQLite. Each message costs a full turn
(5–12 ms here), so 10,000 per shape (80,000 turns, 10–15 CPU-minutes on this machine) does not fit
the 10-minute budget of `make test-faults`; the default keeps the run near two minutes on two cores, and
`CHITIEU_FUZZ_EXAMPLES=10000` runs the full count (e.g. nightly). The parsers alone are fuzzed at 10,000 per
shape in tests/parsing/test_properties.py.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import App
from conversations.messages import ButtonIn, Inbound, TextIn, TextOut
from conversations.parsing import Refusal, parse_answer, split_provisional
from storage.models import AnswerRevision
from storage.values import Shape, Value, format_value
from tests.helpers.app import invite, make_app
from tests.helpers.chat import Chat
from tests.helpers.figures import figure
from tests.parsing.strategies import VALUES, typed_text

TODAY = date(2026, 11, 21)
SLOW_EXAMPLES = int(os.environ.get("CHITIEU_FUZZ_EXAMPLES", "1500"))
FAST_EXAMPLES = 100


@dataclass(frozen=True)
class Place:
    """A question of one shape: which unit answers it, which form and period, how to reach it."""

    shape: str
    unit: str
    form: str
    period: str
    key: str
    before: tuple[str, ...]  # answers typed to reach the question


# Each shape the shipped catalog asks, at its first question of that shape.
PLACES = {p.shape: p for p in (
    Place("share_pair", "QUANGTRI", "CL", "2026-Q4", "ct1", ()),
    Place("ratio", "QUANGTRI", "CL", "2026-Q4", "ct2", ("62/38", "skip")),
    Place("text", "QUANGTRI", "CL", "2026-Q4", "trend", ("62/38", "skip", "120.500/150.000", "skip")),
    Place("growth", "CBC", "CL", "2026-Q4", "ct3", ()),
    Place("count", "CBC", "CL", "2026-Q4", "ct7", ("1.150/1.000", "skip", "30%", "skip", "450/800", "skip",
                                                   "180/300", "skip")),
    Place("count_share", "CBC", "CL", "2026-Q4", "ct8", ("1.150/1.000", "skip", "30%", "skip", "450/800", "skip",
                                                         "180/300", "skip", "8", "skip")),
    Place("yes_no", "QT-BAO", "CDS", "2026", "ke_hoach", ()),
    Place("number", "QT-BAO", "CDS", "2026", "truong_thanh", ("có", "có", "có", "có", "có", "20%", "3.200/12.500",
                                                              "45/45", "có", "15%")),
)}


class Harness:
    """One focal person parked at one question; each example is one message through the service."""

    def __init__(self, app: App, place: Place) -> None:
        self.app, self.place = app, place
        self.chat = Chat(app.dialogue_service(), f"fuzz-{place.shape}")
        self.chat.send(f"/start {invite(app, place.unit)}")
        self.chat.send(f"/nop {place.form} {place.period}")
        for answer in place.before:
            self.chat.event(ButtonIn(f"skip:{self.key_on_screen()}")) if answer == "skip" else self.chat.send(answer)
        assert self.key_on_screen() == place.key, (place, self.chat.text)
        with app.uow() as uow:
            unit, period = uow.units.by_code(place.unit), uow.periods.by_code(place.form, place.period)
            self.submission_id = uow.submissions.get(unit.id, period.id).id
            self.spec = self.chat.service.forms.get(uow, uow.submissions.get(unit.id, period.id).form_id)
        self.question = self.spec.question(place.key)
        self.title = next(r.title for r in self.chat.replies if isinstance(r, TextOut) and r.title)
        self.inputs = self.stored = self.refused = self.commands = 0
        self.dirty, self.history = False, deque(maxlen=6)
        self.first_revisions = self.revisions()

    def on_screen(self) -> tuple[str | None, str | None]:
        """(question key, step) the person is at."""
        with self.app.uow() as uow:
            identity = uow.people.identity(self.chat.sender.channel, self.chat.sender.user_id)
            state = uow.dialogues.load(identity.id)
            return state.get("key"), state.get("step")

    def key_on_screen(self) -> str | None:
        return self.on_screen()[0]

    def at_question(self) -> bool:
        return self.on_screen() == (self.place.key, "value")

    def answer(self) -> tuple[str | None, bool] | None:
        with self.app.uow() as uow:
            a = uow.submissions.answers(self.submission_id).get(self.place.key)
            return (a.value, a.provisional) if a else None

    def check(self, text: str) -> None:
        """Send `text` at the question; the engine's answer must match what the parser makes of it."""
        self.inputs += 1
        if self.dirty:  # the previous example failed half-way: start again from the question
            self.restore()
        self.dirty = True
        clean = "".join(c for c in text if c != "\x00" and not "\ud800" <= c <= "\udfff")
        typed_button = _is_typed_button(self.state(), clean)  # «GUI:LUON» at a question is «Gửi luôn», not an answer
        # One message through the service, as the console channel sends it (no update id to deduplicate):
        # an exception here is a crash and fails the test.
        self.chat.replies = [q.reply for q in self.chat.service.handle(Inbound(self.chat.sender, TextIn(text)))]
        self.history.append((text, self.chat.text[:160]))
        replies = [r for r in self.chat.replies if isinstance(r, TextOut)]
        assert replies, f"no reply to {text!r}"
        if typed_button or _is_command(clean):
            self.commands += 1
            self.restore()
            self.dirty = False
            return
        body, provisional = split_provisional(clean) if not self.question.is_section else (clean, False)
        expected = parse_answer(body, self.question.answer, TODAY, "vi")
        if isinstance(expected, Refusal):
            self.refused += 1
            said = self.chat.text
            assert f"Chưa hợp lệ: {expected.render('vi')}" in said, (text, said)
            assert len(replies) == 1 and replies[0].title == self.title, f"{text!r} moved the dialogue: {said}"
            if self.inputs % 250 == 0:
                self.audit()
            self.dirty = False
            return
        self.stored += 1
        if "Xác nhận" in " ".join(self.chat.labels):  # far from the previous period: confirm first
            self.chat.press("Xác nhận")
        assert "Đã lưu" in self.chat.text, (text, self.chat.text, list(self.history))
        value, stored_provisional = self.answer() or (None, False)
        assert Value.from_json(value) == expected, f"{text!r}: stored {value}, the parser says {expected}"
        assert stored_provisional == provisional, (text, list(self.history))
        self.restore()
        self.dirty = False

    def state(self) -> dict:
        with self.app.uow() as uow:
            identity = uow.people.identity(self.chat.sender.channel, self.chat.sender.user_id)
            return uow.dialogues.load(identity.id)

    def restore(self) -> None:
        """Back to the question the way a person gets there: ⬅, /nop, or «Sửa một câu» on the review."""
        for _ in range(6):
            state = self.state()
            if (state.get("key"), state.get("step")) == (self.place.key, "value"):
                return
            mode = state.get("mode")
            if mode == "answering" and state.get("key") == self.place.key:
                self.chat.event(ButtonIn(f"back:{self.place.key}"))  # from the comparison, note or outlier step
            elif mode == "review":
                self.chat.event(ButtonIn(f"edit:{self.submission_id}"))
            elif mode == "picking":
                self.chat.event(ButtonIn(f"pick:{self.place.key}"))
            elif state.get("submission_id") == self.submission_id:
                self.chat.event(ButtonIn(f"review:{self.submission_id}"))
            else:
                self.chat.send(f"/nop {self.place.form} {self.place.period}")
        assert self.at_question(), (self.state(), self.chat.text)

    def revisions(self) -> int:
        with self.app.uow() as uow:
            return uow.session.scalar(select(func.count()).select_from(AnswerRevision).where(
                AnswerRevision.submission_id == self.submission_id,
                AnswerRevision.question_key == self.place.key)) or 0

    def audit(self) -> None:
        """Still at the question, and exactly one revision per accepted answer: refusals wrote nothing."""
        assert self.at_question(), self.on_screen()
        assert self.revisions() == self.first_revisions + self.stored, (self.revisions(), self.stored)


def _is_typed_button(state: dict, text: str) -> bool:
    """The text stands for a button of the step on screen (or a step word), as the engine reads it first."""
    from conversations.flows.typed import match
    from conversations.state import State

    data = match(State.from_dict(state), text)
    return data is not None and not data.startswith("say:")  # «Có»/«Không» of a yes/no question are answers


def _is_command(text: str) -> bool:
    from conversations.commands import match_command

    return match_command(text) is not None


def texts(shape: str) -> st.SearchStrategy[str]:
    """Messy text, any text, and valid answers of the shape as a person writes them (some marked provisional)."""
    valid = VALUES[Shape(shape)].map(lambda v: format_value(v, "vi"))
    return st.one_of(typed_text(), st.text(max_size=300), valid, valid.map(lambda t: f"{t} tạm"),
                     st.sampled_from(["tạm", "62/38 tạm", "có", "Không ạ", "/huy", "xem", "nop"]))


@pytest.fixture(scope="module")
def harnesses(catalog_template, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Harness]]:  # noqa: ANN001
    app = make_app(catalog_template.fresh(tmp_path_factory.mktemp("fuzz")), load=False)
    yield {shape: Harness(app, place) for shape, place in PLACES.items()}
    app.close()


def run(harness: Harness, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(text=texts(harness.place.shape))
    def fuzz(text: str) -> None:
        harness.check(text)

    harness.first_revisions, harness.stored = harness.revisions(), 0  # other harnesses share some submissions
    fuzz()
    harness.audit()
    figure(f"[fuzz] shape={harness.place.shape} inputs={harness.inputs} stored={harness.stored} "
          f"refused={harness.refused} commands={harness.commands} crashes=0")


@pytest.mark.parametrize("shape", list(PLACES))
def test_engine_never_crashes_and_stores_what_the_parser_accepts(harnesses: dict[str, Harness], shape: str) -> None:
    run(harnesses[shape], FAST_EXAMPLES)


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(PLACES))
def test_engine_fuzz_slow_per_shape(harnesses: dict[str, Harness], shape: str) -> None:
    run(harnesses[shape], SLOW_EXAMPLES)

