"""Collecting-level deadlines as a rule kind of their own: the collecting unit's analysts are nudged to
forward the roll-up (`fwd-7` … `fwd+5`, from `forward_offsets_days`, else `offsets_days`) until they do.

The planner calls `forward_nudges` once per round; the due date is `Period.forward_due(kind)`, stored at
catalog load through `conversations.catalog.forwarding.effective_due_date`. Keys in the reminder log:
(period, collecting unit, analyst, `fwd±n`), so each nudge goes once like every other.
"""

from __future__ import annotations

from datetime import date, datetime

from conversations.duedates import due_words, forward_due_of
from conversations.messages import Button, TextOut
from conversations.reminders.rules import Kind, Rule
from conversations.reminders.snapshot import Round, Snapshot
from storage.models import Unit

FORWARD = "forward"  # the reminder log's kind for these nudges


def forward_rules(rnd: Round) -> list[Rule]:
    """`fwd-7` … `fwd+5`: nudges to forward the roll-up, earliest first."""
    rules = rnd.schedule.rules
    offsets = rules.forward_offsets_days if rules.forward_offsets_days is not None else rules.offsets_days
    return [Rule(f"fwd{o:+d}", FORWARD, o) for o in sorted(set(offsets))]


def collectors(snap: Snapshot, rnd: Round) -> list[tuple[Unit, date, list[Unit]]]:
    """Units with analysts that collect this round, with their roll-up's due date and the units they collect."""
    owing = {u.id for u, _ in snap.owing(rnd)}
    out = []
    for unit_id in sorted(snap.analysts):
        unit = snap.units.get(unit_id)
        due = rnd.period.forward_due(unit.kind) if unit else None
        if unit is None or due is None or not unit.active_on(snap.today):
            continue
        children = [u for u in snap.units.values() if u.parent_id == unit.id and u.id in owing]
        if children:
            out.append((unit, due, children))
    return out


def forward_nudges(snap: Snapshot, rnd: Round, now: datetime, recorded: set) -> list:
    """Due, unrecorded nudges to analysts of collecting units that have not forwarded this round."""
    from conversations.reminders.planner import Nudge  # the planner imports this module

    found = collectors(snap, rnd)
    if not found:
        return []
    rounds = snap.uow.chain.rounds(rnd.period.id, [u.id for u, _, _ in found])
    out = []
    for unit, due, children in found:
        record = rounds.get(unit.id)
        if record is not None and record.forwarded_at is not None:
            continue
        for rule in forward_rules(rnd):
            at = rnd.schedule.send_time(rule.day(due))
            if rule.day(due) < rnd.period.opens_on or at > now:
                continue
            out += [Nudge(rnd, unit, pid, rule, at, due, owing=len(children)) for pid in snap.analysts[unit.id]
                    if (rnd.period.id, unit.id, pid, rule.name) not in recorded]
    return out


def _due(nudge, t) -> str:  # noqa: ANN001 - Nudge, Texts
    """The roll-up's due date as the form names it, and the day it moved to when that was a day off."""
    named = forward_due_of(nudge.rnd.spec.definition, nudge.rnd.period, nudge.unit.kind)
    return due_words(named, t.lang) if named else nudge.due.strftime("%d/%m/%Y")


def render(nudge, snap: Snapshot, t) -> TextOut:  # noqa: ANN001 - Nudge, Texts (imported by the planner side)
    """The nudge: which roll-up, to whom, the due date, how many units have sent, and buttons."""
    rnd = nudge.rnd
    children = [u for u in snap.units.values() if u.parent_id == nudge.unit.id]
    sent = sum(1 for u in children if snap.submitted(rnd.period.id, u.id))
    parent = snap.units.get(nudge.unit.parent_id) if nudge.unit.parent_id else None
    report = rnd.spec.definition.report
    to = parent.name if parent else (report.forward_to if report and report.forward_to else "")
    text = t("forward_body", unit=nudge.unit.name, form=rnd.title, period=rnd.period.code, to=to,
             due=_due(nudge, t), when=t.when(nudge.due, snap.today), sent=sent, total=nudge.owing)
    ref = f"{rnd.spec.code} {rnd.period.code} {nudge.unit.code}"
    return TextOut(text, t("forward_title", form=rnd.title, period=rnd.period.code),
                   ((Button(t("forward_btn_send"), f"cmd:guilen {ref}"), Button(t("forward_btn_status"), f"cmd:duyet {ref}")),))


__all__ = ["FORWARD", "Kind", "collectors", "forward_nudges", "forward_rules", "render"]
