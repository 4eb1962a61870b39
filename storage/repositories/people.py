"""People, their channel identities, roles and invites."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from storage.models import Identity, Invite, InviteAttempt, Person, RoleGrant, Unit, utcnow
from storage.repositories.base import Repository, insert_ignore


class PeopleRepository(Repository):
    """Who is who, on which channel, with which roles."""

    def identity(self, channel: str, external_id: str) -> Identity | None:
        """The identity of a channel account, if it has written before."""
        return self.session.scalar(
            select(Identity).where(Identity.channel == channel, Identity.external_id == external_id)
        )

    def lock_identity(self, identity_id: int) -> Identity:
        """The identity, row-locked until commit: one message per person at a time, whatever the worker."""
        if self.session.get_bind().dialect.name == "sqlite":
            # FOR UPDATE means nothing to SQLite: the unit of work already holds the write lock (BEGIN
            # IMMEDIATE), so the identity loaded in this transaction is current; no second query.
            found = self.session.get(Identity, identity_id)
        else:
            found = self.session.scalar(select(Identity).where(Identity.id == identity_id).with_for_update())
        assert found is not None
        return found

    def identity_by_id(self, identity_id: int) -> Identity | None:
        """The identity with this id."""
        return self.session.get(Identity, identity_id)

    def ensure_identity(self, channel: str, external_id: str, chat_id: str, name: str | None) -> Identity:
        """The identity of a channel account, created on first contact (safe under concurrency)."""
        found = self.identity(channel, external_id)
        if found is None:
            insert_ignore(
                self.session, Identity.__table__,
                {"channel": channel, "external_id": external_id, "chat_id": chat_id, "display_name": name,
                 "reachable": True, "created_at": utcnow()},
                ["channel", "external_id"],
            )
            found = self.identity(channel, external_id)
        assert found is not None
        return found

    def person(self, person_id: int) -> Person | None:
        """The person with this id."""
        return self.session.get(Person, person_id)

    def add_person(self, display_name: str, language: str = "vi") -> Person:
        """A new person."""
        person = Person(display_name=display_name, language=language)
        self.session.add(person)
        self.session.flush()
        return person

    def grant(self, person: Person, role: str, unit: Unit) -> None:
        """Give `person` `role` on `unit` (no-op when already held; a revoked grant is given back)."""
        now = utcnow()
        if not insert_ignore(
            self.session, RoleGrant.__table__,
            {"person_id": person.id, "role": role, "unit_id": unit.id, "granted_at": now},
            ["person_id", "role", "unit_id"],
        ):
            self.session.execute(update(RoleGrant).where(
                RoleGrant.person_id == person.id, RoleGrant.role == role, RoleGrant.unit_id == unit.id,
                RoleGrant.revoked_at.is_not(None)).values(revoked_at=None, granted_at=now))

    def all_grants(self, unit_id: int | None = None, role: str | None = None,
                   person_id: int | None = None) -> Sequence[RoleGrant]:
        """Every grant, revoked ones included, with units and people (`chitieu people list`)."""
        stmt = select(RoleGrant).options(joinedload(RoleGrant.unit), joinedload(RoleGrant.person))
        if unit_id is not None:
            stmt = stmt.where(RoleGrant.unit_id == unit_id)
        if role is not None:
            stmt = stmt.where(RoleGrant.role == role)
        if person_id is not None:
            stmt = stmt.where(RoleGrant.person_id == person_id)
        return self.session.scalars(stmt.order_by(RoleGrant.person_id, RoleGrant.id)).all()

    def everyone(self) -> Sequence[Person]:
        """Every person, oldest first."""
        return self.session.scalars(select(Person).order_by(Person.id)).all()

    def roles_of(self, person_id: int) -> Sequence[RoleGrant]:
        """The person's active role grants, with their units."""
        return self.session.scalars(
            select(RoleGrant).where(RoleGrant.person_id == person_id, RoleGrant.revoked_at.is_(None))
            .options(joinedload(RoleGrant.unit)).order_by(RoleGrant.id)  # units in the same query, not one each
        ).all()

    def holders(self, unit_ids: Iterable[int], role: str) -> Sequence[RoleGrant]:
        """Active grants of `role` on any of `unit_ids`."""
        return self.session.scalars(
            select(RoleGrant).where(RoleGrant.unit_id.in_(list(unit_ids)), RoleGrant.role == role,
                                    RoleGrant.revoked_at.is_(None))
        ).all()

    def role_holders(self, role: str) -> list[tuple[int, int]]:
        """(unit, person) of every active grant of `role` (reminders plan for all units at once)."""
        rows = self.session.execute(
            select(RoleGrant.unit_id, RoleGrant.person_id).where(RoleGrant.role == role, RoleGrant.revoked_at.is_(None))
            .order_by(RoleGrant.id))
        return [(unit_id, person_id) for unit_id, person_id in rows]

    def people_by_id(self, person_ids: Iterable[int]) -> dict[int, Person]:
        """These people, by id (one query)."""
        ids = list(set(person_ids))
        return {p.id: p for p in self.session.scalars(select(Person).where(Person.id.in_(ids)))} if ids else {}

    def identities_of(self, person_ids: Iterable[int]) -> Sequence[Identity]:
        """Every channel identity of these people."""
        return self.session.scalars(select(Identity).where(Identity.person_id.in_(list(person_ids)))).all()

    def mark_unreachable(self, identity: Identity, reason: str) -> None:
        """Remember that messages to this identity cannot be delivered (blocked, left, …)."""
        identity.reachable = False
        identity.unreachable_reason = reason[:255]

    def mark_seen(self, identity: Identity, at: datetime) -> None:
        """The person wrote to us: they are reachable and the reply window restarts."""
        identity.last_inbound_at = at
        if not identity.reachable:
            identity.reachable, identity.unreachable_reason = True, None


