"""Who reports: units in a hierarchy, people, their channel identities, roles and invites."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow


class UnitKind:
    """Kinds of reporting unit (plain strings so the catalog can name them)."""

    CENTRAL = "central"
    PROVINCE = "province"
    MINISTRY = "ministry"
    AGENCY = "agency"
    ALL = (CENTRAL, PROVINCE, MINISTRY, AGENCY)


class Role:
    """What a person may do for a unit."""

    FOCAL = "focal"
    ANALYST = "analyst"
    ADMIN = "admin"
    ALL = (FOCAL, ANALYST, ADMIN)
    LINK = "link"  # not a role: an invite that attaches another channel to an existing person


class Unit(Base):
    """A reporting unit. `path` (/CBC/QUANGTRI/) makes subtree queries a prefix match."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str]
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    path: Mapped[str] = mapped_column(String(1000), index=True)
    active_from: Mapped[date | None]
    active_to: Mapped[date | None]
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[parent_id])

    def active_on(self, day: date) -> bool:
        """True when the unit existed on `day`."""
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or day <= self.active_to
        )


class Person(Base):
    """A human who talks to the bot on one or more channels."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str]
    language: Mapped[str] = mapped_column(String(8), default="vi")
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    identities: Mapped[list[Identity]] = relationship(back_populates="person")
    roles: Mapped[list[RoleGrant]] = relationship(back_populates="person")


class Identity(Base):
    """A person's account on one channel (Telegram user id, Zalo user id, console)."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str | None]
    reachable: Mapped[bool] = mapped_column(default=True)
    unreachable_reason: Mapped[str | None] = mapped_column(String(255))
    last_inbound_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person | None] = relationship(back_populates="identities")


class RoleGrant(Base):
    """A role held by a person for a unit (analysts see the unit's whole subtree)."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("person_id", "role", "unit_id"), Index(None, "unit_id", "role"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(back_populates="roles")
    unit: Mapped[Unit] = relationship()


class Invite(Base):
    """A single-use code that binds whoever redeems it to a unit and role. Only its hash is kept."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str | None]
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    for_person: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # a link code: join this person
    revoked_at: Mapped[datetime | None]  # cancelled by an operator before use (`chitieu invite revoke`)

    unit: Mapped[Unit] = relationship()


class InviteAttempt(Base):
    """A failed redemption, counted to rate-limit guessing per channel identity."""

    __tablename__ = "invite_attempts"
    __table_args__ = (Index(None, "channel", "external_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
