"""Loading the catalog into storage, on SQLite and PostgreSQL: idempotent, versioned, history kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conversations.catalog.loader import SHIPPED, CatalogError, load_catalog
from conversations.catalog.sync import sync_catalog
from storage.models import Answer, Form, Period, Question, Target, Unit
from storage.repositories import AnswerChange
from storage.values import Value
from tests.helpers.app import make_app
from tests.helpers.clock import vn


def counts(app) -> dict[str, int]:  # noqa: ANN001
    with app.uow() as uow:
        return {m.__tablename__: uow.session.scalar(select(func.count()).select_from(m))
                for m in (Unit, Form, Question, Target, Period)}


def load(app, folder: Path = SHIPPED) -> list[str]:  # noqa: ANN001
    units, forms = load_catalog(folder)
    with app.uow() as uow:
        lines = sync_catalog(uow, units, forms, app.clock.today())
        uow.commit()
    return lines


def test_loading_twice_changes_nothing_the_second_time(db_url: str) -> None:
    app = make_app(db_url)
    first = counts(app)
    assert first == {"units": 74, "forms": 2, "questions": 38, "targets": 57, "periods": 24}
    lines = load(app)
    assert lines[0] == "units: 0 added, 0 changed, 74 unchanged"
    assert "CL: unchanged (version 1)" in lines and "periods: 0 added" in lines
    assert counts(app) == first
    app.close()


def test_edited_target_makes_a_new_version_and_old_answers_stay_readable(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url)
    with app.uow() as uow:
        unit = uow.units.by_code("QUANGTRI")
        period = uow.periods.by_code("CL", "2026-Q3")
        v1 = uow.forms.latest("CL")
        sub = uow.submissions.ensure(unit.id, period.id, v1.id)
        from conversations.parsing import AnswerSpec, parse_answer
        from storage.values import Shape

        value = parse_answer("62/38", AnswerSpec(Shape.SHARE_PAIR))
        uow.submissions.change(sub, "ct1", AnswerChange("answer", raw_text="62/38", value=value), None, "test")
        uow.commit()
    edited = tmp_path / "catalog"
    shutil.copytree(SHIPPED, edited)
    form = edited / "forms" / "chien_luoc.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace('{year: 2025, value: "60%/40%", kind: goal,',
                                                             '{year: 2025, value: "58%/42%", kind: goal,'),
                    encoding="utf-8")
    assert "CL: new version 2 (15 questions)" in load(app, edited)
    assert "CL: unchanged (version 2)" in load(app, edited)
    with app.uow() as uow:
        v2 = uow.forms.latest("CL")
        assert v2.version == 2
        targets = {t.form_id: t.text for t in uow.session.scalars(
            select(Target).where(Target.question_key == "ct1", Target.year == 2025))}
        assert targets == {v1.id: "60%/40%", v2.id: "58%/42%"}
        sub = uow.submissions.get(unit.id, period.id)
        assert sub.form_id == v1.id, "the answer keeps pointing at the version it answered"
        answer = uow.session.scalar(select(Answer).where(Answer.submission_id == sub.id))
        assert Value.from_json(answer.value).a == 62
    app.close()


def test_a_bad_catalog_file_changes_nothing(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url)
    before = counts(app)
    bad = tmp_path / "catalog"
    shutil.copytree(SHIPPED, bad)
    form = bad / "forms" / "chien_luoc.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace("shape: ratio\n    counts_required: true\n    unit_of_measure: Số người",
                                                             "shape: ratoi\n    counts_required: true\n    unit_of_measure: Số người"),
                    encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load(app, bad)
    assert "chien_luoc.yaml: questions[1] (ct2).shape" in str(err.value) and "'ratoi'" in str(err.value)
    assert counts(app) == before
    app.close()


def test_periods_reach_next_year_and_keep_their_calendar(db_url: str) -> None:
    app = make_app(db_url, at=vn(2026, 11, 21))
    with app.uow() as uow:
        q1 = uow.periods.by_code("CL", "2027-Q1")
        assert (q1.opens_on.isoformat(), q1.due_on.isoformat()) == ("2027-03-01", "2027-04-05")
        assert q1.covers == ["2026-12", "2027-01", "2027-02", "2027-03"]
        cds = uow.periods.by_code("CDS", "2026")
        assert cds.deadlines == {"province": "2026-11-25", "ministry": "2026-12-15", "central": "2026-12-30"}
        assert uow.periods.by_code("CL", "2026-Q2").sections == ["trend_6m"]
    app.close()


def test_merged_units_point_at_their_successor(db_url: str) -> None:
    app = make_app(db_url)
    with app.uow() as uow:
        old = uow.units.by_code("QUANGBINH")
        assert old.active_to.isoformat() == "2025-06-30"
        assert uow.units.current(old).code == "QUANGTRI"
        subtree = [u.code for u in uow.units.subtree(uow.units.by_code("QUANGTRI"))]
        assert subtree == ["QUANGTRI", "QT-BAO", "QT-CUAVIET", "QT-DAI"]
    app.close()
