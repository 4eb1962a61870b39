"""The core loop through the service on SQLite and on PostgreSQL, with a redelivered update."""

from __future__ import annotations

from sqlalchemy import func, select

from conversations.messages import TextIn
from storage.models import AnswerRevision, Submission
from tests.helpers.app import invite, make_app
from tests.helpers.chat import Chat


def test_province_submits_and_a_redelivered_answer_applies_once(db_url: str) -> None:
    app = make_app(db_url)
    chat = Chat(app.dialogue_service(), "p1")
    chat.send(f"/start {invite(app, 'QUANGTRI')}")
    chat.send("/nop")
    chat.press("2026-Q4")
    first = chat.event(TextIn("62/38"), update_key="update-77")
    assert "Đã lưu: 62%/38%" in chat.text
    assert chat.event(TextIn("62/38"), update_key="update-77") == [], "redelivery is ignored"
    chat.replies = first  # buttons of the last message the person actually saw
    for answer in (None, "120.500/150.000", None, "xu hướng tăng", None, "không có", "đề xuất", "tổng kết"):
        chat.press("Bỏ qua") if answer is None else chat.send(answer)
    chat.press("Gửi")
    assert "CL-2026Q4-QUANGTRI-01" in chat.text
    with app.uow() as uow:
        assert uow.session.scalar(select(Submission.status)) == "submitted"
        count = uow.session.scalar(select(func.count()).select_from(AnswerRevision)
                                   .where(AnswerRevision.question_key == "ct1"))
        assert count == 1, "the redelivered 62/38 was not applied again"
    app.close()
