"""Databases for the benchmarks: a migrated SQLite file or a private PostgreSQL schema, the shipped
catalog, extra provinces and focal persons already at question 1 of Form 1 (CL 2026-Q4)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator

from sqlalchemy import update

from bot.app import App
from conversations.messages import ButtonIn, CommandIn, Inbound, Sender
from storage.migrate import upgrade
from storage.models import OutboxMessage, OutboxStatus, Unit

FIRST_UID = 5_000_001
TOKEN = "123456:BENCHbenchBENCHbenchBENCHbenchBENCH"


@contextlib.contextmanager
def database(backend: str) -> Iterator[str]:
    """A fresh migrated database URL on `backend` (`sqlite` or `postgresql`), removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            url = f"sqlite:///{tmp}/bench.sqlite3"
            upgrade(url)
            yield url
        return
    from tests.helpers.databases import PgSchema

    schema = PgSchema()
    try:
        yield schema.url
    finally:
        schema.drop()


def make(url: str, **settings: object) -> App:
    """An App on `url` with the shipped catalog loaded, clocked at 21/11/2026 09:00 (CL 2026-Q4 is open)."""
    from tests.helpers.app import make_app

    return make_app(url, **settings)


def add_provinces(app: App, count: int) -> list[str]:
    """`count` extra provinces under Cục Báo chí (Form 1's providers); returns their codes."""
    codes = [f"BENCH{i:05d}" for i in range(count)]
    with app.uow() as uow:
        root = uow.units.by_code("CBC")
        uow.session.add_all([Unit(code=c, name=f"Tỉnh thử {i}", kind="province", parent_id=root.id,
                                  path=f"{root.path}{c}/") for i, c in enumerate(codes)])
        uow.commit()
    return codes


def focal_persons(app: App, count: int, channel: str = "telegram") -> list[int]:
    """`count` registered focal persons, one per new province, each at question 1 of CL 2026-Q4."""
    from tests.helpers.app import invite

    service = app.dialogue_service()
    uids = []
    for i, code in enumerate(add_provinces(app, count)):
        uid = FIRST_UID + i
        sender = Sender(channel, str(uid), str(uid), f"Đầu mối {i}", "private")
        service.handle(Inbound(sender, CommandIn("start", invite(app, code)), f"setup-{uid}-1"))
        [choose] = [q.reply for q in service.handle(Inbound(sender, CommandIn("nop", "2026-Q4"), f"setup-{uid}-2"))]
        if getattr(choose, "buttons", None) and any("open:" in b.data for row in choose.buttons for b in row):
            data = next(b.data for row in choose.buttons for b in row if "2026-Q4" in b.label)
            service.handle(Inbound(sender, ButtonIn(data), f"setup-{uid}-3"))
        uids.append(uid)
    with app.uow() as uow:  # the setup's replies count as delivered (they were never meant to be sent)
        uow.session.execute(update(OutboxMessage).values(status=OutboxStatus.SENT))
        uow.commit()
    return uids
