"""Form 2's new version leaves answers given on the previous one readable (a changed form is a new version)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conversations.catalog.loader import SHIPPED, load_catalog
from conversations.catalog.sync import sync_catalog
from tests.helpers.app import invite, make_app
from tests.helpers.chat import Chat
from tests.reports.factories import fill

PREVIOUS = "f7a8be4"  # main before this branch: Form 2 with 13 questions


def previous_form2() -> str:
    done = subprocess.run(["git", "show", f"{PREVIOUS}:catalog/forms/chuyen_doi_so.yaml"], capture_output=True,
                          text=True, cwd=Path(__file__).parent)
    if done.returncode != 0:
        pytest.skip("the previous Form 2 is not in this checkout's history")
    return done.stdout


def test_answers_on_the_previous_form2_stay_readable(sqlite_url: str, tmp_path: Path) -> None:
    old = tmp_path / "catalog"
    shutil.copytree(SHIPPED, old)
    (old / "forms" / "chuyen_doi_so.yaml").write_text(previous_form2(), encoding="utf-8")
    app = make_app(sqlite_url, load=False)
    for folder in (old, SHIPPED):
        units, forms = load_catalog(folder)
        with app.uow() as uow:
            lines = sync_catalog(uow, units, forms, app.clock.today())
            if folder == old:
                fill(uow, "QT-BAO", "CDS", "2026", {"nen_tang_so": "có", "dao_tao": "45/50"}, sent=False)
            uow.commit()
    assert "CDS: new version 2 (23 questions)" in lines
    with app.uow() as uow:
        sub = uow.submissions.get(uow.units.by_code("QT-BAO").id, uow.periods.by_code("CDS", "2026").id)
        assert uow.forms.get(sub.form_id).version == 1, "the draft keeps the version it was started on"
    chat = Chat(app.dialogue_service(), "old-form")
    chat.send(f"/start {invite(app, 'QT-BAO')}")
    chat.send("/xem 2026")
    assert "2. Đưa nội dung lên nền tảng số: Có" in chat.text and "8. Lãnh đạo, phóng viên" in chat.text
    assert "45/50 (90%)" in chat.text
    app.close()
