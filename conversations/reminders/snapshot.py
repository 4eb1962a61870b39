"""What one reminder pass reads: open rounds, who owes what, who to tell — a few bulk queries per pass."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from conversations.forms import FormCache, FormSpec, QuestionSpec
from conversations.reminders.workdays import Schedule
from storage.models import LOCAL_CHANNELS, Identity, Period, Person, Role, Submission, SubmissionStatus, Unit
from storage.uow import UnitOfWork

NOT_FOR_NUDGES = LOCAL_CHANNELS  # the local terminal chat cannot receive anything unasked
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Round:
    """One period being collected, with the newest version of its form and that form's reminder schedule."""

    period: Period
    spec: FormSpec
    schedule: Schedule

    @property
    def title(self) -> str:
        """The form's short title (`Chỉ tiêu Chiến lược báo chí`)."""
        return self.spec.definition.short_title or self.spec.code


@dataclass(frozen=True)
class Progress:
    """How far a unit's submission is: status, questions left and provisional answers."""

    status: str  # new | draft | submitted
    total: int
    left: tuple[QuestionSpec, ...]
    provisional: tuple[QuestionSpec, ...]


def pick_identity(identities: Iterable[Identity]) -> Identity | None:
    """The reachable identity the person wrote from most recently (newest account on a tie), else None."""
    usable = [i for i in identities if i.can_be_nudged]
    return max(usable, key=lambda i: (i.last_inbound_at or _NEVER, i.id), default=None)


