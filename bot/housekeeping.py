"""The periodic clean-up of `chitieu run`: expired download links and their files, old inbox rows.

Inbox rows are the dedupe keys of updates: an applied row is kept `INBOX_KEEP_HOURS` (well beyond the
window in which a signed Zalo event is accepted, `ZALO_EVENT_MAX_AGE_SECONDS`, and beyond Telegram's
redelivery), then deleted; rows not yet applied are never deleted.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.downloads import purge_expired
from storage.models import utcnow

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)


def housekeeping(app: App) -> tuple[int, int]:
    """One pass: (expired downloads deleted, inbox rows pruned)."""
    downloads = purge_expired(app)
    with app.uow() as uow:
        pruned = uow.inbox.prune(utcnow() - timedelta(hours=app.settings.inbox_keep_hours))
        uow.commit()
    if downloads or pruned:
        log.info("housekeeping: %d expired download(s) and %d old inbox row(s) deleted", downloads, pruned)
    return downloads, pruned


async def housekeeping_forever(app: App) -> None:
    """A pass at start-up, then every `HOUSEKEEPING_SECONDS`."""
    while True:
        try:
            await asyncio.to_thread(housekeeping, app)
        except Exception:  # noqa: BLE001 - the database may be down; try again next time
            log.warning("housekeeping failed; retrying later")
        await asyncio.sleep(app.settings.housekeeping_seconds)
