"""Taking access back: list who holds which role, revoke a role or a whole person, cancel an unused invite.

Every change is written to the audit log (who, when, what) in the same transaction, and the person is told
in the chat: a notice is queued in the outbox for each of their accounts, which the running bot delivers.
Revoking never deletes anyone: the person, their accounts and everything they sent stay (reports keep
their names); they simply hold no role, so the engine answers them only with the revocation notice, the
reminder planner no longer picks them, and their unsent reminders are given up. A new invite gives the same
person a role again. Web sessions are ended by the caller (`bot.web.auth.end_access`), in the same unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from conversations.invites import hash_code
from conversations.messages import TextOut
from conversations.outbox import to_payload
from conversations.turn import TEXTS
from storage.models import (
    AuditEntry,
    Identity,
    Invite,
    OutboxMessage,
    OutboxStatus,
    Person,
    Role,
    RoleGrant,
    utcnow,
)
from storage.uow import UnitOfWork

REVOKED = "access revoked"


def audit(uow: UnitOfWork, actor: str, action: str, target: str, detail: str | None, at: datetime) -> None:
    """Record an administrative action (the caller commits)."""
    uow.session.add(AuditEntry(at=at, actor=(actor or "unknown")[:64], action=action[:40], target=target[:200],
                               detail=detail))


def audit_entries(uow: UnitOfWork, limit: int = 50) -> list[AuditEntry]:
    """The newest entries of the audit log, newest first."""
    return list(uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


@dataclass(frozen=True)
class PersonRow:
    """One line of `chitieu people list`: a person's grant (or the person alone when they hold none)."""

    person_id: int
    name: str
    unit: str
    role: str
    accounts: str
    since: datetime | None
    revoked: datetime | None


def _accounts(identities: list[Identity]) -> str:
    return ", ".join(f"{i.channel}:{i.external_id}" + ("" if i.reachable else " (unreachable)")
                     for i in identities) or "-"


def _unit_id(uow: UnitOfWork, unit_code: str | None) -> int | None:
    """The id of the unit a CLI filter names (None for no filter); ValueError naming what to run otherwise."""
    if not unit_code:
        return None
    unit = uow.units.by_code(unit_code.upper())
    if unit is None:
        raise ValueError(f"no unit has code {unit_code!r}; see `chitieu units list`")
    return unit.id


def people_rows(uow: UnitOfWork, unit_code: str | None = None, role: str | None = None) -> list[PersonRow]:
    """Every grant (active and revoked), optionally of one unit and/or role; people without any grant too."""
    unit_id = _unit_id(uow, unit_code)
    if role is not None and role not in Role.ALL:
        raise ValueError(f"role must be one of {', '.join(Role.ALL)}, not {role!r}")
    grants = list(uow.people.all_grants(unit_id, role))
    people = {g.person_id: g.person for g in grants}
    if unit_id is None and role is None:
        people |= {p.id: p for p in uow.people.everyone()}
    identities: dict[int, list[Identity]] = {}
    for identity in uow.people.identities_of(list(people)):
        identities.setdefault(identity.person_id or 0, []).append(identity)
    rows = [PersonRow(g.person_id, g.person.display_name, g.unit.code, g.role,
                      _accounts(identities.get(g.person_id, [])), g.granted_at, g.revoked_at) for g in grants]
    with_grants = {g.person_id for g in grants}
    rows += [PersonRow(p.id, p.display_name, "-", "-", _accounts(identities.get(p.id, [])), p.created_at, None)
             for pid, p in people.items() if pid not in with_grants]
    return sorted(rows, key=lambda r: (r.person_id, r.unit, r.role))


@dataclass
class Revocation:
    """What `revoke` did: the grants taken back, unsent messages given up, notices queued."""

    person: Person
    revoked: list[RoleGrant] = field(default_factory=list)
    remaining: list[RoleGrant] = field(default_factory=list)
    cancelled_messages: int = 0
    cancelled_links: int = 0
    notices: list[int] = field(default_factory=list)  # outbox ids

    @property
    def whole_person(self) -> bool:
        """True when the person holds no role any more."""
        return not self.remaining


def _describe(grants: list[RoleGrant], lang: str) -> str:
    return ", ".join(f"{TEXTS.text('dialogue.role_' + g.role, lang)} {g.unit.name}" for g in grants)