class Snapshot:
    """Units, roles and rounds read once; submissions, people and identities loaded when first needed."""

    def __init__(self, uow: UnitOfWork, forms: FormCache, tz: ZoneInfo, today: date) -> None:
        self.uow, self.forms, self.tz, self.today = uow, forms, tz, today
        self.units = {u.id: u for u in uow.units.all()}
        self.focal: defaultdict[int, list[int]] = defaultdict(list)
        self.analysts: defaultdict[int, list[int]] = defaultdict(list)
        for role, table in ((Role.FOCAL, self.focal), (Role.ANALYST, self.analysts)):
            for unit_id, person_id in uow.people.role_holders(role):
                table[unit_id].append(person_id)
        self._subs: dict[int, dict[int, Submission]] = {}
        self._marks: dict[int, dict[str, tuple[bool, bool]]] = {}
        self._people: dict[int, Person] = {}
        self._identities: defaultdict[int, list[Identity]] = defaultdict(list)
        self._scopes: list[tuple[int, Unit]] | None = None

    # -- rounds and who owes -------------------------------------------------------------------------
    def rounds(self, periods: Iterable[Period]) -> list[Round]:
        """Each period with the newest version of its form (periods of unknown forms are left out)."""
        latest = {f.code: f for f in self.uow.forms.latest_all()}
        out = []
        for period in periods:
            if period.form_code in latest:
                spec = self.forms.get(self.uow, latest[period.form_code].id)
                out.append(Round(period, spec, Schedule(spec.definition.reminders, self.tz)))
        return out

    def owing(self, rnd: Round) -> list[tuple[Unit, date]]:
        """Units that answer this round (active today, asked something), with their own due date."""
        asks: dict[str, bool] = {}
        out = []
        for unit in self.units.values():
            if unit.kind not in asks:
                asks[unit.kind] = bool(rnd.spec.asked(unit.kind, rnd.period.slot))
            if asks[unit.kind] and unit.active_on(self.today):
                out.append((unit, self.due(unit, rnd.period)))
        return out

    def due(self, unit: Unit, period: Period) -> date:
        """The unit's due date: Form 2's depends on the kind of unit that collects from it."""
        parent = self.units.get(unit.parent_id) if unit.parent_id else None
        return period.due_for(parent.kind if parent else None)

    # -- submissions -----------------------------------------------------------------------------------
    def submission(self, period_id: int, unit_id: int) -> Submission | None:
        """The unit's submission for the period (all of the period's loaded on first use)."""
        if period_id not in self._subs:
            self._subs[period_id] = self.uow.submissions.for_units(period_id, list(self.units))
        return self._subs[period_id].get(unit_id)

    def submitted(self, period_id: int, unit_id: int) -> bool:
        """True once the unit has sent its answers for the period."""
        sub = self.submission(period_id, unit_id)
        return sub is not None and sub.status == SubmissionStatus.SUBMITTED

    def progress(self, rnd: Round, unit: Unit) -> Progress:
        """Status, questions left and provisional answers of the unit's submission."""
        sub = self.submission(rnd.period.id, unit.id)
        spec = self.forms.get(self.uow, sub.form_id) if sub else rnd.spec
        asked = spec.asked(unit.kind, rnd.period.slot)
        marks = self._marks_of(rnd.period.id, sub.id) if sub else {}
        left = tuple(q for q in asked if not marks.get(q.key, (False, False))[0])
        provisional = tuple(q for q in asked if marks.get(q.key, (False, False))[1])
        status = "new" if sub is None else ("submitted" if sub.status == SubmissionStatus.SUBMITTED else "draft")
        return Progress(status, len(asked), left, provisional)

    def _marks_of(self, period_id: int, submission_id: int) -> dict[str, tuple[bool, bool]]:
        if submission_id not in self._marks:
            ids = [s.id for s in self._subs.get(period_id, {}).values() if s.id not in self._marks]
            self._marks.update(self.uow.reminders.answer_marks(ids or [submission_id]))
        return self._marks.get(submission_id, {})

    # -- analysts --------------------------------------------------------------------------------------
    def escalation_targets(self, unit: Unit) -> list[tuple[Unit, int]]:
        """Analysts of the unit's collector; if it has none, of the nearest ancestor that has some."""
        parent = self.units.get(unit.parent_id) if unit.parent_id else None
        seen: set[int] = set()
        while parent is not None and parent.id not in seen:
            if self.analysts.get(parent.id):
                return [(parent, pid) for pid in self.analysts[parent.id]]
            seen.add(parent.id)
            parent = self.units.get(parent.parent_id) if parent.parent_id else None
        return []

    def analyst_scopes(self) -> list[tuple[int, Unit]]:
        """(person, unit) of every analyst grant, leaving out a unit already inside another of theirs."""
        if self._scopes is None:
            self._scopes = self._outermost_analyst_units()
        return self._scopes

    def _outermost_analyst_units(self) -> list[tuple[int, Unit]]:
        by_person: defaultdict[int, list[Unit]] = defaultdict(list)
        for unit_id, people in self.analysts.items():
            for pid in people:
                by_person[pid].append(self.units[unit_id])
        return [(pid, u) for pid, units in sorted(by_person.items()) for u in sorted(units, key=lambda u: u.path)
                if not any(o.id != u.id and u.path.startswith(o.path) for o in units)]

    def subtree(self, root: Unit) -> list[Unit]:
        """The unit and every unit below it (materialised path prefix)."""
        return [u for u in self.units.values() if u.path.startswith(root.path)]

    # -- people ----------------------------------------------------------------------------------------
    def load_people(self, person_ids: Iterable[int]) -> None:
        """Fetch these people and their identities in two queries."""
        wanted = set(person_ids) - set(self._people)
        if not wanted:
            return
        self._people.update(self.uow.people.people_by_id(wanted))
        for identity in self.uow.people.identities_of(wanted):
            self._identities[identity.person_id or 0].append(identity)

    def person(self, person_id: int) -> Person | None:
        """A person loaded by `load_people`."""
        self.load_people([person_id])
        return self._people.get(person_id)

    def last_seen(self, person_id: int) -> datetime | None:
        """When the person last wrote to the bot, on any channel (the console too)."""
        self.load_people([person_id])
        return max((i.last_inbound_at for i in self._identities.get(person_id, []) if i.last_inbound_at),
                   default=None)

    def identity(self, person_id: int) -> Identity | None:
        """Where a nudge to this person goes (see `pick_identity`)."""
        self.load_people([person_id])
        return pick_identity(self._identities.get(person_id, []))
