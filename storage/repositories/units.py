"""Units and their hierarchy."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from storage.models import Unit
from storage.repositories.base import Repository


class UnitRepository(Repository):
    """Find units, walk the hierarchy, and keep materialised paths right."""

    def by_code(self, code: str) -> Unit | None:
        """The unit with this code (case-insensitive), if any."""
        return self.session.scalar(select(Unit).where(Unit.code == code.strip().upper()))

    def get(self, unit_id: int) -> Unit | None:
        """The unit with this id."""
        return self.session.get(Unit, unit_id)

    def all(self) -> Sequence[Unit]:
        """Every unit, by path (parents before children)."""
        return self.session.scalars(select(Unit).order_by(Unit.path)).all()

    def add(self, unit: Unit) -> Unit:
        """Add a unit; call `set_parent` after to give it a path."""
        self.session.add(unit)
        return unit

    def set_parent(self, unit: Unit, parent: Unit | None) -> None:
        """Attach `unit` under `parent`, rewriting the paths of its whole subtree."""
        old = unit.path
        unit.parent_id = parent.id if parent else None
        unit.path = f"{parent.path if parent else '/'}{unit.code}/"
        if old and old != unit.path:
            for child in self.session.scalars(select(Unit).where(Unit.path.startswith(old), Unit.id != unit.id)):
                child.path = unit.path + child.path[len(old):]

    def children(self, unit: Unit) -> Sequence[Unit]:
        """The units directly below `unit` (the ones it collects from), by code."""
        return self.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.path)).all()

    def subtree(self, unit: Unit) -> Sequence[Unit]:
        """The unit and every unit below it."""
        return self.session.scalars(select(Unit).where(Unit.path.startswith(unit.path)).order_by(Unit.path)).all()

    def in_subtree(self, root: Unit, unit: Unit) -> bool:
        """True when `unit` is `root` or below it."""
        return unit.path.startswith(root.path)

    def current(self, unit: Unit) -> Unit:
        """The unit that carries on `unit` today (following mergers), or `unit` itself."""
        seen = {unit.id}
        while unit.successor_id and unit.successor_id not in seen:
            unit = self.session.get(Unit, unit.successor_id) or unit
            seen.add(unit.id)
        return unit

    def collector_kind(self, unit: Unit) -> str | None:
        """The kind of the unit that collects from `unit` (its parent), for kind-specific due dates."""
        parent = self.session.get(Unit, unit.parent_id) if unit.parent_id else None
        return parent.kind if parent else None
