"""Asking a collected unit back for a correction: the request is kept and its focal persons are told."""

from __future__ import annotations

from conversations.chain.args import parse_args
from conversations.chain.notify import focal_persons, notify
from conversations.chain.rounds import RoundView, open_rounds
from conversations.messages import Button, TextOut
from conversations.parsing import echo
from conversations.turn import TEXTS, Turn
from storage.models import CorrectionRequest, SubmissionStatus, Unit

ASKING_BACK = "asking_back"
REASON_LIMIT = 1000


def _round_of(turn: Turn, unit: Unit, form: str | None, period: str | None) -> RoundView | None:
    """The person's open round that collects from `unit` (the latest, unless named)."""
    views = [v for v in open_rounds(turn) if any(s.unit.id == unit.id for s in v.units)
             and (form is None or v.spec.code == form) and (period is None or v.period.code == period)]
    return views[-1] if views else None


def ask_back(turn: Turn, args: str) -> None:
    """`/yeucausua ĐƠNVỊ [KỲ] [BIỂU] nội dung`: ask the unit to correct what it sent (asks for the text if none)."""
    a = parse_args(turn, args, free_text=True)
    if a.unit is None:
        turn.say(turn.t("chain.ask_usage"))
        return
    view = _round_of(turn, a.unit, a.form, a.period)
    state = next((s for s in view.units if s.unit.id == a.unit.id), None) if view else None
    if view is None or state is None:
        turn.say(turn.t("chain.not_your_unit", unit=a.unit.code))
        return
    if not state.sent:
        turn.say(turn.t("chain.ask_not_sent", unit=a.unit.name, period=view.period.code))
        return
    if not a.rest:
        turn.state.leave()
        turn.state.mode = ASKING_BACK
        turn.state.pending = {"unit": a.unit.id, "period": view.period.id, "form": view.spec.code}
        turn.say(turn.t("chain.ask_reason", unit=a.unit.name), buttons=[[turn.button("chain.btn_cancel", "cmd:huy")]])
        return
    record(turn, view, a.unit, " ".join(a.rest))


def on_reason(turn: Turn, text: str) -> None:
    """The text typed after `/yeucausua ĐƠNVỊ`: what the unit should correct."""
    pending = turn.state.pending or {}
    unit = turn.uow.units.get(int(pending.get("unit", 0)))
    period = turn.uow.periods.get(int(pending.get("period", 0)))
    turn.state.leave()
    view = _round_of(turn, unit, pending.get("form"), period.code) if unit and period else None
    if view is None or unit is None:
        turn.say(turn.t("dialogue.lost_place"))
        return
    record(turn, view, unit, text)


def record(turn: Turn, view: RoundView, unit: Unit, reason: str) -> None:
    """Store the request and tell the unit's focal persons, with a button to open their answers."""
    reason = " ".join(reason.split())[:REASON_LIMIT]
    sub = turn.uow.submissions.get(unit.id, view.period.id)
    assert sub is not None and sub.status == SubmissionStatus.SUBMITTED
    turn.uow.chain.add_correction(CorrectionRequest(
        period_id=view.period.id, unit_id=unit.id, collector_id=view.collector.id, submission_id=sub.id,
        reason=reason, requested_by=turn.person.id if turn.person else None, requested_at=turn.now, status="open"))
    form = view.spec.definition.short_title or view.spec.code

    def make(lang: str) -> TextOut:
        return TextOut(TEXTS.text("chain.asked_body", lang, collector=view.collector.name, unit=unit.name,
                                  period=view.period.code, reason=reason, ref=sub.reference or ""),
                       TEXTS.text("chain.asked_title", lang, form=form, period=view.period.code),
                       ((Button(TEXTS.text("chain.btn_correct", lang), f"open:{unit.id}:{view.period.id}"),),))

    reached = notify(turn, focal_persons(turn, unit), make)
    key = "chain.ask_sent" if reached else "chain.ask_sent_nobody"
    turn.say(turn.t(key, unit=unit.name, people=", ".join(reached), reason=echo(reason, 200)))
