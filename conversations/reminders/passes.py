"""A reminder pass: plan what is due, record each nudge with its outbox message in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from conversations.forms import FormCache
from conversations.outbox import to_payload
from conversations.reminders.messages import render, zns_fields
from conversations.reminders.planner import Action, Decision, decide, due_nudges
from conversations.reminders.snapshot import Snapshot
from storage.models import OutboxMessage, OutboxStatus, ReminderLog, utcnow
from storage.uow import UnitOfWork

CHUNK = 200  # nudges recorded per transaction, so a big wave never holds the database for long
PENDING = "pending"  # recorded and queued; the outbox marks it `sent` or `undeliverable`


@dataclass
class PassReport:
    """What a pass decided and what it recorded (nothing when dry)."""

    at: datetime
    dry_run: bool
    decisions: list[Decision] = field(default_factory=list)
    outbox_ids: list[int] = field(default_factory=list)

    def count(self, action: str) -> int:
        """How many decisions of this kind the pass made (and, unless dry, recorded)."""
        return sum(1 for d in self.decisions if d.action == action)

    @property
    def queued(self) -> int:
        """Nudges queued for sending (or that would be, when dry)."""
        return self.count(Action.SEND)

    def lines(self, tz: ZoneInfo) -> list[str]:
        """For the command line: one line per nudge sent (or unreachable), its superseded ones beneath."""
        verbs = ({Action.SEND: "would send", Action.UNREACHABLE: "unreachable"} if self.dry_run
                 else {Action.SEND: "queued", Action.UNREACHABLE: "unreachable"})
        out = [f"reminder pass at {self.at.astimezone(tz):%d/%m/%Y %H:%M} ({tz.key})"
               + (", dry run" if self.dry_run else "")]
        skipped: dict[tuple[int, int, int, str], list[str]] = {}
        for d in self.decisions:
            if d.action == Action.SKIP:
                skipped.setdefault(d.nudge.group, []).append(d.nudge.rule.name)
        for d in self.decisions:
            if d.action == Action.SKIP:
                continue
            n = d.nudge
            out.append(f"  {verbs[d.action]:<11} {n.planned_for.astimezone(tz):%a %d/%m %H:%M}  "
                       f"{n.rnd.period.form_code} {n.rnd.period.code:<8} {n.rule.name:<10} {n.rule.kind:<11} "
                       f"{n.unit.code:<11} {d.person_name} → {d.detail}")
            if n.group in skipped:
                out.append(f"{'':14}superseded: {_short(skipped.pop(n.group))}")
        out += [f"  {'would skip' if self.dry_run else 'skipped'}: {_short(rules)}" for rules in skipped.values()]
        out.append(f"{self.queued} to send, {self.count(Action.SKIP)} superseded, "
                   f"{self.count(Action.UNREACHABLE)} unreachable" + ("; dry run: nothing recorded" if self.dry_run else ""))
        return out


def _short(rules: list[str]) -> str:
    """`d-7, d-3, d-1` or, for a long catch-up, `digest+1, digest+4, … digest+58 (20)`."""
    return ", ".join(rules) if len(rules) <= 6 else f"{', '.join(rules[:2])}, … {rules[-1]} ({len(rules)})"


def plan_pass(uow: UnitOfWork, forms: FormCache, tz: ZoneInfo, now: datetime) -> list[Decision]:
    """Every nudge due at `now` and not yet in the reminder log, decided (read only)."""
    today = now.astimezone(tz).date()
    snap = Snapshot(uow, forms, tz, today)
    rounds = snap.rounds(uow.periods.open_on(today))
    recorded = uow.reminders.keys_for([r.period.id for r in rounds]) if rounds else set()
    return decide(due_nudges(snap, rounds, now, recorded), snap, render)


def record(uow: UnitOfWork, decisions: list[Decision], now: datetime) -> tuple[list[Decision], list[int]]:
    """Write each decision to the reminder log, and a sent one's message to the outbox, in `uow`.

    A decision whose key is already logged (an earlier pass, another worker) is dropped: the unique key
    (period, unit, person, rule) is what makes a nudge happen once. The caller commits.
    """
    kept, outbox_ids = [], []
    for d in decisions:
        n = d.nudge
        status = PENDING if d.action == Action.SEND else d.action
        row = uow.reminders.record(ReminderLog(
            period_id=n.rnd.period.id, unit_id=n.unit.id, person_id=n.person_id, rule=n.rule.name,
            kind=n.rule.kind, planned_for=n.planned_for, status=status, detail=d.detail, created_at=utcnow()))
        if row is None:
            continue
        kept.append(d)
        if d.action == Action.SEND:
            outbox_ids.append(_queue(uow, d, row.id, now))
    return kept, outbox_ids


def _queue(uow: UnitOfWork, d: Decision, reminder_id: int, now: datetime) -> int:
    assert d.identity is not None and d.reply is not None
    payload, attachment = to_payload(d.reply)
    zns = zns_fields(d.nudge, d.person_name)
    if zns is not None:  # used by Zalo only when the person is outside its reply window
        payload["meta"] = {"zns": zns, "tracking_id": f"reminder-{reminder_id}"}
    # Due at once on the wall clock even when the pass runs for a time given by hand (`--now`).
    message = uow.outbox.add(OutboxMessage(
        channel=d.identity.channel, chat_id=d.identity.chat_id, identity_id=d.identity.id, kind="reminder",
        payload=payload, attachment=attachment, reminder_id=reminder_id, status=OutboxStatus.PENDING,
        attempts=0, next_attempt_at=min(now, utcnow())))
    return message.id


def pass_in(uow: UnitOfWork, forms: FormCache, tz: ZoneInfo, now: datetime) -> PassReport:
    """A pass inside the caller's unit of work (e.g. an admin's `/nhacnho`); the caller commits."""
    kept, ids = record(uow, plan_pass(uow, forms, tz, now), now)
    return PassReport(now, False, kept, ids)


def run_pass(new_uow: Callable[[], UnitOfWork], forms: FormCache, tz: ZoneInfo, now: datetime,
             dry_run: bool = False, chunk: int = CHUNK,
             read_uow: Callable[[], UnitOfWork] | None = None) -> PassReport:
    """One pass in its own transactions: plan (on `read_uow` when given, so an idle pass never takes
    SQLite's write lock), then record and commit in chunks. Safe to run anywhere, late, or twice."""
    with (read_uow or new_uow)() as reader:
        decisions = plan_pass(reader, forms, tz, now)
    if dry_run or not decisions:
        return PassReport(now, dry_run, decisions)
    report = PassReport(now, False)
    with new_uow() as uow:
        for start in range(0, len(decisions), chunk):
            kept, ids = record(uow, decisions[start:start + chunk], now)
            uow.commit()
            report.decisions += kept
            report.outbox_ids += ids
    return report
