"""Download links for files a channel cannot carry (Zalo refuses Excel): unguessable, expiring."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from conversations.messages import DocumentOut
from conversations.turn import TEXTS
from storage.models import Download

if TYPE_CHECKING:
    from bot.app import App

LIFETIME = timedelta(hours=24)
PATH = "/files/"


def offer_download(app: App, doc: DocumentOut, lang: str = "vi") -> str:
    """Store the file and return the sentence with its link (or why no link can be given)."""
    base = app.settings.public_base_url
    if not base:
        return TEXTS.text("alerts.no_download_link", lang, filename=doc.filename)
    token = secrets.token_urlsafe(32)
    with app.uow() as uow:
        uow.session.add(Download(token=token, filename=doc.filename, data=doc.data,
                                 expires_at=app.clock.now() + LIFETIME))
        uow.commit()
    return TEXTS.text("alerts.download_link", lang, filename=doc.filename, url=f"{base.rstrip('/')}{PATH}{token}",
                      hours=int(LIFETIME.total_seconds() // 3600))


def fetch_download(app: App, token: str) -> Download | None:
    """The file behind a link, if the link exists and has not expired."""
    with app.uow() as uow:
        found = uow.session.get(Download, token)
        if found is None or found.expires_at < app.clock.now():
            return None
        return found
