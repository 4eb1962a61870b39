"""Fixtures of the web tests: the world on SQLite (copied from one populated file) and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import App
from tests.helpers.app import make_app
from tests.helpers.databases import SqliteTemplate
from tests.web.world import World, populate


@pytest.fixture(scope="session")
def world_template(catalog_template: SqliteTemplate, tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    """A SQLite database holding the populated world, to copy for each test (populating once is faster)."""
    folder = tmp_path_factory.mktemp("web-world")
    app = make_app(catalog_template.fresh(folder), load=False)
    populate(app)
    app.close()
    template = SqliteTemplate.__new__(SqliteTemplate)
    template.path = folder / "test.sqlite3"
    return template


@pytest.fixture
def web(world_template: SqliteTemplate, tmp_path: Path) -> Iterator[tuple[App, World]]:
    """The world on a fresh SQLite database."""
    app = make_app(world_template.fresh(tmp_path), load=False)
    yield app, World.of(app)
    app.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> Iterator[tuple[App, World]]:
    """The world on SQLite, then on PostgreSQL (populated there through the same code)."""
    if request.param == "sqlite":
        app = make_app(request.getfixturevalue("world_template").fresh(request.getfixturevalue("tmp_path")),
                       load=False)
        world = World.of(app)
    else:
        app = make_app(request.getfixturevalue("pg_url"))
        world = populate(app)
    yield app, world
    app.close()
