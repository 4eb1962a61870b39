"""Download links for files a channel cannot carry (Zalo refuses Excel): unguessable, short-lived.

A link is good for an hour (`LIFETIME`); expired rows, and the file bytes they hold, are deleted when
a link is made or opened and by the housekeeping pass (`purge_expired`).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete

from conversations.messages import DocumentOut
from conversations.turn import TEXTS
from storage.models import Download

if TYPE_CHECKING:
    from bot.app import App
    from storage.uow import UnitOfWork

LIFETIME = timedelta(hours=1)
PATH = "/files/"
# Sent with every file: never kept by a browser or a proxy, never sniffed into something runnable.
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def offer_download(app: App, doc: DocumentOut, lang: str = "vi") -> str:
    """Store the file and return the sentence with its link (or why no link can be given)."""
    base = app.settings.public_base_url
    if not base:
        return TEXTS.text("alerts.no_download_link", lang, filename=doc.filename)
    token = secrets.token_urlsafe(32)
    now = app.clock.now()
    with app.uow() as uow:
        _purge(uow, now)
        uow.session.add(Download(token=token, filename=doc.filename, data=doc.data, expires_at=now + LIFETIME))
        uow.commit()
    return TEXTS.text("alerts.download_link", lang, filename=doc.filename, url=f"{base.rstrip('/')}{PATH}{token}",
                      hours=int(LIFETIME.total_seconds() // 3600))


def fetch_download(app: App, token: str) -> Download | None:
    """The file behind a link, if the link exists and has not expired (an expired one is deleted)."""
    now = app.clock.now()
    with app.uow() as uow:
        found = uow.session.get(Download, token)
        if found is not None and found.expires_at < now:
            _purge(uow, now)
            uow.commit()
            return None
        return found


def purge_expired(app: App) -> int:
    """Delete every expired link and its file; how many."""
    with app.uow() as uow:
        gone = _purge(uow, app.clock.now())
        uow.commit()
    return gone


def _purge(uow: UnitOfWork, now: datetime) -> int:
    return uow.session.execute(delete(Download).where(Download.expires_at < now)).rowcount or 0
