"""When a unit sends (again): requests for correction are answered, a forwarded roll-up is marked changed."""

from __future__ import annotations

from conversations.chain.notify import analysts, notify
from conversations.messages import Button, TextOut
from conversations.render import Sheet
from conversations.turn import TEXTS, Turn
from storage.models import CorrectionStatus, Unit


def after_sending(turn: Turn, sheet: Sheet, reference: str) -> None:
    """Called by the review once a submission is sent with `reference` (first time or again)."""
    _answer_requests(turn, sheet, reference)
    parent = turn.uow.units.get(sheet.unit.parent_id) if sheet.unit.parent_id else None
    for collector in (parent, sheet.unit):
        if collector is not None:
            _mark_changed(turn, sheet, collector, tell=collector is parent)


def _answer_requests(turn: Turn, sheet: Sheet, reference: str) -> None:
    """Open requests to this unit are answered by this sending; whoever asked is told."""
    requests = turn.uow.chain.open_corrections(sheet.period.id, sheet.unit.id)
    if not requests:
        return
    person = turn.person.id if turn.person else None
    for r in requests:
        r.status, r.answered_at, r.answered_by = CorrectionStatus.ANSWERED, turn.now, person
        r.answer_reference, r.answer_version = reference, sheet.submission.version
    collector = turn.uow.units.get(requests[0].collector_id)
    askers = {r.requested_by for r in requests if r.requested_by} | set(analysts(turn, collector) if collector else [])

    def make(lang: str) -> TextOut:
        return TextOut(TEXTS.text("chain.corrected_body", lang, unit=sheet.unit.name, period=sheet.period.code,
                                  ref=reference),
                       TEXTS.text("chain.corrected_title", lang, unit=sheet.unit.name),
                       ((Button(TEXTS.text("chain.btn_view_unit", lang, unit=sheet.unit.code),
                                f"cmd:duyet {sheet.unit.code} {sheet.spec.code} {sheet.period.code}"),),))

    notify(turn, askers, make)


def _mark_changed(turn: Turn, sheet: Sheet, collector: Unit, tell: bool) -> None:
    """A sending after the collector forwarded: the roll-up is out of date until forwarded again."""
    rec = turn.uow.chain.round(collector.id, sheet.period.id, lock=True)
    if rec is None or rec.last_forwarded_at is None:
        return
    names = [n for n in (rec.changed_units or "").split("; ") if n]
    if sheet.unit.name not in names:
        names.append(sheet.unit.name)
    rec.changed_at, rec.changed_units = turn.now, "; ".join(names)
    if not tell:
        return

    def make(lang: str) -> TextOut:
        return TextOut(TEXTS.text("chain.changed_body", lang, unit=sheet.unit.name, collector=collector.name,
                                  period=sheet.period.code, form=sheet.spec.code),
                       TEXTS.text("chain.changed_title", lang, collector=collector.name),
                       ((Button(TEXTS.text("chain.btn_forward", lang),
                                f"cmd:guilen {sheet.spec.code} {sheet.period.code} {collector.code}"),),))

    notify(turn, analysts(turn, collector), make)
