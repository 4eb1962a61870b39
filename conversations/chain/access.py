"""Who may write a unit's own answers: its focal persons, and its analysts for a period the unit collects."""

from __future__ import annotations

from conversations.chain.rounds import collects
from conversations.forms import FormSpec
from conversations.turn import Turn
from storage.models import Period, Role, Unit


def answering_units(turn: Turn) -> list[Unit]:
    """The person's focal units, then their analyst units (each checked per period by `may_answer`)."""
    seen: dict[int, Unit] = {}
    for unit in [*turn.units_with(Role.FOCAL), *turn.units_with(Role.ANALYST)]:
        seen.setdefault(unit.id, unit)
    return list(seen.values())


def may_answer(turn: Turn, unit: Unit, period: Period, spec: FormSpec) -> bool:
    """Focal persons answer for their unit; an analyst writes the part of a unit that collects this period."""
    if any(u.id == unit.id for u in turn.units_with(Role.FOCAL)):
        return True
    return any(u.id == unit.id for u in turn.units_with(Role.ANALYST)) and collects(
        turn.uow, spec, unit, period, turn.today)
