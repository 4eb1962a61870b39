"""Finding what a focal person can fill in, and opening a submission as a Sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from conversations.chain.access import answering_units, may_answer
from conversations.forms import FormSpec
from conversations.render import Sheet
from conversations.turn import Turn
from storage.models import Period, Submission, SubmissionStatus, Unit


@dataclass(frozen=True)
class Option:
    """An open (unit, period) the person may answer, with its form and due date."""

    unit: Unit
    period: Period
    spec: FormSpec
    due: date
    submission: Submission | None


def due_for(turn: Turn, unit: Unit, period: Period) -> date:
    """The unit's due date for the period (it may depend on who collects from the unit)."""
    return period.due_for(turn.uow.units.collector_kind(unit))


def open_options(turn: Turn) -> list[Option]:
    """Every open period of every form that applies to the person's focal units, soonest due first."""
    options: list[Option] = []
    periods = turn.uow.periods.open_on(turn.today)
    latest = {f.code: f for f in turn.uow.forms.latest_all()}
    for unit in answering_units(turn):  # an analyst writes the own part of a unit that collects
        if unit.active_to is not None and unit.active_to < turn.today:
            continue
        for period in periods:
            form = latest.get(period.form_code)
            if form is None:
                continue
            spec = turn.forms.get(turn.uow, form.id)
            if not spec.asked(unit.kind, period.slot) or not may_answer(turn, unit, period, spec):
                continue
            sub = turn.uow.submissions.get(unit.id, period.id)
            options.append(Option(unit, period, spec, due_for(turn, unit, period), sub))
    return sorted(options, key=lambda o: (o.due, o.unit.code))


def open_sheet(turn: Turn, unit: Unit, period: Period) -> Sheet:
    """The unit's submission for the period (created as a draft on the newest form version)."""
    sub = turn.uow.submissions.get(unit.id, period.id, lock=True)
    if sub is None:
        form = turn.uow.forms.latest(period.form_code)
        assert form is not None
        sub = turn.uow.submissions.ensure(unit.id, period.id, form.id)
    return sheet_of(turn, sub)


def sheet_of(turn: Turn, sub: Submission) -> Sheet:
    """A Sheet for an existing submission (on the form version it was started with)."""
    spec = turn.forms.get(turn.uow, sub.form_id)
    period = turn.uow.periods.get(sub.period_id)
    unit = turn.uow.units.get(sub.unit_id)
    assert period is not None and unit is not None
    return Sheet(sub, spec, period, unit, spec.asked(unit.kind, period.slot))


def current_sheet(turn: Turn, lock: bool = True) -> Sheet | None:
    """The sheet the state points at, if the person may still work on it."""
    if turn.state.submission_id is None:
        return None
    sub = turn.uow.submissions.by_id(turn.state.submission_id, lock=lock)
    if sub is None:
        return None
    sheet = sheet_of(turn, sub)
    return sheet if may_answer(turn, sheet.unit, sheet.period, sheet.spec) else None


def editable_sheet(turn: Turn, need_question: bool = False) -> Sheet | None:
    """The sheet being worked on if answers may still change; otherwise say why, leave, and return None."""
    sheet = current_sheet(turn)
    if sheet is None or (need_question and turn.state.key is None):
        turn.state.leave()
        turn.say(turn.t("dialogue.lost_place"))
        return None
    if is_locked(turn, sheet):
        turn.state.leave()
        turn.say(turn.t("dialogue.locked", period=sheet.period.code))
        return None
    return sheet


def is_locked(turn: Turn, sheet: Sheet) -> bool:
    """True after the period's lock date: answers can no longer change."""
    return turn.today > sheet.period.lock_on


def status_text(turn: Turn, option: Option) -> str:
    """`chưa bắt đầu`, `nháp 3/8`, `đã gửi` or `đã gửi, có thay đổi chưa gửi lại`."""
    sub = option.submission
    if sub is None:
        return turn.t("dialogue.status_new")
    if sub.status == SubmissionStatus.SUBMITTED:
        from conversations.flows.changes import changed_keys

        changed = changed_keys(turn, sheet_of(turn, sub))
        return turn.t("dialogue.status_sent_changed" if changed else "dialogue.status_sent")
    asked = option.spec.asked(option.unit.kind, option.period.slot)
    answers = turn.uow.submissions.answers(sub.id)
    done = sum(1 for q in asked if q.key in answers and (answers[q.key].value or answers[q.key].skipped))
    return turn.t("dialogue.status_draft", done=done, total=len(asked))
