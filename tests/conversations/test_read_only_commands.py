"""Read-only commands (summaries) run after the turn commits, so they never hold SQLite's write lock."""

from __future__ import annotations

import sqlite3

from sqlalchemy.engine import make_url

from bot.app import App
from conversations.engine import Engine, ExtraCommand
from conversations.service import DialogueService
from conversations.turn import Turn
from tests.helpers.app import invite
from tests.helpers.chat import Chat


def test_a_read_only_command_lets_other_writers_through(app: App) -> None:
    path = make_url(app.settings.database_url).database
    seen: list[str] = []

    def report(turn: Turn, args: str) -> None:
        other = sqlite3.connect(path, timeout=0.2, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # raises "database is locked" if this turn still held the lock
        other.execute("COMMIT")
        other.close()
        seen.append(args)
        turn.say(f"báo cáo {args}")

    engine = Engine({"tonghop": ExtraCommand(("analyst",), report, read_only=True)})
    service = DialogueService(app.uow, app.clock, engine, new_read_uow=app.read_uow)
    chat = Chat(service, "a1")
    chat.send(f"/start {invite(app, 'CBC', 'analyst')}")
    chat.send("/tonghop 2026-Q3")
    assert seen == ["2026-Q3"] and chat.text.strip() == "báo cáo 2026-Q3"
    focal = Chat(service, "f1")
    focal.send(f"/start {invite(app, 'HANOI')}")
    focal.send("/tonghop")
    assert "chỉ dành cho cán bộ tổng hợp" in focal.text and seen == ["2026-Q3"]
