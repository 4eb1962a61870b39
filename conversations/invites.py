"""Invite codes: created by an administrator, redeemed once by a focal person, analyst or admin."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from conversations.parsing import fold
from storage.models import Identity, Invite, Person, Role
from storage.uow import UnitOfWork

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: easy to read aloud and type
CODE_GROUPS, GROUP_LEN = 3, 4  # 12 symbols of 32 = 60 bits
MAX_FAILURES_PER_HOUR = 5


def new_code() -> str:
    """A fresh random code such as `7K3P-9XMW-2ACD`."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_GROUPS * GROUP_LEN))
    return "-".join(raw[i:i + GROUP_LEN] for i in range(0, len(raw), GROUP_LEN))


def canonical(code: str) -> str:
    """The code as typed, reduced to its symbols (case, spaces and dashes do not matter)."""
    return re.sub(r"[^A-Z0-9]", "", code.upper())


def hash_code(code: str) -> str:
    """What is stored instead of the code."""
    return hashlib.sha256(canonical(code).encode()).hexdigest()


def looks_like_code(text: str) -> bool:
    """True when `text` has the shape of an invite code (used on Zalo, where it is typed bare)."""
    symbols = canonical(text)
    return len(symbols) == CODE_GROUPS * GROUP_LEN and set(symbols) <= set(ALPHABET) and len(text) <= 20


def create_invite(uow: UnitOfWork, unit_code: str, role: str, days: int, now: datetime,
                  name: str | None = None) -> str:
    """Create an invite and return its code (shown once; only its hash is kept)."""
    if role not in Role.ALL:
        raise ValueError(f"role must be one of {', '.join(Role.ALL)}, not {role!r}")
    if days < 1 or days > 365:
        raise ValueError(f"--expires must be between 1 and 365 days, not {days}")
    unit = uow.units.by_code(unit_code)
    if unit is None:
        raise ValueError(f"no unit has code {unit_code!r}; see `chitieu units list`")
    code = new_code()
    uow.invites.add(Invite(code_hash=hash_code(code), unit_id=unit.id, role=role, display_name=name,
                           expires_at=now + timedelta(days=days)))
    return code


def create_link_code(uow: UnitOfWork, person_id: int, unit_id: int, now: datetime) -> str:
    """A code the person types on another channel to use the same account there (24 hours, once)."""
    code = new_code()
    uow.invites.add(Invite(code_hash=hash_code(code), unit_id=unit_id, role=Role.LINK, for_person=person_id,
                           expires_at=now + timedelta(hours=24)))
    return code


@dataclass(frozen=True)
class Redemption:
    """The outcome of typing a code: `ok`, `linked`, or why not (`unknown`, `revoked`, `used`, `expired`, `throttled`,
    `other_person`: this chat already belongs to someone else). In a chat already registered, a new invite is
    not taken at once: `confirm` (the person is asked first), `other_name` (the invite names someone else)
    or `already` (the person holds that role already); the invite stays unused."""

    outcome: str
    invite: Invite | None = None


def redeem(uow: UnitOfWork, identity: Identity, code: str, now: datetime) -> Redemption:
    """Bind the identity's person to the invite's unit and role, once; wrong guesses are rate-limited."""
    if uow.invites.failures_since(identity.channel, identity.external_id, now - timedelta(hours=1)) \
            >= MAX_FAILURES_PER_HOUR:
        return Redemption("throttled")
    invite = uow.invites.by_hash(hash_code(code))
    if invite is None:
        uow.invites.record_failure(identity.channel, identity.external_id, now)
        return Redemption("unknown")
    if invite.revoked_at is not None:
        return Redemption("revoked", invite)
    if invite.used_at is not None:
        return Redemption("used", invite)
    if invite.expires_at < now:
        return Redemption("expired", invite)
    if invite.for_person is not None:
        return _link(identity, invite, now)
    person = uow.people.person(identity.person_id) if identity.person_id else None
    if person is None:
        person = uow.people.add_person(invite.display_name or identity.display_name or "")
        identity.person_id = person.id
        return accept(uow, person, invite, now)
    if invite.display_name and _name(invite.display_name) != _name(person.display_name):
        return Redemption("other_name", invite)
    held = uow.people.roles_of(person.id)
    if not held:  # every role was taken back: the new invite gives access again, nothing to confirm
        return accept(uow, person, invite, now)
    if any(g.role == invite.role and g.unit_id == invite.unit_id for g in held):
        return Redemption("already", invite)
    return Redemption("confirm", invite)


def accept(uow: UnitOfWork, person: Person, invite: Invite, now: datetime) -> Redemption:
    """Give the person the invite's role on its unit and use the invite up."""
    uow.people.grant(person, invite.role, invite.unit)
    invite.used_at, invite.used_by = now, person.id
    return Redemption("ok", invite)


def pending_invite(uow: UnitOfWork, invite_id: int, now: datetime) -> Invite | None:
    """An invite waiting for the person's confirmation, if it is still usable (locked while it is used)."""
    invite = uow.invites.by_id(invite_id)
    if invite is None or invite.used_at is not None or invite.expires_at < now or invite.for_person is not None:
        return None
    return invite


def _name(name: str | None) -> str:
    """A person's name compared loosely: case, diacritics and spaces do not matter."""
    return " ".join(fold(name or "").split())


def _link(identity: Identity, invite: Invite, now: datetime) -> Redemption:
    """Attach this chat to the person who asked for the link code."""
    if identity.person_id is not None and identity.person_id != invite.for_person:
        return Redemption("other_person", invite)
    identity.person_id = invite.for_person
    invite.used_at, invite.used_by = now, invite.for_person
    return Redemption("linked", invite)
