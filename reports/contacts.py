"""Focal persons of units, with whether the bot can still reach them on each channel."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from reports.scope import Scope, scope_clause
from reports.texts import t
from storage.models import LOCAL_CHANNELS, Identity, Person, ReminderLog, Role, RoleGrant, Unit
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Contact:
    """One focal person of a unit on one channel (channel None: registered without a chat account)."""

    unit_id: int
    name: str
    phone: str | None
    channel: str | None
    reachable: bool  # the bot can write first (as the reminder planner sees it: not a local console)
    reason: str | None
    reminder_failed: str | None = None  # why the person's latest reminder could not be delivered


def focal_contacts(uow: UnitOfWork, scope: Scope) -> dict[int, list[Contact]]:
    """Active focal persons of every unit in the scope, by unit id."""
    stmt = (select(RoleGrant.unit_id, Person.id, Person.display_name, Person.phone, Identity.channel,
                   Identity.reachable, Identity.unreachable_reason)
            .join(Unit, Unit.id == RoleGrant.unit_id).join(Person, Person.id == RoleGrant.person_id)
            .outerjoin(Identity, Identity.person_id == Person.id)
            .where(RoleGrant.role == Role.FOCAL, RoleGrant.revoked_at.is_(None), scope_clause(uow, scope))
            .order_by(RoleGrant.unit_id, Person.display_name, Identity.channel))
    found: dict[int, list[Contact]] = {}
    rows = uow.session.execute(stmt).all()
    failed = failed_reminders(uow, {unit_id for unit_id, *_ in rows})
    for unit_id, person_id, name, phone, channel, reachable, reason in rows:
        found.setdefault(unit_id, []).append(Contact(unit_id, name, phone, channel,
                                                     bool(reachable) and channel not in LOCAL_CHANNELS
                                                     if channel else False, reason,
                                                     failed.get((unit_id, person_id))))
    return found


def failed_reminders(uow: UnitOfWork, unit_ids: set[int]) -> dict[tuple[int, int], str]:
    """(unit, person) whose latest reminder was undeliverable (e.g. outside Zalo's window, no ZNS)."""
    if not unit_ids:
        return {}
    latest = (select(func.max(ReminderLog.id)).where(ReminderLog.unit_id.in_(unit_ids))
              .group_by(ReminderLog.unit_id, ReminderLog.person_id))
    rows = uow.session.execute(select(ReminderLog.unit_id, ReminderLog.person_id, ReminderLog.detail)
                               .where(ReminderLog.id.in_(latest), ReminderLog.status == "undeliverable"))
    return {(unit_id, person_id): detail or "" for unit_id, person_id, detail in rows}


def contact_text(contacts: list[Contact], lang: str) -> str:
    """`Lê Thị B (telegram ✓); Trần C (zalo ✗ blocked the bot)`, or that nobody is registered."""
    if not contacts:
        return t("missing.no_focal", lang)
    parts = []
    for c in contacts:
        if c.channel is None:
            where = t("missing.no_channel", lang)
        elif c.channel in LOCAL_CHANNELS:  # answers when spoken to; reminders cannot reach it
            where = t("missing.local_only", lang, channel=c.channel)
        elif c.reachable:
            where = t("missing.reachable", lang, channel=c.channel)
        else:
            where = t("missing.unreachable", lang, channel=c.channel, reason=c.reason or t("missing.no_reason", lang))
        phone = f", {c.phone}" if c.phone else ""
        failed = f"; {t('missing.reminder_failed', lang, reason=c.reminder_failed)}" if c.reminder_failed else ""
        parts.append(f"{c.name} ({where}{phone}{failed})")
    return "; ".join(parts)