def revoke(uow: UnitOfWork, person_id: int, now: datetime, actor: str, role: str | None = None,
           unit_code: str | None = None, everything: bool = False, reason: str | None = None) -> Revocation:
    """Take back the person's matching active grants (all of them with `everything`); the caller commits."""
    person = uow.people.person(person_id)
    if person is None:
        raise ValueError(f"no person has id {person_id}; see `chitieu people list`")
    if not everything and role is None and unit_code is None:
        raise ValueError("say what to revoke: --role and/or --unit, or --all for every role of the person")
    if role is not None and role not in Role.ALL:
        raise ValueError(f"role must be one of {', '.join(Role.ALL)}, not {role!r}")
    unit = None
    if unit_code:
        unit = uow.units.by_code(unit_code.upper())
        if unit is None:
            raise ValueError(f"no unit has code {unit_code!r}; see `chitieu units list`")
    active = list(uow.people.roles_of(person_id))
    chosen = [g for g in active if everything or ((role is None or g.role == role)
                                                  and (unit is None or g.unit_id == unit.id))]
    if not chosen:
        what = " ".join(x for x in (role, f"on {unit.code}" if unit else None) if x) or "role"
        raise ValueError(f"person {person_id} ({person.display_name}) holds no active {what}; "
                         "see `chitieu people list`")
    result = Revocation(person, chosen, [g for g in active if g not in chosen])
    for g in chosen:
        g.revoked_at = now
    identities = list(uow.people.identities_of([person_id]))
    result.notices = _tell(uow, person, identities, result)
    ids = [i.id for i in identities]
    if result.whole_person:  # nothing sent to them any more: reminders, notices, replies still queued
        result.cancelled_messages = uow.outbox.cancel_unsent(ids, REVOKED, keep=result.notices)
        for link in uow.invites.open_link_codes(person_id):
            link.revoked_at = now
            result.cancelled_links += 1
    else:
        result.cancelled_messages = uow.outbox.cancel_unsent(
            ids, REVOKED, reminders_of=(person_id, [g.unit_id for g in chosen]), keep=result.notices)
    target = f"person {person_id} ({person.display_name})"
    detail = "; ".join(filter(None, [", ".join(f"{g.role}@{g.unit.code}" for g in chosen),
                                     f"reason: {reason}" if reason else None]))
    audit(uow, actor, "person.revoke" if result.whole_person else "role.revoke", target, detail, now)
    return result


def _tell(uow: UnitOfWork, person: Person, identities: list[Identity], result: Revocation) -> list[int]:
    """Queue the notice of the change to every account of the person."""
    lang = person.language
    if result.whole_person:
        text = TEXTS.text("access.revoked_all", lang, roles=_describe(result.revoked, lang))
    else:
        text = TEXTS.text("access.revoked_some", lang, roles=_describe(result.revoked, lang),
                          remaining=_describe(result.remaining, lang))
    payload, _ = to_payload(TextOut(text, TEXTS.text("access.title", lang)))
    ids = []
    for identity in identities:
        row = uow.outbox.add(OutboxMessage(channel=identity.channel, chat_id=identity.chat_id,
                                           identity_id=identity.id, kind="notice", payload=dict(payload),
                                           status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow()))
        ids.append(row.id)
    return ids


@dataclass(frozen=True)
class InviteRow:
    """One line of `chitieu invite list`."""

    invite_id: int
    kind: str  # invite | link
    unit: str
    role: str
    name: str
    created: datetime
    expires: datetime
    status: str  # unused | used by person N | expired | revoked


def invite_status(invite: Invite, now: datetime) -> str:
    """`unused`, `used by person N`, `expired` or `revoked`."""
    if invite.revoked_at is not None:
        return "revoked"
    if invite.used_at is not None:
        return f"used by person {invite.used_by}"
    return "expired" if invite.expires_at <= now else "unused"


def invite_rows(uow: UnitOfWork, now: datetime, unit_code: str | None = None,
                show_all: bool = False) -> list[InviteRow]:
    """Invites and link codes, newest first; only the unused ones unless `show_all`."""
    unit_id = _unit_id(uow, unit_code)
    rows = []
    for inv in uow.invites.list(unit_id):
        status = invite_status(inv, now)
        if show_all or status == "unused":
            rows.append(InviteRow(inv.id, "link" if inv.for_person else "invite", inv.unit.code,
                                  f"link to person {inv.for_person}" if inv.for_person else inv.role,
                                  inv.display_name or "", inv.created_at, inv.expires_at, status))
    return rows


def revoke_invite(uow: UnitOfWork, code_or_id: str, now: datetime, actor: str) -> Invite:
    """Cancel an unused invite given by its code or its id (`chitieu invite list`); the caller commits."""
    text = code_or_id.strip()
    invite = uow.invites.by_id(int(text)) if text.isdigit() else uow.invites.by_hash(hash_code(text))
    if invite is None:
        raise ValueError(f"no invite matches {text!r}; see `chitieu invite list` (codes are not stored, "
                         "only their ids are shown)")
    status = invite_status(invite, now)
    if status == "revoked":
        raise ValueError(f"invite {invite.id} is already revoked")
    if invite.used_at is not None:
        raise ValueError(f"invite {invite.id} was already used by person {invite.used_by}; take the role back "
                         f"with `chitieu people revoke {invite.used_by} --role {invite.role} --unit {invite.unit.code}`"
                         if not invite.for_person else
                         f"link code {invite.id} was already used; see `chitieu people list`")
    invite.revoked_at = now
    audit(uow, actor, "invite.revoke", f"invite {invite.id}",
          f"{invite.role}@{invite.unit.code}" + (f" for {invite.display_name}" if invite.display_name else ""), now)
    return invite
