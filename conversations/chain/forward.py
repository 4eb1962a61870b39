"""Forwarding a roll-up upward: the confirmation, then the record, the receipt and the notice above."""

from __future__ import annotations

from conversations.chain.notify import analysts, notify
from conversations.chain.rounds import RoundView, recipient_name
from conversations.chain.texts import due_text
from conversations.messages import Button, TextOut
from conversations.turn import TEXTS, Turn
from storage.models import Forwarding, SubmissionStatus


def confirm(turn: Turn, view: RoundView) -> None:
    """What would be forwarded, what is still missing, and the button that forwards."""
    to = recipient_name(turn.uow, view)
    lines = [due_text(turn, view, to), turn.t("chain.received", received=view.received, total=len(view.units))]
    missing = [s.unit.name for s in view.units if not s.sent]
    if missing:
        lines.append(turn.t("chain.still_missing", units=", ".join(missing)))
    asked = sum(s.open_corrections for s in view.units)
    if asked:
        lines.append(turn.t("chain.still_asked", count=asked))
    lines.append(turn.t("chain.confirm_forward", to=to))
    ref = f"{view.spec.code} {view.period.code} {view.collector.code}"
    turn.say("\n".join(lines), title=turn.t("chain.forward_title", form=view.spec.definition.short_title
                                             or view.spec.code, period=view.period.code, unit=view.collector.name),
             buttons=[[turn.button("chain.btn_forward_ok", f"cmd:guilen ok {ref}")],
                      [turn.button("chain.btn_review", f"cmd:duyet {ref}")]])


def forward(turn: Turn, view: RoundView) -> None:
    """Record the forwarding (first time, count, reference), tell the level above, give the receipt."""
    rec = turn.uow.chain.ensure_round(view.collector.id, view.period.id)
    count = rec.forward_count + 1
    reference = f"TH-{view.spec.code}-{view.period.code.replace('-', '')}-{view.collector.code}-{count:02d}"
    on_time = None if view.due is None else turn.today <= view.due
    person = turn.person.id if turn.person else None
    if rec.forwarded_at is None:
        rec.forwarded_at, rec.on_time, rec.due_on = turn.now, on_time, view.due
    rec.last_forwarded_at, rec.forward_count, rec.reference, rec.forwarded_by = turn.now, count, reference, person
    rec.changed_at = rec.changed_units = None
    subs = [s.submission for s in view.units if s.sent] + ([view.own] if view.own else [])
    included = [{"unit": s.unit_id, "submission": s.id, "version": s.version, "reference": s.reference}
                for s in subs if s is not None and s.status == SubmissionStatus.SUBMITTED]
    turn.uow.chain.add_forwarding(Forwarding(round_id=rec.id, reference=reference, forwarded_at=turn.now,
                                             forwarded_by=person, on_time=on_time, included=included))
    timing = "chain.no_due" if on_time is None else ("chain.on_time" if on_time else "chain.late")
    _tell_above(turn, view, reference, timing)
    turn.say(turn.t("chain.forward_receipt", ref=reference, to=recipient_name(turn.uow, view),
                    at=turn.clock.local(turn.now).strftime("%H:%M %d/%m/%Y"), timing=turn.t(timing),
                    units=len(included), period=view.period.code, form=view.spec.code),
             title=turn.t("chain.forward_done_title"))


def _tell_above(turn: Turn, view: RoundView, reference: str, timing: str) -> None:
    """The analysts of the unit above hear that the roll-up arrived."""
    parent = turn.uow.units.get(view.collector.parent_id) if view.collector.parent_id else None
    if parent is None:
        return

    def make(lang: str) -> TextOut:
        text = TEXTS.text("chain.arrived", lang, unit=view.collector.name, form=view.spec.code,
                          period=view.period.code, ref=reference, timing=TEXTS.text(timing, lang))
        return TextOut(text, TEXTS.text("chain.arrived_title", lang, unit=view.collector.name),
                       ((Button(TEXTS.text("chain.btn_draft", lang), f"cmd:baocao {view.spec.code} {view.period.code}"),),))

    notify(turn, analysts(turn, parent), make)
