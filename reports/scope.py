"""Who sees what: an analyst of unit X sees X's subtree, an administrator sees every unit.

A scope is a set of subtree roots (empty = everything). Units merged away in 2025 belong to the
scope of the unit that carries them on (`successor_id`), so a province's history stays with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select, true

from reports.errors import ReportError
from reports.texts import t
from storage.models import Role, RoleGrant, Unit
from storage.repositories.units import starts_with_path
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Root:
    """A unit whose whole subtree is visible."""

    id: int
    code: str
    name: str
    path: str


@dataclass(frozen=True)
class Scope:
    """The subtrees a person may see; no roots means every unit."""

    roots: tuple[Root, ...] = ()

    @property
    def everything(self) -> bool:
        """True for an administrator's scope."""
        return not self.roots

    def label(self, lang: str) -> str:
        """`Toàn quốc` or the roots' names."""
        return t("common.everything", lang) if self.everything else ", ".join(r.name for r in self.roots)

    def target_scopes(self) -> list[str]:
        """Unit codes whose own targets apply, nearest first (one root and its ancestors; else none)."""
        if len(self.roots) != 1:
            return []
        return [c for c in reversed(self.roots[0].path.strip("/").split("/")) if c]

    def contains_path(self, path: str) -> bool:
        """True when a unit with this path is inside the scope."""
        return self.everything or any(path.startswith(r.path) for r in self.roots)


def _root(unit: Unit) -> Root:
    return Root(unit.id, unit.code, unit.name, unit.path)


def _outermost(units: Iterable[Unit]) -> tuple[Root, ...]:
    """Drop roots that sit inside another root."""
    ordered = sorted({u.id: u for u in units}.values(), key=lambda u: u.path)
    kept: list[Unit] = []
    for u in ordered:
        if not any(u.path.startswith(k.path) for k in kept):
            kept.append(u)
    return tuple(_root(u) for u in kept)


def scope_of_grants(grants: Iterable[RoleGrant]) -> Scope | None:
    """The scope of a person's roles: admin → everything, analyst → their units' subtrees, else None."""
    grants = list(grants)
    if any(g.role == Role.ADMIN for g in grants):
        return Scope()
    analyst = [g.unit for g in grants if g.role == Role.ANALYST]
    return Scope(_outermost(analyst)) if analyst else None


def subtree_scope(uow: UnitOfWork, code: str | None) -> Scope:
    """The subtree of unit `code` (everything when no code is given), for the CLI's `--unit`."""
    if not code:
        return Scope()
    unit = uow.units.by_code(code)
    if unit is None:
        raise ReportError("unknown_unit", unit=code)
    return Scope((_root(unit),))


def within(uow: UnitOfWork, outer: Scope, code: str) -> Scope:
    """The subtree of `code`, refused when it lies outside `outer` (an analyst asking about another unit)."""
    inner = subtree_scope(uow, code)
    if not outer.contains_path(inner.roots[0].path):
        raise ReportError("outside_scope", unit=code.upper())
    return inner


def scope_clause(uow: UnitOfWork, scope: Scope, unit: type[Unit] | object = Unit) -> ColumnElement[bool]:
    """SQL condition on `units` (or an alias of it) selecting the scope, merged units included."""
    if scope.everything:
        return true()
    prefixes = [starts_with_path(unit.path, r.path) for r in scope.roots]  # type: ignore[attr-defined]
    merged = merged_into(uow, scope)
    if merged:
        prefixes.append(unit.id.in_(merged))  # type: ignore[attr-defined]
    return or_(*prefixes)


def merged_into(uow: UnitOfWork, scope: Scope) -> list[int]:
    """Units outside the scope's paths whose current successor is inside it (few: the 2025 mergers)."""
    merged = uow.session.execute(select(Unit.id, Unit.path, Unit.successor_id)
                                 .where(Unit.successor_id.is_not(None))).all()
    if scope.everything or not merged:
        return []
    known = {r.id: r for r in merged}
    missing = {r.successor_id for r in merged} - set(known)
    known.update({r.id: r for r in uow.session.execute(
        select(Unit.id, Unit.path, Unit.successor_id).where(Unit.id.in_(missing))).all()})
    found = []
    for r in merged:
        if scope.contains_path(r.path):
            continue
        current, seen = r, {r.id}
        while current.successor_id and current.successor_id not in seen and current.successor_id in known:
            current = known[current.successor_id]
            seen.add(current.id)
        if scope.contains_path(current.path):
            found.append(r.id)
    return found
