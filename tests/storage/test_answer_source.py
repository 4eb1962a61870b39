"""A revision made from a returned workbook keeps the file's name and SHA-256; a typed one keeps none."""

from __future__ import annotations

from conversations.parsing import AnswerSpec, parse_answer
from storage.repositories import AnswerChange, AnswerSource
from storage.values import Shape
from tests.helpers.app import make_app

HASH = "9f" * 32


def test_revision_records_the_source_file(db_url: str) -> None:
    app = make_app(db_url)
    with app.uow() as uow:
        unit, period = uow.units.by_code("HANOI"), uow.periods.by_code("CL", "2026-Q4")
        sub = uow.submissions.ensure(unit.id, period.id, uow.forms.latest("CL").id)
        value = parse_answer("65/35", AnswerSpec(Shape.SHARE_PAIR))
        uow.submissions.change(sub, "ct1", AnswerChange("answer", raw_text="65/35", value=value), None, "test")
        source = AnswerSource("Chỉ tiêu HANOI 2026-Q4.xlsx", HASH)
        uow.submissions.change(sub, "ct1", AnswerChange("answer", raw_text="66/34", value=value, source=source),
                               None, "telegram")
        uow.commit()
    with app.uow() as uow:
        revisions = uow.submissions.revisions(sub.id, "ct1")
        assert [(r.channel, r.source_name, r.source_sha256) for r in revisions] == [
            ("test", None, None), ("telegram", "Chỉ tiêu HANOI 2026-Q4.xlsx", HASH)]
    app.close()
