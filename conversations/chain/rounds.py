"""Where a collecting unit's round stands: its units' submissions, requests for correction, its own part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from conversations.forms import FormSpec
from conversations.turn import Turn
from storage.models import CollectorRound, CorrectionRequest, Period, Role, Submission, SubmissionStatus, Unit
from storage.uow import UnitOfWork


def collected(uow: UnitOfWork, spec: FormSpec, collector: Unit, period: Period, today: date) -> list[Unit]:
    """The collector's direct units that answer the period's form and exist today."""
    return [u for u in uow.units.children(collector) if u.active_on(today) and spec.asked(u.kind, period.slot)]


def collects(uow: UnitOfWork, spec: FormSpec, unit: Unit, period: Period, today: date) -> bool:
    """True when `unit` collects this period from units of its own."""
    return bool(collected(uow, spec, unit, period, today))


@dataclass(frozen=True)
class UnitState:
    """One collected unit: its submission (if any) and the requests for correction made to it."""

    unit: Unit
    submission: Submission | None
    corrections: tuple[CorrectionRequest, ...]

    @property
    def sent(self) -> bool:
        """True once the unit has sent its answers."""
        return self.submission is not None and self.submission.status == SubmissionStatus.SUBMITTED

    @property
    def open_corrections(self) -> int:
        """Requests not yet answered by a new sending."""
        return sum(1 for c in self.corrections if c.status == "open")


@dataclass(frozen=True)
class RoundView:
    """A collecting unit's round: what it received, its own part, and whether it forwarded."""

    collector: Unit
    period: Period
    spec: FormSpec
    due: date | None
    units: tuple[UnitState, ...]
    own: Submission | None
    asks_own: bool
    record: CollectorRound | None

    @property
    def received(self) -> int:
        """Units that sent their answers."""
        return sum(1 for u in self.units if u.sent)

    @property
    def forwarded(self) -> bool:
        """True once the roll-up was forwarded (at least once)."""
        return self.record is not None and self.record.forwarded_at is not None

    @property
    def own_sent(self) -> bool:
        """True when the collector's own part is sent, or its level writes nothing."""
        return not self.asks_own or (self.own is not None and self.own.status == SubmissionStatus.SUBMITTED)


def round_view(uow: UnitOfWork, spec: FormSpec, collector: Unit, period: Period, today: date) -> RoundView:
    """Read the round of `collector` in `period`."""
    units = collected(uow, spec, collector, period, today)
    subs = uow.submissions.for_units(period.id, [u.id for u in units]) if units else {}
    requests = uow.chain.corrections(period.id, [u.id for u in units]) if units else []
    states = tuple(UnitState(u, subs.get(u.id), tuple(r for r in requests if r.unit_id == u.id)) for u in units)
    return RoundView(collector, period, spec, period.forward_due(collector.kind), states,
                     uow.submissions.get(collector.id, period.id), bool(spec.asked(collector.kind, period.slot)),
                     uow.chain.round(collector.id, period.id))


def collecting_units(turn: Turn) -> list[Unit]:
    """Units on which the person is an analyst (the collecting units whose rounds are theirs)."""
    return turn.units_with(Role.ANALYST)


def open_rounds(turn: Turn, unit: Unit | None = None) -> list[RoundView]:
    """Rounds of the person's collecting units in periods open today, soonest forward due first."""
    latest = {f.code: f for f in turn.uow.forms.latest_all()}
    views = []
    for period in turn.uow.periods.open_on(turn.today):
        form = latest.get(period.form_code)
        if form is None:
            continue
        spec = turn.forms.get(turn.uow, form.id)
        for collector in [unit] if unit else collecting_units(turn):
            if collects(turn.uow, spec, collector, period, turn.today):
                views.append(round_view(turn.uow, spec, collector, period, turn.today))
    return sorted(views, key=lambda v: (v.due or date.max, v.collector.code))


def recipient_name(uow: UnitOfWork, view: RoundView) -> str:
    """Who receives the roll-up: the parent unit, else the form's addressee above the top."""
    parent = uow.units.get(view.collector.parent_id) if view.collector.parent_id else None
    if parent is not None:
        return parent.name
    report = view.spec.definition.report
    return report.forward_to if report and report.forward_to else ""
