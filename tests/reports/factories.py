"""Answers stored the way the dialogue stores them (parsed from typed text, through the repository)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from bot.app import App
from conversations.forms import FormCache
from conversations.parsing import Refusal, parse_answer
from storage.models import SubmissionStatus
from storage.repositories import AnswerChange
from storage.uow import UnitOfWork
from tests.helpers.clock import vn

FORMS = FormCache()


def fill(uow: UnitOfWork, unit: str, form: str, period: str, answers: Mapping[str, str], *,
         provisional: Iterable[str] = (), notes: Mapping[str, str] | None = None,
         comparisons: Mapping[str, str] | None = None, sent: bool = True, on_time: bool = True,
         at: datetime | None = None, person_id: int | None = None) -> None:
    """Store `answers` (typed text by question key) for `unit` in `form` `period`, sent unless told not."""
    u, p, f = uow.units.by_code(unit), uow.periods.by_code(form, period), uow.forms.latest(form)
    assert u and p and f, (unit, form, period)
    spec = FORMS.get(uow, f.id)
    sub = uow.submissions.ensure(u.id, p.id, f.id)
    provisional = set(provisional)
    for key, text in answers.items():
        if text is None:
            uow.submissions.change(sub, key, AnswerChange("skip", skipped=True), person_id, "test")
            continue
        value = parse_answer(text, spec.question(key).answer)
        assert not isinstance(value, Refusal), (key, text, value)
        change = AnswerChange("answer", raw_text=text, value=value, provisional=key in provisional,
                              note=(notes or {}).get(key), comparison=(comparisons or {}).get(key))
        uow.submissions.change(sub, key, change, person_id, "test")
    uow.submissions.publish(sub)  # a sent submission filled again counts as sent again (issue 11 §2)
    if sent:
        sub.status, sub.on_time = SubmissionStatus.SUBMITTED, on_time
        sub.submitted_at = at or vn(2026, 11, 20, 10, 0)
        sub.reference = f"{form}-{period}-{unit}"


def filled(app: App, *rows: tuple) -> None:
    """Several `fill` calls in one committed unit of work: rows of (unit, form, period, answers, kwargs)."""
    with app.uow() as uow:
        for row in rows:
            unit, form, period, answers, *rest = row
            fill(uow, unit, form, period, answers, **(rest[0] if rest else {}))
        uow.commit()
