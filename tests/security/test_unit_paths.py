"""Re-parenting units: codes holding LIKE wildcards never drag another unit along (issue 19, Low).

Through `chitieu catalog load` and `chitieu units import` with edited files, on SQLite and PostgreSQL; the
repository itself on codes holding `%` (which the catalog refuses, but storage must not depend on that).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import bot.cli  # noqa: F401  (registers every command)
from bot.cli.base import cli
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Unit
from storage.uow import UnitOfWork

SHIPPED = Path(__file__).resolve().parents[2] / "conversations" / "catalog" / "shipped"
EXTRA = """
  - {code: QT_X, name: Báo thử X, kind: agency, parent: QUANGTRI}
  - {code: QT_X_1, name: Chuyên trang của X, kind: agency, parent: QT_X}
  - {code: QTAX, name: Báo thử A, kind: agency, parent: QUANGTRI}
  - {code: QTAX_1, name: Chuyên trang của A, kind: agency, parent: QTAX}
"""


@pytest.fixture
def chitieu(db_url: str):  # noqa: ANN201
    """Invoke `chitieu ARGS` against a fresh database on each backend; returns (exit code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(cli, list(args), env={"DATABASE_URL": db_url, "LOG_LEVEL": "WARNING"})
        return result.exit_code, result.stdout, result.stderr

    invoke.url = db_url  # type: ignore[attr-defined]
    return invoke


def paths(url: str) -> dict[str, str]:
    """Every unit's path by code, as stored."""
    db = Database.connect(url)
    with db.engine.connect() as conn:
        found = dict(conn.execute(sa.select(Unit.code, Unit.path)).all())
    db.dispose()
    return found


def catalog_copy(tmp_path: Path, extra: str) -> Path:
    """The shipped catalog with `extra` units appended to units.yaml."""
    folder = tmp_path / "catalog"
    shutil.copytree(SHIPPED, folder)
    units = folder / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra, encoding="utf-8")
    return folder


def submitted_of(chitieu, unit: str) -> str:  # noqa: ANN001
    """The "Đã nộp 0/N đơn vị" line of the unit's Form 2 summary: N counts the units in its subtree."""
    code, out, err = chitieu("report", "--period", "2026", "--form", "CDS", "--unit", unit, "--format", "text")
    assert code == 0, err
    return next(line for line in out.splitlines() if line.startswith("Đã nộp"))


def test_moving_a_code_with_underscore_moves_only_its_own_subtree(chitieu, tmp_path: Path) -> None:  # noqa: ANN001
    folder = catalog_copy(tmp_path, EXTRA)
    code, out, err = chitieu("catalog", "load", str(folder))
    assert code == 0, err
    assert submitted_of(chitieu, "QUANGTRI").startswith("Đã nộp 0/8 đơn vị")
    hanoi = int(submitted_of(chitieu, "HANOI").split("/")[1].split()[0])
    units = folder / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace(
        "{code: QT_X, name: Báo thử X, kind: agency, parent: QUANGTRI}",
        "{code: QT_X, name: Báo thử X, kind: agency, parent: HANOI}"), encoding="utf-8")
    code, out, err = chitieu("catalog", "load", str(folder))
    assert code == 0, err
    assert "QT_X: parent" in out
    found = paths(chitieu.url)
    assert found["QT_X"] == "/CBC/HANOI/QT_X/"
    assert found["QT_X_1"] == "/CBC/HANOI/QT_X/QT_X_1/"
    # `QT_X` as a LIKE pattern matches `QTAX`: before the fix QTAX and its child were moved to Hà Nội too.
    assert found["QTAX"] == "/CBC/QUANGTRI/QTAX/"
    assert found["QTAX_1"] == "/CBC/QUANGTRI/QTAX/QTAX_1/"
    # What an analyst sees follows the paths: Quảng Trị keeps QTAX and its child, Hà Nội gains QT_X and its child.
    assert submitted_of(chitieu, "QUANGTRI").startswith("Đã nộp 0/6 đơn vị")
    assert submitted_of(chitieu, "HANOI").startswith(f"Đã nộp 0/{hanoi + 2} đơn vị")


def test_units_import_moving_an_underscore_code_keeps_its_neighbours(chitieu, tmp_path: Path) -> None:  # noqa: ANN001
    assert chitieu("catalog", "load", str(catalog_copy(tmp_path, EXTRA)))[0] == 0
    sheet = tmp_path / "move.csv"
    sheet.write_text("code,name,kind,parent\nQT_X,Báo thử X,agency,HANOI\n", encoding="utf-8")
    code, out, err = chitieu("units", "import", str(sheet))
    assert code == 0, err
    assert "changed: QT_X: parent" in out and "0 added, 1 changed" in out
    found = paths(chitieu.url)
    assert (found["QT_X"], found["QT_X_1"]) == ("/CBC/HANOI/QT_X/", "/CBC/HANOI/QT_X/QT_X_1/")
    assert (found["QTAX"], found["QTAX_1"]) == ("/CBC/QUANGTRI/QTAX/", "/CBC/QUANGTRI/QTAX/QTAX_1/")


