"""The durable peer's storage: python-telegram-bot's `BasePersistence` on SQLite, committed after every update.

PTB's own persistences (`PicklePersistence`, `DictPersistence`) write on a timer (every 60 s by default), so a
crash loses up to a minute of answers. The minimal way to make a PTB form bot lose nothing is what this
module does: keep the conversation states and `user_data` in SQLite (WAL, synchronous=NORMAL, as chitieu-bot's
own database) and, with `DurableApplication`, write and commit them after each update, before the next one.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from telegram.ext import Application, BasePersistence, PersistenceInput

ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]

SCHEMA = ("CREATE TABLE IF NOT EXISTS user_data (user_id INTEGER PRIMARY KEY, data TEXT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS conversations (name TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL, "
          "PRIMARY KEY (name, key))")


class SqlitePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Conversation states and user data in one SQLite file; `flush()` commits what the updates wrote."""

    def __init__(self, path: str) -> None:
        super().__init__(store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True,
                                                     callback_data=False), update_interval=3600)
        self.path = path
        self.conn = sqlite3.connect(path)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        for statement in SCHEMA:
            self.conn.execute(statement)
        self.conn.commit()
        self.commits = 0

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Every person's user_data."""
        return {uid: json.loads(data) for uid, data in self.conn.execute("SELECT user_id, data FROM user_data")}

    async def get_conversations(self, name: str) -> ConversationDict:
        """The states of conversation `name`, by (chat, user) key."""
        rows = self.conn.execute("SELECT key, state FROM conversations WHERE name = ?", (name,))
        return {tuple(json.loads(key)): json.loads(state) for key, state in rows}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        """Write one conversation's state (None: it ended)."""
        if new_state is None:
            self.conn.execute("DELETE FROM conversations WHERE name = ? AND key = ?", (name, json.dumps(key)))
            return
        self.conn.execute("INSERT INTO conversations (name, key, state) VALUES (?, ?, ?) ON CONFLICT (name, key) "
                          "DO UPDATE SET state = excluded.state", (name, json.dumps(key), json.dumps(new_state)))

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Write one person's user_data."""
        self.conn.execute("INSERT INTO user_data (user_id, data) VALUES (?, ?) ON CONFLICT (user_id) "
                          "DO UPDATE SET data = excluded.data", (user_id, json.dumps(data)))

    async def drop_user_data(self, user_id: int) -> None:
        """Forget one person's user_data."""
        self.conn.execute("DELETE FROM user_data WHERE user_id = ?", (user_id,))

    async def flush(self) -> None:
        """Commit everything written since the last flush."""
        self.conn.commit()
        self.commits += 1

    # not stored: the form bot keeps everything in user_data and the conversation states
    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:  # noqa: D102
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:  # noqa: D102
        return {}

    async def get_callback_data(self) -> None:  # noqa: D102
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:  # noqa: D102
        pass

    async def update_bot_data(self, data: dict[Any, Any]) -> None:  # noqa: D102
        pass

    async def update_callback_data(self, data: Any) -> None:  # noqa: D102
        pass

    async def drop_chat_data(self, chat_id: int) -> None:  # noqa: D102
        pass

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:  # noqa: D102
        pass

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:  # noqa: D102
        pass

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:  # noqa: D102
        pass


class DurableApplication(Application):
    """PTB's Application that writes the persistence and commits after every update, before the next one.

    `on_commit`, when set, is called with the update and the perf_counter time its commit finished (the
    benchmark uses it; the reply to the update has usually been sent before).
    """

    on_commit: Callable[[object, float], None] | None = None

    async def process_update(self, update: object) -> None:
        """Handle the update as PTB does, then persist what it changed and commit."""
        await super().process_update(update)
        await self.update_persistence()
        if self.persistence is not None:
            await self.persistence.flush()
        if self.on_commit is not None:
            self.on_commit(update, time.perf_counter())