class InviteRepository(Repository):
    """Single-use invite codes (only hashes are stored) and failed-guess counting."""

    def add(self, invite: Invite) -> Invite:
        """Store a new invite."""
        self.session.add(invite)
        self.session.flush()
        return invite

    def by_hash(self, code_hash: str, lock: bool = True) -> Invite | None:
        """The invite with this code hash, locked so two people cannot redeem it at once."""
        stmt = select(Invite).where(Invite.code_hash == code_hash)
        return self.session.scalar(stmt.with_for_update() if lock else stmt)

    def failures_since(self, channel: str, external_id: str, since: datetime) -> int:
        """How many wrong codes this account typed since `since`."""
        return self.session.scalar(
            select(func.count()).select_from(InviteAttempt).where(
                InviteAttempt.channel == channel, InviteAttempt.external_id == external_id,
                InviteAttempt.at >= since)
        ) or 0

    def record_failure(self, channel: str, external_id: str, at: datetime) -> None:
        """Count a wrong code typed by this account."""
        self.session.add(InviteAttempt(channel=channel, external_id=external_id, at=at))

    def by_id(self, invite_id: int, lock: bool = True) -> Invite | None:
        """The invite with this id (locked, like `by_hash`)."""
        stmt = select(Invite).where(Invite.id == invite_id)
        return self.session.scalar(stmt.with_for_update() if lock else stmt)

    def open_link_codes(self, person_id: int) -> Sequence[Invite]:
        """The person's link codes not used, revoked or expired yet."""
        return self.session.scalars(select(Invite).where(
            Invite.for_person == person_id, Invite.used_at.is_(None), Invite.revoked_at.is_(None),
            Invite.expires_at > utcnow())).all()

    def list(self, unit_id: int | None = None) -> Sequence[Invite]:
        """Invites, newest first, optionally for one unit."""
        stmt = select(Invite).options(joinedload(Invite.unit)).order_by(Invite.id.desc())
        return self.session.scalars(stmt.where(Invite.unit_id == unit_id) if unit_id else stmt).all()
