"""Messages to administrators about the bot itself (e.g. a failed Zalo token refresh)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from conversations.messages import TextOut
from conversations.outbox import to_payload
from conversations.turn import TEXTS
from storage.models import OutboxMessage, Role

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


def alert_admins(app: App, key: str, **params: object) -> int:
    """Queue a catalog message to every reachable identity of every admin; returns how many were queued."""
    log.error("alert for admins: %s", key)
    queued = 0
    with app.uow() as uow:
        admins = {g.person_id for g in uow.people.holders([u.id for u in uow.units.all()], Role.ADMIN)}
        for identity in uow.people.identities_of(admins):
            if not identity.reachable:
                continue
            person = uow.people.person(identity.person_id) if identity.person_id else None
            text = TEXTS.text(key, person.language if person else "vi", **params)
            payload, _ = to_payload(TextOut(text, TEXTS.text("alerts.title", person.language if person else "vi")))
            uow.outbox.add(OutboxMessage(channel=identity.channel, chat_id=identity.chat_id,
                                         identity_id=identity.id, payload=payload, kind="alert"))
            queued += 1
        uow.commit()
    return queued
