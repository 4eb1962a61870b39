"""Units and their hierarchy."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select

from storage.models import Unit
from storage.repositories.base import Repository


def path_under(parent: Unit | None, code: str) -> str:
    """The materialised path of the unit `code` placed under `parent` (a root when None)."""
    return f"{parent.path if parent else '/'}{code}/"


def starts_with_path(column: ColumnElement[str] | object, path: str) -> ColumnElement[bool]:
    """`column LIKE path%` with `%`, `_` and the escape character in `path` taken literally."""
    return column.startswith(path, autoescape=True, escape="\\")  # type: ignore[attr-defined, no-any-return]


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
        """Add a unit (a root until `set_parent` places it: paths are unique, so never left empty)."""
        if not unit.path:
            unit.path = path_under(None, unit.code)
        self.session.add(unit)
        return unit

    def set_parent(self, unit: Unit, parent: Unit | None) -> None:
        """Attach `unit` under `parent` and rebuild the paths of its whole subtree from `parent_id`.

        The subtree is walked by `parent_id`, never by matching the old path, so a code holding `_` or `%`
        cannot drag another unit along. Placing a unit under itself or one of its own descendants is refused.
        """
        if parent is not None and self._is_ancestor_or_self(unit, parent):
            raise ValueError(f"unit {unit.code} cannot be placed under {parent.code}: "
                             f"{parent.code} is {unit.code} itself or one of the units below it")
        unit.parent_id = parent.id if parent else None
        new = path_under(parent, unit.code)
        if unit.path == new:
            return
        unit.path = new
        pending, seen = [unit], {unit.id}
        while pending:
            above = pending.pop()
            if above.id is None:
                continue
            for child in self.session.scalars(select(Unit).where(Unit.parent_id == above.id)):
                if child.id not in seen:
                    seen.add(child.id)
                    child.path = path_under(above, child.code)
                    pending.append(child)

    def _is_ancestor_or_self(self, unit: Unit, other: Unit) -> bool:
        """True when `unit` is `other` or above it, following `parent_id` (not paths)."""
        if unit.id is None:
            return other is unit
        seen: set[int] = set()
        current: Unit | None = other
        while current is not None and current.id not in seen:
            if current.id == unit.id:
                return True
            seen.add(current.id)
            current = self.session.get(Unit, current.parent_id) if current.parent_id else None
        return False

    def children(self, unit: Unit) -> Sequence[Unit]:
        """The units directly below `unit` (the ones it collects from), by code."""
        return self.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.path)).all()

    def subtree(self, unit: Unit) -> Sequence[Unit]:
        """The unit and every unit below it."""
        return self.session.scalars(select(Unit).where(starts_with_path(Unit.path, unit.path)).order_by(Unit.path)).all()

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