def test_a_unit_under_its_own_subtree_is_refused_and_nothing_written(chitieu, tmp_path: Path) -> None:  # noqa: ANN001
    assert chitieu("catalog", "load", str(catalog_copy(tmp_path, EXTRA)))[0] == 0
    before = paths(chitieu.url)
    sheet = tmp_path / "cycle.csv"
    sheet.write_text("code,name,kind,parent\nQT_X,Báo thử X,agency,QT_X_1\n", encoding="utf-8")
    code, out, err = chitieu("units", "import", str(sheet))
    assert code == 2
    assert err.strip() == (f"error: {sheet}: units (QT_X).parent: unit QT_X cannot be placed under QT_X_1: "
                           "QT_X_1 is QT_X itself or one of the units below it")
    assert paths(chitieu.url) == before


def test_a_percent_sign_in_a_code_is_refused_with_what_to_write(chitieu, tmp_path: Path) -> None:  # noqa: ANN001
    folder = catalog_copy(tmp_path, "  - {code: QT%X, name: Báo phần trăm, kind: agency, parent: QUANGTRI}\n")
    code, _, err = chitieu("catalog", "load", str(folder))
    assert code == 2 and "units[" in err and "(QT%X).code" in err and "should match pattern" in err
    assert "QT%X" not in paths(chitieu.url)


def test_storage_takes_percent_and_underscore_literally(db_url: str) -> None:
    """Codes the catalog would refuse, written straight to storage: subtree and re-parenting stay exact."""
    db = Database.connect(db_url)
    with UnitOfWork(db.sessions()) as uow:
        root = uow.units.add(Unit(code="R", name="gốc", kind="central"))
        uow.session.flush()
        made = {}
        for code, parent in [("A%", "R"), ("AB", "R"), ("AB_C", "AB"), ("A_", "R"), ("AX", "R"), ("AX_1", "AX"),
                             ("B", "R")]:
            unit = uow.units.add(Unit(code=code, name=code, kind="agency"))
            uow.session.flush()
            uow.units.set_parent(unit, made.get(parent, root))
            made[code] = unit
        uow.session.flush()
        assert [u.code for u in uow.units.subtree(made["A%"])] == ["A%"]
        assert [u.code for u in uow.units.subtree(made["A_"])] == ["A_"]
        uow.units.set_parent(made["A%"], made["B"])
        uow.units.set_parent(made["A_"], made["B"])
        uow.commit()
    with UnitOfWork(db.sessions()) as uow:
        found = {u.code: u.path for u in uow.units.all()}
        assert found == {"R": "/R/", "B": "/R/B/", "A%": "/R/B/A%/", "A_": "/R/B/A_/", "AB": "/R/AB/",
                         "AB_C": "/R/AB/AB_C/", "AX": "/R/AX/", "AX_1": "/R/AX/AX_1/"}
        assert [u.code for u in uow.units.subtree(uow.units.by_code("B"))] == ["B", "A%", "A_"]
    db.dispose()


def test_paths_are_unique(db_url: str) -> None:
    db = Database.connect(db_url)
    with db.engine.begin() as conn:
        conn.execute(sa.insert(Unit).values(code="ONE", name="một", kind="agency", path="/SAME/"))
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
        conn.execute(sa.insert(Unit).values(code="TWO", name="hai", kind="agency", path="/SAME/"))
    db.dispose()


def test_upgrade_rebuilds_paths_a_wildcard_move_had_broken(tmp_path: Path) -> None:
    """A database at 0008 whose paths the old LIKE rewrite broke comes out of 0009 with paths from parent_id."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0008_sec_tokens")
    engine = sa.create_engine(url)
    rows = [(1, "CBC", None, "/CBC/"), (2, "HANOI", 1, "/CBC/HANOI/"), (3, "QUANGTRI", 1, "/CBC/QUANGTRI/"),
            (4, "QT_X", 2, "/CBC/HANOI/QT_X/"), (5, "QTAX", 3, "/CBC/HANOI/QT_X/"),  # dragged along
            (6, "QTAX_1", 5, "/CBC/HANOI/QT_X/QTAX_1/")]
    with engine.begin() as conn:
        for uid, code, parent, path in rows:
            conn.execute(sa.text("INSERT INTO units (id, code, name, kind, parent_id, path, created_at, updated_at) "
                                 "VALUES (:i, :c, :c, 'agency', :p, :path, '2026-01-01', '2026-01-01')"),
                         {"i": uid, "c": code, "p": parent, "path": path})
    upgrade(url)
    with engine.connect() as conn:
        found = dict(conn.execute(sa.text("SELECT code, path FROM units")).all())
    engine.dispose()
    assert found == {"CBC": "/CBC/", "HANOI": "/CBC/HANOI/", "QUANGTRI": "/CBC/QUANGTRI/",
                     "QT_X": "/CBC/HANOI/QT_X/", "QTAX": "/CBC/QUANGTRI/QTAX/",
                     "QTAX_1": "/CBC/QUANGTRI/QTAX/QTAX_1/"}

