"""Fixtures: databases on SQLite and PostgreSQL, an application with the shipped catalog, a clock."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.app import App
from tests.fakes import fake_telegram  # noqa: F401  (fixture: a running fake Bot API)
from tests.helpers.app import invite, make_app
from tests.helpers.chat import Chat
from tests.helpers.databases import PgSchema, SqliteTemplate, pg_reachable

# PTB 22: RetryAfter.retry_after as a timedelta (the future default) instead of a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    """A migrated SQLite database to copy."""
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[PgSchema]:
    """A private, migrated PostgreSQL schema for this test session (skipped when the server is down)."""
    reason = pg_reachable()
    if reason:
        pytest.skip(reason)
    schema = PgSchema()
    yield schema
    schema.drop()


@pytest.fixture(scope="session")
def catalog_template(sqlite_template: SqliteTemplate, tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    """A migrated SQLite database with the shipped catalog loaded (as of the test clock's today)."""
    from tests.helpers.app import make_app

    folder = tmp_path_factory.mktemp("catalog-template")
    url = sqlite_template.fresh(folder)
    make_app(url).close()
    loaded = SqliteTemplate.__new__(SqliteTemplate)
    loaded.path = folder / "test.sqlite3"
    return loaded


@pytest.fixture
def catalog_sqlite_url(catalog_template: SqliteTemplate, tmp_path: Path) -> str:
    """A fresh SQLite database with the shipped catalog already loaded."""
    return catalog_template.fresh(tmp_path)


@pytest.fixture
def sqlite_url(sqlite_template: SqliteTemplate, tmp_path: Path) -> str:
    """A fresh, migrated SQLite database."""
    return sqlite_template.fresh(tmp_path)


@pytest.fixture
def pg_url(pg_schema: PgSchema) -> str:
    """The session's PostgreSQL schema, emptied."""
    pg_schema.reset()
    return pg_schema.url


@pytest.fixture
def app(catalog_sqlite_url: str) -> Iterator[App]:
    """The application on a fresh SQLite database with the catalog, clock at 21/11/2026 09:00 Hanoi."""
    application = make_app(catalog_sqlite_url, load=False)
    yield application
    application.close()


@pytest.fixture
def registered(app: App) -> Callable[..., Chat]:
    """A factory: a chat registered with a role on a unit (through `/start CODE`, as a person does)."""
    counter = iter(range(1, 1000))

    def make(unit: str = "QUANGTRI", role: str = "focal", user_id: str | None = None, name: str | None = None) -> Chat:
        chat = Chat(app.dialogue_service(), user_id or f"user{next(counter)}")
        chat.send(f"/start {invite(app, unit, role, name=name)}")
        assert "đã được đăng ký" in chat.text, chat.text
        return chat

    return make


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, migrated database on each backend in turn."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


def pytest_configure(config: pytest.Config) -> None:
    """The controlling process names a file for the figures every worker measures (see helpers/figures)."""
    from tests.helpers.figures import ENV

    if not hasattr(config, "workerinput"):
        path = Path(config.rootpath) / ".pytest_cache" / "figures.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text("", encoding="utf-8")
        os.environ[ENV] = str(path)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:  # noqa: ANN001
    """Print the figures measured in this run, whichever worker measured them."""
    from tests.helpers.figures import ENV

    path = os.environ.get(ENV)
    lines = Path(path).read_text(encoding="utf-8").splitlines() if path and Path(path).exists() else []
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)
