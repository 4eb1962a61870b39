"""Which nudges are due now, which of them a later one supersedes, and where each one goes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from conversations.messages import TextOut
from conversations.reminders.forwarding import forward_nudges
from conversations.reminders.rules import Kind, Rule, digest_rules, unit_rules
from conversations.reminders.snapshot import Round, Snapshot
from storage.models import Identity, Unit

Key = tuple[int, int, int, str]  # (period, unit, person, rule): the reminder log's unique key


@dataclass(frozen=True)
class Nudge:
    """A nudge whose time has come: who hears about which unit and round, under which rule."""

    rnd: Round
    unit: Unit  # the unit it is about (for a digest: the analyst's unit, root of the listed subtree)
    person_id: int
    rule: Rule
    planned_for: datetime  # UTC, already moved off weekends and holidays
    due: date  # the unit's due date (for a digest: the earliest due date in the subtree)
    late: tuple[tuple[Unit, date], ...] = ()  # digest: units past their due date, not submitted
    owing: int = 0  # digest: units of the subtree that answer this round
    covered: str | None = None  # digest: already covered by the person's digest of that day (not sent)

    @property
    def key(self) -> Key:
        """The reminder log's unique key."""
        return (self.rnd.period.id, self.unit.id, self.person_id, self.rule.name)

    @property
    def order(self) -> tuple[int, int, int, str, int]:
        """Sort key: the unique key with the rule as (kind, offset), so d-7 comes before d+0."""
        return (self.rnd.period.id, self.unit.id, self.person_id, self.rule.kind, self.rule.offset)

    @property
    def group(self) -> tuple[int, int, int, str]:
        """Nudges of one kind to one person about one unit and round: only the latest due one is sent."""
        return (self.rnd.period.id, self.unit.id, self.person_id, self.rule.kind)


class Action:
    """What a pass does with a due nudge."""

    SEND = "send"
    SKIP = "skipped"  # superseded by a later nudge of the same kind that is also due
    EXPIRED = "expired"  # missed, and now too late to be useful (`catch_up_working_days`)
    UNREACHABLE = "unreachable"  # the person has no reachable identity
    DEFER = "deferred"  # the person is in a dialogue: not recorded, the next pass decides again
    MERGED = "merged"  # sent inside another nudge's message (one message per person per pass)


@dataclass(frozen=True)
class Decision:
    """A due nudge and what becomes of it (the reply and identity when it is sent)."""

    nudge: Nudge
    action: str
    identity: Identity | None = None
    reply: TextOut | None = None
    detail: str | None = None
    person_name: str = ""
    lang: str = "vi"


def due_nudges(snap: Snapshot, rounds: list[Round], now: datetime, recorded: set[Key]) -> list[Nudge]:
    """Unrecorded nudges planned at or before `now` that still apply, for rounds that may send now."""
    out: list[Nudge] = []
    for rnd in rounds:
        if not rnd.schedule.may_send_at(now):
            continue
        owing = snap.owing(rnd)
        rules = unit_rules(rnd.schedule.rules)
        for unit, due in owing:
            out += _unit_nudges(snap, rnd, unit, due, rules, now, recorded)
        out += _digests(snap, rnd, owing, now, recorded)
        out += forward_nudges(snap, rnd, now, recorded)  # collecting levels' roll-ups (own rule kind)
    return _one_digest(snap, [r for r in rounds if r.schedule.may_send_at(now)], out, now, recorded)


DIGEST_MEMORY_DAYS = 31  # how far back a pass looks for a person's latest digest


def _one_digest(snap: Snapshot, rounds: list[Round], nudges: list[Nudge], now: datetime,
                recorded: set[Key]) -> list[Nudge]:
    """An analyst's digests as one rhythm over every form and period of their scope.

    When a digest of some round is due for a person, the message covers every open round with late units
    in their scope (a round without a digest due today gets one named for today, `digest+<days>`). A later
    digest of a round is then `covered` (logged skipped) while it falls within that round's `every_days` of
    the person's last digest; a round's first digest (`first_after_days`) is never covered: it is news.
    """
    due = [n for n in nudges if n.rule.kind == Kind.DIGEST]
    if not due:
        return nudges
    people = sorted({n.person_id for n in due})
    since = now - timedelta(days=DIGEST_MEMORY_DAYS)
    last = snap.uow.reminders.last_sent(Kind.DIGEST, people, since)
    out = [n for n in nudges if n.rule.kind != Kind.DIGEST]
    for pid in people:
        mine = [n for n in due if n.person_id == pid]
        prev = last.get(pid)
        prev_day = prev.astimezone(snap.tz).date() if prev is not None else None
        if prev_day is not None and all(_covered(n, prev_day, snap.today) for n in mine):
            out += [replace(n, covered=f"covered by the digest of {prev_day:%d/%m}") for n in mine]
            continue
        out += mine
        have = {(n.rnd.period.id, n.unit.id) for n in mine}
        for rnd in rounds:
            out += [n for n in _digests(snap, rnd, snap.owing(rnd), now, recorded, only=pid, today_rule=True)
                    if (n.rnd.period.id, n.unit.id) not in have]
    return out


def _covered(n: Nudge, prev_day: date, today: date) -> bool:
    """True when a digest due today adds nothing the person's digest of `prev_day` did not already say."""
    rules = n.rnd.schedule.rules.digest
    return n.rule.offset != rules.first_after_days and (today - prev_day).days < rules.every_days


