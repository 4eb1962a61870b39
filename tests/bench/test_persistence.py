"""The durable PTB peer (bench/persistence.py, bench/peer.py): what it commits survives a restart."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from telegram.ext import ApplicationBuilder

from bench.peer import INTL1, build
from bench.persistence import DurableApplication, SqlitePersistence
from bench.transport import Transport
from bench.world import TOKEN


async def test_flush_commits_what_the_updates_wrote(tmp_path: Path) -> None:
    path = str(tmp_path / "p.sqlite3")
    store = SqlitePersistence(path)
    await store.update_user_data(7, {"ct1": "60%/40%"})
    await store.update_conversation("nop", (7, 7), INTL1)
    other = SqlitePersistence(path)
    assert await other.get_user_data() == {}  # not committed yet
    await store.flush()
    assert await other.get_user_data() == {7: {"ct1": "60%/40%"}}
    assert await other.get_conversations("nop") == {(7, 7): INTL1}
    await store.update_conversation("nop", (7, 7), None)  # the conversation ended
    await store.drop_user_data(7)
    await store.flush()
    assert await other.get_conversations("nop") == {}
    assert await other.get_user_data() == {}


async def _say(transport: Transport, update: dict) -> None:
    future = transport.expect(int(update["message"]["chat"]["id"]))
    transport.push(update)
    await asyncio.wait_for(future, 10)


async def test_each_answer_is_committed_before_the_next_update_and_survives_a_restart(tmp_path: Path) -> None:
    transport, uid = Transport(), 7_000_001
    committed: list[object] = []
    for restart in range(2):
        builder = ApplicationBuilder().token(TOKEN).request(transport.request()).get_updates_request(transport.request())
        application = build("durable", str(tmp_path), builder)
        assert isinstance(application, DurableApplication)
        application.on_commit = lambda update, _at: committed.append(update)
        async with application:
            await application.start()
            await application.updater.start_polling(poll_interval=0, timeout=1)
            if restart == 0:
                await _say(transport, transport.text(uid, "/nop"))
                await _say(transport, transport.text(uid, "61%/39%"))
            else:  # after the restart the conversation goes on where it was: question 1's comparison
                assert application.persistence is not None
                assert await application.persistence.get_conversations("nop") == {(uid, uid): INTL1}
            while len(committed) < 2:
                await asyncio.sleep(0.01)
            await application.updater.stop()
            await application.stop()
    rows = sqlite3.connect(tmp_path / "conversation.sqlite3").execute("SELECT data FROM user_data").fetchall()
    assert [json.loads(r[0]) for r in rows] == [{"ct1": "61%/39%"}]


def test_an_unknown_peer_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="pickle, durable"):
        build("memory", str(tmp_path), ApplicationBuilder().token(TOKEN))
