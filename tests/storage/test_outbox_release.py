"""Claims handed back at a clean stop, and the ages /healthz reports, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from storage.models import InboxEvent, OutboxMessage, OutboxStatus, utcnow
from tests.helpers.app import make_app


def test_release_puts_only_claimed_rows_back_to_pending(db_url: str) -> None:
    app = make_app(db_url, load=False)
    with app.uow() as uow:
        ids = [uow.outbox.add(OutboxMessage(channel="test", chat_id="c", payload={"type": "text", "text": str(i)})).id
               for i in range(3)]
        uow.commit()
    with app.uow() as uow:
        claimed = [m.id for m in uow.outbox.claim(utcnow() + timedelta(seconds=1))]
        uow.outbox.mark_sent(ids[0], utcnow())
        uow.commit()
    assert claimed == ids
    with app.uow() as uow:
        assert uow.outbox.release(ids) == 2  # the sent one is left alone
        uow.commit()
    with app.uow() as uow:
        rows = {r.id: r for r in uow.session.query(OutboxMessage).all()}
        assert rows[ids[0]].status == OutboxStatus.SENT
        assert [(rows[i].status, rows[i].attempts, rows[i].claimed_at) for i in ids[1:]] == \
            [(OutboxStatus.PENDING, 0, None)] * 2
        # released rows are due at once: the next start claims them (and only once)
        assert [m.id for m in uow.outbox.claim(utcnow() + timedelta(seconds=1))] == ids[1:]
    app.close()


def test_oldest_unapplied_and_unsent(db_url: str) -> None:
    app = make_app(db_url, load=False)
    old = utcnow() - timedelta(minutes=5)
    with app.uow() as uow:
        assert uow.inbox.oldest_unapplied_at() is None and uow.outbox.oldest_unsent_at() is None
        uow.session.add(InboxEvent(channel="telegram", update_key="1", chat_id="c", payload={}, received_at=old))
        uow.session.add(InboxEvent(channel="telegram", update_key="2", chat_id="c", received_at=old - timedelta(hours=1),
                                   processed_at=old))
        uow.outbox.add(OutboxMessage(channel="test", chat_id="c", payload={}, created_at=old))
        uow.outbox.add(OutboxMessage(channel="test", chat_id="c", payload={}, status=OutboxStatus.SENT,
                                     created_at=old - timedelta(hours=1)))
        uow.commit()
    with app.uow() as uow:
        for found in (uow.inbox.oldest_unapplied_at(), uow.outbox.oldest_unsent_at()):
            found = found if found.tzinfo else found.replace(tzinfo=old.tzinfo)
            assert abs((found - old).total_seconds()) < 1
    app.close()