def _unit_nudges(snap: Snapshot, rnd: Round, unit: Unit, due: date, rules: list[Rule], now: datetime,
                 recorded: set[Key]) -> list[Nudge]:
    """Deadline, provisional and escalation nudges about one unit (submissions read only if any is due)."""
    timed = [(r, rnd.schedule.send_time(r.day(due))) for r in rules if r.day(due) >= rnd.period.opens_on]
    candidates = [Nudge(rnd, unit, pid, r, at, due) for r, at in timed if at <= now
                  for pid in recipients(snap, unit, r)]
    candidates = [n for n in candidates if n.key not in recorded]
    if not candidates:
        return []
    submitted = snap.submitted(rnd.period.id, unit.id)
    provisional = (submitted and any(n.rule.kind == Kind.PROVISIONAL for n in candidates)
                   and bool(snap.progress(rnd, unit).provisional))
    wanted = {Kind.DEADLINE: not submitted, Kind.ESCALATION: not submitted, Kind.PROVISIONAL: provisional}
    return [n for n in candidates if wanted[n.rule.kind]]


def recipients(snap: Snapshot, unit: Unit, rule: Rule) -> list[int]:
    """Focal persons; for an escalation the collector's analysts, but only about a unit someone was
    nudged for (a unit with no focal person shows in the digest instead of one message per unit)."""
    focal = list(snap.focal.get(unit.id, []))
    if rule.kind == Kind.ESCALATION:
        return [pid for _, pid in snap.escalation_targets(unit)] if focal else []
    return focal


def _digests(snap: Snapshot, rnd: Round, owing: list[tuple[Unit, date]], now: datetime,
             recorded: set[Key], only: int | None = None, today_rule: bool = False) -> list[Nudge]:
    """Each analyst's list of late units in their subtree, on the digest days that have come (`only` one
    person; `today_rule`: a digest named for today instead, to ride along with another round's)."""
    out: list[Nudge] = []
    for pid, scope in snap.analyst_scopes():
        if only is not None and pid != only:
            continue
        mine = [(u, due) for u, due in owing if u.path.startswith(scope.path)]
        if not mine:
            continue
        first_due = min(due for _, due in mine)
        if today_rule:
            days = (snap.today - first_due).days
            if days < rnd.schedule.rules.digest.first_after_days or snap.today > rnd.period.lock_on:
                continue
            rules = [Rule(f"digest+{days}", Kind.DIGEST, days)]
        else:
            rules = digest_rules(rnd.schedule.rules, first_due, rnd.period.lock_on)
        timed = [(r, rnd.schedule.send_time(r.day(first_due))) for r in rules]
        due_now = [(r, at) for r, at in timed if at <= now and (rnd.period.id, scope.id, pid, r.name) not in recorded]
        if not due_now:
            continue
        late = tuple(sorted(((u, due) for u, due in mine
                             if due < snap.today and not snap.submitted(rnd.period.id, u.id)),
                            key=lambda x: (x[1], x[0].path)))
        if late:
            out += [Nudge(rnd, scope, pid, r, at, first_due, late, len(mine)) for r, at in due_now]
    return out


def decide(nudges: list[Nudge], snap: Snapshot, render: Callable[[Nudge, Snapshot], TextOut],
           now: datetime | None = None) -> list[Decision]:
    """Per (round, unit, person, kind) send only the latest due nudge; record the others as superseded.

    A latest nudge past its useful day is recorded as expired (never sent weeks late); one to a person who
    wrote within `defer_after_message_minutes` is deferred (not recorded: a later pass sends it). The
    result is ordered by person, so one person's nudges are recorded together (and merged into one message).
    """
    groups: defaultdict[tuple[int, int, int, str], list[Nudge]] = defaultdict(list)
    for n in nudges:
        groups[n.group].append(n)
    snap.load_people({n.person_id for n in nudges})
    decisions: list[Decision] = []
    for group in groups.values():
        group.sort(key=lambda n: (n.rule.offset, n.planned_for))
        latest = group[-1]
        person = snap.person(latest.person_id)
        name, lang = (person.display_name, person.language) if person else ("?", "vi")
        sched = latest.rnd.schedule
        day = latest.rule.day(latest.due)
        if latest.covered:
            decisions += [Decision(n, Action.SKIP, detail=latest.covered, person_name=name, lang=lang) for n in group]
            continue
        if snap.today > sched.useful_until(day):
            detail = f"too late: planned {sched.moved_day(day):%d/%m}, useful until {sched.useful_until(day):%d/%m}"
            decisions += [Decision(n, Action.SKIP, detail=f"superseded by {latest.rule.name}", person_name=name,
                                   lang=lang) for n in group[:-1]]
            decisions.append(Decision(latest, Action.EXPIRED, detail=detail, person_name=name, lang=lang))
            continue
        seen = snap.last_seen(latest.person_id)
        quiet = timedelta(minutes=sched.rules.defer_after_message_minutes)
        if now is not None and seen is not None and quiet and now - seen < quiet:
            at = seen.astimezone(snap.tz)
            decisions.append(Decision(latest, Action.DEFER, detail=f"in a dialogue (wrote at {at:%H:%M})",
                                      person_name=name, lang=lang))
            continue
        decisions += [Decision(n, Action.SKIP, detail=f"superseded by {latest.rule.name}", person_name=name,
                               lang=lang) for n in group[:-1]]
        identity = snap.identity(latest.person_id)
        if identity is None:
            decisions.append(Decision(latest, Action.UNREACHABLE, detail="no reachable identity", person_name=name,
                                      lang=lang))
        else:
            decisions.append(Decision(latest, Action.SEND, identity, render(latest, snap),
                                      f"{identity.channel}:{identity.chat_id}", name, lang))
    # one order for every worker (no deadlocks), a person's nudges side by side
    return sorted(decisions, key=lambda d: (d.nudge.person_id, d.nudge.order))
