"""A reminder pass: plan what is due, record each nudge with its outbox message in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from conversations.forms import FormCache
from conversations.messages import TextOut
from conversations.outbox import to_payload
from conversations.reminders.messages import bundle, render, zns_fields
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

    @property
    def messages(self) -> int:
        """Messages queued (or that would be): one per person with something to send."""
        return len({d.nudge.person_id for d in self.decisions if d.action == Action.SEND})

    def lines(self, tz: ZoneInfo) -> list[str]:
        """For the command line: one line per nudge sent, unreachable, too late or deferred, its superseded
        ones beneath; in a dry run each person's message as it would be sent, under their nudges."""
        verbs = {Action.SEND: "would send" if self.dry_run else "queued", Action.UNREACHABLE: "unreachable",
                 Action.EXPIRED: "too late", Action.DEFER: "deferred"}
        out = [f"reminder pass at {self.at.astimezone(tz):%d/%m/%Y %H:%M} ({tz.key})"
               + (", dry run" if self.dry_run else "")]
        for group in by_person(self.decisions):
            skipped: dict[tuple[int, int, int, str], list[str]] = {}
            for d in group:
                if d.action == Action.SKIP:
                    skipped.setdefault(d.nudge.group, []).append(d.nudge.rule.name)
            for d in group:
                n = d.nudge
                if d.action == Action.SKIP:
                    continue
                out.append(f"  {verbs[d.action]:<11} {n.planned_for.astimezone(tz):%a %d/%m %H:%M}  "
                           f"{n.rnd.period.form_code} {n.rnd.period.code:<8} {n.rule.name:<10} {n.rule.kind:<11} "
                           f"{n.unit.code:<11} {d.person_name} → {d.detail}")
                if n.group in skipped:
                    out.append(f"{'':14}superseded: {_short(skipped.pop(n.group))}")
            out += [f"  {'would skip' if self.dry_run else 'skipped'}: {_short(rules)}" for rules in skipped.values()]
            sends = [d for d in group if d.action == Action.SEND and d.reply is not None]
            if self.dry_run and sends:
                out += message_lines(sends)
        expired = self.count(Action.EXPIRED)
        out.append(f"{_count(self.messages, 'message')} to send ({_count(self.queued, 'nudge')}), "
                   f"{self.count(Action.SKIP)} superseded, {expired} too late, {self.count(Action.DEFER)} deferred "
                   f"(in a dialogue), {self.count(Action.UNREACHABLE)} unreachable"
                   + ("; dry run: nothing recorded" if self.dry_run else ""))
        return out


def message_lines(sends: list[Decision]) -> list[str]:
    """`    message to Lê Thị B (telegram:1), 2 nudges:` and the message: title, text, [buttons]."""
    first = sends[0]
    reply = bundle([d.reply for d in sends if d.reply is not None], first.lang)
    body = ([reply.title] if reply.title else []) + reply.text.splitlines()
    body += ["  ".join(f"[{b.label}]" for b in row) for row in reply.buttons]
    return ([f"    message to {first.person_name} ({first.detail}), {_count(len(sends), 'nudge')}:"]
            + [f"    │ {line}".rstrip() for line in body])


def _count(n: int, one: str) -> str:
    return f"{n} {one}{'' if n == 1 else 's'}"


def _short(rules: list[str]) -> str:
    """`d-7, d-3, d-1` or, for a long catch-up, `digest+1, digest+4, … digest+58 (20)`."""
    return ", ".join(rules) if len(rules) <= 6 else f"{', '.join(rules[:2])}, … {rules[-1]} ({len(rules)})"


def plan_pass(uow: UnitOfWork, forms: FormCache, tz: ZoneInfo, now: datetime) -> list[Decision]:
    """Every nudge due at `now` and not yet in the reminder log, decided (read only)."""
    today = now.astimezone(tz).date()
    snap = Snapshot(uow, forms, tz, today)
    rounds = snap.rounds(uow.periods.open_on(today))
    recorded = uow.reminders.keys_for([r.period.id for r in rounds]) if rounds else set()
    return decide(due_nudges(snap, rounds, now, recorded), snap, render, now)


def record(uow: UnitOfWork, decisions: list[Decision], now: datetime) -> tuple[list[Decision], list[int]]:
    """Write each decision to the reminder log, and one message per person to the outbox, in `uow`.

    A decision whose key is already logged (an earlier pass, another worker) is dropped: the unique key
    (period, unit, person, rule) is what makes a nudge happen once. A person's nudges that are kept go out
    as one message (`bundle`), linked to the first one's log entry; the others are logged `merged` with
    its id. Deferred decisions are not recorded. The caller commits.
    """
    kept, outbox_ids = [], []
    for person_decisions in by_person(decisions):
        sends = []
        for d in person_decisions:
            if d.action == Action.DEFER:  # reported, not recorded: a later pass decides again
                kept.append(d)
                continue
            n = d.nudge
            status = PENDING if d.action == Action.SEND else d.action
            row = uow.reminders.record(ReminderLog(
                period_id=n.rnd.period.id, unit_id=n.unit.id, person_id=n.person_id, rule=n.rule.name,
                kind=n.rule.kind, planned_for=n.planned_for, status=status, detail=d.detail, created_at=utcnow()))
            if row is None:
                continue
            kept.append(d)
            if d.action == Action.SEND:
                sends.append((d, row))
        if sends:
            first, row = sends[0]
            for _, other in sends[1:]:
                other.status, other.detail = Action.MERGED, f"sent with reminder {row.id} ({first.nudge.rule.name})"
            reply = bundle([d.reply for d, _ in sends if d.reply is not None], first.lang)
            outbox_ids.append(_queue(uow, first, row.id, reply, now))
    return kept, outbox_ids


def by_person(decisions: list[Decision]) -> list[list[Decision]]:
    """Consecutive decisions about the same person (`decide` orders them by person)."""
    out: list[list[Decision]] = []
    for d in decisions:
        if out and out[-1][0].nudge.person_id == d.nudge.person_id:
            out[-1].append(d)
        else:
            out.append([d])
    return out


def _queue(uow: UnitOfWork, d: Decision, reminder_id: int, reply: TextOut, now: datetime) -> int:
    assert d.identity is not None
    payload, attachment = to_payload(reply)
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
        for part in chunks(decisions, chunk):
            kept, ids = record(uow, part, now)
            uow.commit()
            report.decisions += kept
            report.outbox_ids += ids
    return report


def chunks(decisions: list[Decision], size: int) -> list[list[Decision]]:
    """About `size` decisions per transaction, never splitting one person's (their message is one)."""
    out: list[list[Decision]] = []
    for group in by_person(decisions):
        if out and len(out[-1]) + len(group) <= size:
            out[-1].extend(group)
        else:
            out.append(list(group))
    return out
