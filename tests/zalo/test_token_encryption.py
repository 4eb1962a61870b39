"""The Zalo tokens kept in the database are encrypted with TOKEN_KEY: missing or wrong keys stop the bot at
start with one line saying how to make one, plain rows of an earlier version are encrypted, keys rotate."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.app import App
from bot.cli.base import cli
from bot.tokenkey import MAKE_ONE, TokenCipher, TokenKeyError
from bot.zalo.store import DatabaseTokenStore
from bot.zalo.tokens import TokenPair
from storage.models import AuditEntry, ChannelToken
from tests.helpers.app import make_app

BIN = Path(sys.executable).parent / "chitieu"
KEY, OTHER = Fernet.generate_key().decode(), Fernet.generate_key().decode()
EXPIRES = datetime(2026, 12, 1, tzinfo=UTC)


def zalo_settings(key: str | None) -> dict[str, object]:
    return {"zalo_app_id": "app", "zalo_app_secret": "s" * 20, "zalo_oa_secret_key": "k" * 20,
            **({"token_key": key} if key is not None else {})}


def stored(app: App) -> ChannelToken:
    with app.uow() as uow:
        row = uow.session.get(ChannelToken, "zalo")
        assert row is not None
        return row


def put_plain(app: App, access: str = "AT-plain-1234", refresh: str = "RT-plain-5678") -> None:
    with app.uow() as uow:
        uow.session.add(ChannelToken(channel="zalo", access_token=access, refresh_token=refresh, expires_at=EXPIRES))
        uow.commit()


async def test_tokens_are_stored_encrypted_and_read_back(catalog_sqlite_url: str) -> None:
    app = make_app(catalog_sqlite_url, load=False, **zalo_settings(KEY))
    store = DatabaseTokenStore(app)
    await store.save(TokenPair("AT-secret-access", "RT-secret-refresh", EXPIRES))
    row = stored(app)
    assert row.access_token.startswith("fernet:") and row.refresh_token.startswith("fernet:")
    assert "secret" not in row.access_token + row.refresh_token
    assert await DatabaseTokenStore(app).load() == TokenPair("AT-secret-access", "RT-secret-refresh", EXPIRES)
    app.close()


async def test_plain_rows_of_an_earlier_version_are_encrypted_at_start(catalog_sqlite_url: str) -> None:
    app = make_app(catalog_sqlite_url, load=False, **zalo_settings(KEY))
    put_plain(app)
    store = DatabaseTokenStore(app)  # what the Zalo channel builds at start-up
    row = stored(app)
    assert TokenCipher(KEY).open(row.access_token) == "AT-plain-1234" and row.access_token.startswith("fernet:")
    assert TokenCipher(KEY).open(row.refresh_token) == "RT-plain-5678"
    assert (await store.load()) == TokenPair("AT-plain-1234", "RT-plain-5678", EXPIRES)
    app.close()


def test_missing_malformed_or_wrong_key_is_one_clear_line(catalog_sqlite_url: str) -> None:
    app = make_app(catalog_sqlite_url, load=False, **zalo_settings(None))
    with pytest.raises(TokenKeyError, match="TOKEN_KEY is not set") as missing:
        DatabaseTokenStore(app)
    assert MAKE_ONE in str(missing.value) and "\n" not in str(missing.value)
    app.close()
    app = make_app(catalog_sqlite_url, load=False, **zalo_settings("not-a-key"))
    with pytest.raises(TokenKeyError, match="TOKEN_KEY is not a Fernet key"):
        DatabaseTokenStore(app)
    app.close()
    app = make_app(catalog_sqlite_url, load=False, **zalo_settings(KEY))
    put_plain(app)
    DatabaseTokenStore(app)
    app.close()
    app = make_app(catalog_sqlite_url, load=False, **zalo_settings(OTHER))
    with pytest.raises(TokenKeyError, match="TOKEN_KEY does not decrypt the Zalo tokens stored in the database"):
        DatabaseTokenStore(app)
    app.close()


def chitieu_run(url: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "ZALO_APP_ID": "app",
            "ZALO_APP_SECRET": "s" * 20, "ZALO_OA_SECRET_KEY": "k" * 20, "LISTEN_PORT": "1", **env}
    for name in ("TELEGRAM_BOT_TOKEN", "TOKEN_KEY"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run([str(BIN), "run"], capture_output=True, text=True, env=full, timeout=60)


def test_the_bot_refuses_to_start_without_the_key(catalog_sqlite_url: str) -> None:
    result = chitieu_run(catalog_sqlite_url)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: TOKEN_KEY is not set: it encrypts the Zalo tokens kept in the database; make one with: "
        'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"']


def test_rotate_key_reencrypts_every_row_and_is_audited(catalog_sqlite_url: str) -> None:
    app = make_app(catalog_sqlite_url, load=False, **zalo_settings(KEY))
    put_plain(app)
    DatabaseTokenStore(app)
    before = stored(app)
    runner = CliRunner()
    env = {"DATABASE_URL": catalog_sqlite_url, "LOG_LEVEL": "WARNING", "USER": "quantri"}
    result = runner.invoke(cli, ["tokens", "rotate-key", "--old", OTHER, "--new", Fernet.generate_key().decode()],
                           env=env)
    assert result.exit_code == 2 and "none of the keys given decrypts the stored Zalo tokens" in result.stderr
    assert stored(app).access_token == before.access_token, "nothing changed"
    new = runner.invoke(cli, ["tokens", "new-key"]).stdout.strip()
    result = runner.invoke(cli, ["tokens", "rotate-key", "--new", new], env={**env, "OLD_TOKEN_KEY": KEY})
    assert result.exit_code == 0, result.stderr
    assert "re-encrypted 1 channel token row(s)" in result.stdout
    after = stored(app)
    assert TokenCipher(new).open(after.refresh_token) == "RT-plain-5678"
    with pytest.raises(TokenKeyError):
        TokenCipher(KEY).open(after.refresh_token)
    with app.uow() as uow:
        entry = uow.session.query(AuditEntry).one()
        assert (entry.actor, entry.action, entry.detail) == ("quantri", "tokens.rotate_key", "1 row(s): zalo")
    app.close()
    rotated = make_app(catalog_sqlite_url, load=False, **zalo_settings(f"{new},{KEY}"))
    DatabaseTokenStore(rotated)  # a bot given NEW,OLD during the change starts too
    rotated.close()
