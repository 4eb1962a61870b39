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


def test_a_change_after_sending_waits_and_a_redelivered_resend_applies_once(db_url: str) -> None:
    """Issue 11 §2 on both backends: the pending row, then «Gửi lại» moves it onto the answer exactly once."""
    from conversations.messages import ButtonIn
    from storage.models import PendingAnswer

    app = make_app(db_url)
    chat = Chat(app.dialogue_service(), "p1")
    chat.send(f"/start {invite(app, 'QUANGTRI')}")
    chat.send("/nop")
    chat.press("2026-Q4")
    for answer in ("62/38", None, "120.500/150.000", None, "xu hướng tăng", None, "không có", "đề xuất", "tổng kết"):
        chat.press("Bỏ qua") if answer is None else chat.send(answer)
    chat.press("Gửi")
    chat.send("/nop 2026-Q4")
    chat.press("Sửa một câu")
    chat.send("1")
    chat.send("55/45")
    chat.press("Bỏ qua")
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(PendingAnswer)) == 1
        assert '"55"' in uow.submissions.answers(1)["ct1"].value and '"62"' in uow.submissions.sent_answers(1)["ct1"].value
    resend = ButtonIn(chat.button("Gửi lại").data)
    chat.event(resend, update_key="update-90")
    assert "CL-2026Q4-QUANGTRI-02" in chat.text
    assert chat.event(resend, update_key="update-90") == [], "redelivery is ignored"
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(PendingAnswer)) == 0
        assert '"55"' in uow.submissions.sent_answers(1)["ct1"].value
        assert [r.pending for r in uow.submissions.revisions(1, "ct1")] == [False, False]
        assert len(uow.submissions.receipts(1)) == 2
    app.close()
