"""Secrets never reach the logs, even at DEBUG with every library talking."""

from __future__ import annotations

import asyncio
import io
import logging

from bot import logsafe
from tests.fakes import FakeBotApi
from tests.helpers.app import invite, make_app
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app


async def test_bot_token_is_not_logged_at_debug(fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        logsafe.install([fake_telegram.token])
        app = telegram_app(catalog_sqlite_url, fake_telegram)
        user = TelegramUser(fake_telegram, 4242)
        async with running_bot(app):
            await user.say(f"/start {invite(app, 'QUANGTRI')}")
            await user.say("/nop")
        logging.getLogger("test").error("token in an error: %s", fake_telegram.token)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for name in ("httpx", "httpcore", "telegram"):
            logging.getLogger(name).setLevel(logging.WARNING)
        app.close()
    logged = stream.getvalue()
    assert "getUpdates" in logged or "sendMessage" in logged, "DEBUG logging was on"
    secret_part = fake_telegram.token.split(":")[1]
    assert secret_part not in logged
    assert "token in an error: [redacted]" in logged


def test_anything_shaped_like_a_bot_token_is_redacted() -> None:
    flt = logsafe.SecretFilter(["zalo-oa-secret"])
    assert flt.redact("POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe"
                      " key=zalo-oa-secret") == "POST https://api.telegram.org/bot[redacted]/getMe key=[redacted]"


class Captured:
    """Every log record at DEBUG, from every library, through the filter the app installs."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.root = logging.getLogger()

    def __enter__(self) -> Captured:
        self.old_level = self.root.level
        self.root.addHandler(self.handler)
        self.root.setLevel(logging.DEBUG)
        for name in ("httpx", "httpcore", "telegram", "uvicorn"):
            logging.getLogger(name).setLevel(logging.DEBUG)
        logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # SQL echo on (bound values hidden)
        return self

    def __exit__(self, *exc: object) -> None:
        self.root.removeHandler(self.handler)
        self.root.setLevel(self.old_level)
        for name in ("httpx", "httpcore", "telegram", "uvicorn", "sqlalchemy.engine"):
            logging.getLogger(name).setLevel(logging.WARNING)

    @property
    def text(self) -> str:
        return self.stream.getvalue()


async def test_zalo_keys_and_rotated_tokens_are_not_logged(catalog_sqlite_url: str) -> None:
    from bot.app import secret_values
    from tests.fakes.zalo_api import FakeZaloApi
    from tests.helpers.zalo import OA_SECRET, ZaloUser, running_zalo_bot, zalo_app

    with FakeZaloApi() as fake, Captured() as log:
        app = zalo_app(catalog_sqlite_url, fake)
        logsafe.install(secret_values(app.settings))
        try:
            async with running_zalo_bot(app) as (_, url):
                user = ZaloUser(fake, url, "84900000777")
                await user.say(invite(app, "QT-BAO"))
                fake.advance(10 * 86400)  # the access token expires: the next reply refreshes (rotates) the pair
                await user.say("/nop")
                fake.fail_with(500, 0.5)  # a failed send is logged with its error
                await asyncio.to_thread(fake.user_sends_text, url, "84900000777", "có", OA_SECRET)
                await asyncio.sleep(1.5)
                logging.getLogger("test").error("headers %s", {"access_token": fake.calls[-1].headers.get(
                    "access_token"), "secret_key": app.settings.zalo_app_secret.get_secret_value()})
        finally:
            app.close()
    tokens = {c.headers.get("access_token") for c in fake.calls} | {
        v for c in fake.calls_to("/v4/oa/access_token") for v in (c.body or {}).values() if isinstance(v, str)}
    tokens |= {OA_SECRET, app.settings.zalo_app_secret.get_secret_value()}
    tokens = {t for t in tokens if t and len(t) >= 8 and t != fake.app_id and t != "refresh_token"}
    assert len(fake.calls_to("/v4/oa/access_token")) >= 1, "a refresh happened"
    assert any(t.startswith("AT-") for t in tokens) and any(t.startswith("RT-") for t in tokens)
    leaked = [t for t in tokens if t in log.text]
    assert "zalo" in log.text.lower() and "[redacted]" in log.text
    where = [line[:200] for line in log.text.splitlines() if any(t in line for t in leaked)]
    assert leaked == [], f"secrets in the log: {leaked} in {where}"


def test_database_password_is_never_logged(pg_url: str) -> None:
    from sqlalchemy.engine import make_url

    from bot.app import secret_values
    from bot.settings import Settings

    url = make_url(pg_url).set(password="pg-Secret-Passw0rd")
    rendered = url.render_as_string(hide_password=False)
    settings = Settings(database_url=rendered, _env_file=None)
    with Captured() as log:
        logsafe.install(secret_values(settings))
        app = make_app(rendered, load=False)
        try:
            with app.uow() as uow:
                uow.units.by_code("QUANGTRI")
            logging.getLogger("test").error("could not use %s", rendered)
            try:
                raise RuntimeError(f"connection to {rendered} failed")
            except RuntimeError:
                logging.getLogger("test").exception("database unavailable")
        finally:
            app.close()
    assert "could not use" in log.text and "database unavailable" in log.text
    assert "pg-Secret-Passw0rd" not in log.text
