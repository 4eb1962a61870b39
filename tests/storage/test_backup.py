"""`chitieu db backup` / `restore` round trips, on SQLite (online backup) and PostgreSQL (pg_dump)."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.cli.base import cli
from storage.migrate import upgrade
from tests.helpers.app import invite, make_app
from tests.helpers.chat import Chat
from tests.helpers.databases import pg_admin_url, pg_reachable


def submit_something(url: str) -> None:
    app = make_app(url)
    chat = Chat(app.dialogue_service(), "b1")
    chat.send(f"/start {invite(app, 'QUANGTRI')}")
    chat.send("/nop 2026-Q4")
    chat.send("62/38 tạm")
    app.close()


def answers(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select question_key, raw_text, provisional from answers order by id")).all()
    engine.dispose()
    return [(key, raw, bool(provisional)) for key, raw, provisional in rows]


def wipe_answers(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("delete from answer_revisions"))
        conn.execute(sa.text("delete from answers"))
    engine.dispose()


def cli_run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"DATABASE_URL": url, "LOG_LEVEL": "WARNING"})
    return result.exit_code, result.stdout, result.stderr


def test_sqlite_backup_and_restore_round_trip(sqlite_url: str, tmp_path: Path) -> None:
    submit_something(sqlite_url)
    before = answers(sqlite_url)
    assert before == [("ct1", "62/38 tạm", True)]
    code, out, _ = cli_run(sqlite_url, "db", "backup", str(tmp_path / "b.sqlite3"))
    assert code == 0 and "SQLite online backup" in out
    wipe_answers(sqlite_url)
    assert answers(sqlite_url) == []
    code, out, _ = cli_run(sqlite_url, "db", "restore", str(tmp_path / "b.sqlite3"))
    assert code == 0 and "restored" in out
    assert answers(sqlite_url) == before


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_url: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all")
    code, _, err = cli_run(sqlite_url, "db", "restore", str(junk))
    assert code == 2 and "is not a chitieu-bot SQLite backup" in err
    code, _, err = cli_run(sqlite_url, "db", "restore", str(tmp_path / "missing"))
    assert code == 2 and "does not exist" in err


@pytest.fixture
def pg_database():  # noqa: ANN201
    """A whole scratch database (pg_dump works on databases, not on our per-test schemas)."""
    reason = pg_reachable()
    if reason:
        pytest.skip(reason)
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not installed")
    name = f"chitieu_backup_{secrets.token_hex(4)}"
    admin = sa.create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgresql_backup_and_restore_round_trip(pg_database: str, tmp_path: Path) -> None:
    submit_something(pg_database)
    before = answers(pg_database)
    code, out, _ = cli_run(pg_database, "db", "backup", str(tmp_path / "b.dump"))
    assert code == 0 and "pg_dump" in out
    wipe_answers(pg_database)
    code, out, err = cli_run(pg_database, "db", "restore", str(tmp_path / "b.dump"))
    assert code == 0, err
    assert answers(pg_database) == before


def test_pg_dump_gets_the_password_from_its_environment_never_its_command_line(
        pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real pg_dump and pg_restore run; the command lines they were given are recorded on the way."""
    import subprocess

    from storage import backup as backups

    secret = f"pw-{secrets.token_hex(8)}"
    url = sa.engine.make_url(pg_database).set(password=secret).render_as_string(hide_password=False)
    calls: list[tuple[list[str], dict[str, str]]] = []
    real = subprocess.run

    def spy(command, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append((list(command), dict(kwargs.get("env") or {})))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(backups.subprocess, "run", spy)
    submit_something(pg_database)
    code, out, err = cli_run(url, "db", "backup", str(tmp_path / "b.dump"))
    assert code == 0, err
    code, _, err = cli_run(url, "db", "restore", str(tmp_path / "b.dump"))
    assert code == 0, err
    assert [Path(argv[0]).name for argv, _ in calls] == ["pg_dump", "pg_restore"]
    for argv, env in calls:
        assert not any(secret in arg for arg in argv), argv
        assert env["PGPASSWORD"] == secret
    assert (tmp_path / "b.dump").stat().st_mode & 0o777 == 0o600
    assert answers(pg_database) == [("ct1", "62/38 tạm", True)]
