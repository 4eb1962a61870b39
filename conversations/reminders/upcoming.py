"""The schedule ahead (`chitieu remind --list`): which nudges will go out when, as things stand now."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from conversations.forms import FormCache
from conversations.reminders.forwarding import collectors, forward_rules
from conversations.reminders.planner import Key, recipients
from conversations.reminders.rules import Kind, Rule, digest_rules, unit_rules
from conversations.reminders.snapshot import Round, Snapshot
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Upcoming:
    """Nudges of one rule of one round going out at one time."""

    at: datetime  # UTC
    day: date  # the day the rule names, before moving off weekends and holidays
    form: str
    period: str
    rule: str
    kind: str
    units: int
    people: int
    names: tuple[str, ...] = ()  # who gets it: `Lê Thị B (Quảng Trị)`, sorted

    def line(self, tz: ZoneInfo) -> str:
        """`Mon 07/12/2026 08:30  CL 2026-Q4  d+1  deadline  3 units, 4 people (moved from Sun 06/12): Lê Thị B
        (Quảng Trị), …`."""
        local = self.at.astimezone(tz)
        moved = f" (moved from {self.day:%a %d/%m})" if local.date() != self.day else ""
        shown = ", ".join(self.names[:MAX_NAMES]) + (f", … (+{len(self.names) - MAX_NAMES})"
                                                     if len(self.names) > MAX_NAMES else "")
        return (f"{local:%a %d/%m/%Y %H:%M}  {self.form} {self.period:<8} {self.rule:<10} {self.kind:<11} "
                f"{_count(self.units, 'unit')}, {_count(self.people, 'person', 'people')}{moved}"
                + (f": {shown}" if shown else ""))


MAX_NAMES = 4


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def upcoming(uow: UnitOfWork, forms: FormCache, tz: ZoneInfo, now: datetime, days: int = 30) -> list[Upcoming]:
    """Nudges planned after `now` and within `days`, for units that would still get them as of now."""
    today, until = now.astimezone(tz).date(), now + timedelta(days=days)
    snap = Snapshot(uow, forms, tz, today)
    periods = [p for p in uow.periods.list() if p.lock_on >= today and p.opens_on <= until.date()]
    rounds = snap.rounds(periods)
    recorded = uow.reminders.keys_for([r.period.id for r in rounds]) if rounds else set()
    groups: defaultdict[tuple[datetime, int, Rule, date], tuple[set[int], set[tuple[int, int]]]] = defaultdict(
        lambda: (set(), set()))
    by_id = {r.period.id: r.period for r in rounds}
    for rnd in rounds:
        planned = [p for p in _planned(snap, rnd, recorded) if now < p[0] <= until]
        # two rules of one kind landing on the same morning: only the later one goes (supersede)
        latest: dict[tuple[datetime, str, int, int], int] = {}
        for at, rule, _, unit_id, pid in planned:
            key = (at, rule.kind, unit_id, pid)
            latest[key] = max(latest.get(key, rule.offset), rule.offset)
        for at, rule, day, unit_id, pid in planned:
            if latest[(at, rule.kind, unit_id, pid)] != rule.offset:
                continue
            units, people = groups[(at, rnd.period.id, rule, day)]
            units.add(unit_id)
            people.add((pid, unit_id))
    snap.load_people({pid for _, people in groups.values() for pid, _ in people})
    rows = [Upcoming(at, day, by_id[p_id].form_code, by_id[p_id].code, rule.name, rule.kind, len(u),
                     len({pid for pid, _ in p}), tuple(sorted(_name(snap, pid, uid) for pid, uid in p)))
            for (at, p_id, rule, day), (u, p) in groups.items()]
    return sorted(rows, key=lambda r: (r.at, r.form, r.period, r.rule))


def _name(snap: Snapshot, person_id: int, unit_id: int) -> str:
    """`Lê Thị B (Quảng Trị)`, or `Nguyễn Văn A (Hà Nội, unreachable)` when no channel can reach them."""
    person = snap.person(person_id)
    unit = snap.units.get(unit_id)
    reach = "" if snap.identity(person_id) else ", unreachable"
    return f"{person.display_name if person else '?'} ({unit.name if unit else '?'}{reach})"


def _planned(snap: Snapshot, rnd: Round, recorded: set[Key]) -> list[tuple[datetime, Rule, date, int, int]]:
    """(time, rule, day, unit, person) of every nudge of the round that still applies as of today."""
    out = []
    owing = snap.owing(rnd)
    sched, pid_ = rnd.schedule, rnd.period.id
    for unit, due in owing:
        submitted = snap.submitted(pid_, unit.id)
        provisional = submitted and bool(snap.progress(rnd, unit).provisional)
        for rule in unit_rules(sched.rules):
            applies = provisional if rule.kind == Kind.PROVISIONAL else not submitted
            if not applies or rule.day(due) < rnd.period.opens_on:
                continue
            people = recipients(snap, unit, rule)
            out += [(sched.send_time(rule.day(due)), rule, rule.day(due), unit.id, p) for p in people
                    if (pid_, unit.id, p, rule.name) not in recorded]
    for person, scope in snap.analyst_scopes():
        mine = [(u, due) for u, due in owing if u.path.startswith(scope.path)]
        if not any(not snap.submitted(pid_, u.id) for u, _ in mine):
            continue
        first = min(due for _, due in mine)
        out += [(sched.send_time(r.day(first)), r, r.day(first), scope.id, person)
                for r in digest_rules(sched.rules, first, rnd.period.lock_on)
                if (pid_, scope.id, person, r.name) not in recorded]
    found = collectors(snap, rnd)  # collecting units' roll-ups not yet forwarded
    done = snap.uow.chain.rounds(pid_, [u.id for u, _, _ in found]) if found else {}
    for unit, due, _ in found:
        if unit.id in done and done[unit.id].forwarded_at is not None:
            continue
        out += [(sched.send_time(r.day(due)), r, r.day(due), unit.id, person) for r in forward_rules(rnd)
                if r.day(due) >= rnd.period.opens_on for person in snap.analysts[unit.id]
                if (pid_, unit.id, person, r.name) not in recorded]
    return out
