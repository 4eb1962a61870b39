"""One person sending 50 messages a second through the real PTB stack does not stall anyone else, and every
one of the flood's messages is applied once, in order: accepted answers stored, the others refused.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from storage.models import Answer, AnswerRevision, InboxEvent, OutboxMessage
from tests.fakes import FakeBotApi
from tests.helpers.app import invite
from tests.helpers.figures import figure
from tests.helpers.telegram import TelegramUser, running_bot, telegram_app

pytestmark = pytest.mark.faults

FLOODER, OTHER = 9101, 9102
RATE = 50  # messages a second
# The flood walks Form 1 in order, with refused figures among the answers, then keeps typing at the review.
PATH = ["sai một", "sai hai", "62/38", "Thái Lan 55%", "sai ba", "120.500/150.000", "Lào 70%", "Xu hướng tăng",
        "Không có so sánh", "Không có khó khăn", "Đề xuất công cụ đo", "Tổng kết năm tốt"]
FLOOD = PATH + [f"xin chào {i}" for i in range(150 - len(PATH))]
STORED = {"ct1": ("62/38", "Thái Lan 55%"), "ct2": ("120.500/150.000", "Lào 70%"), "trend": ("Xu hướng tăng", None),
          "intl": ("Không có so sánh", None), "difficulties": ("Không có khó khăn", None),
          "proposals": ("Đề xuất công cụ đo", None), "year_summary": ("Tổng kết năm tốt", None)}


async def test_a_flood_from_one_person_neither_stalls_another_nor_corrupts_state(
        fake_telegram: FakeBotApi, catalog_sqlite_url: str) -> None:
    app = telegram_app(catalog_sqlite_url, fake_telegram)
    flooder, other = TelegramUser(fake_telegram, FLOODER), TelegramUser(fake_telegram, OTHER)
    async with running_bot(app):
        await flooder.say(f"/start {invite(app, 'QUANGTRI')}")
        await flooder.say("/nop 2026-Q4")
        await other.say(f"/start {invite(app, 'HANOI')}")
        start = flooder.count
        other_before = other.count
        flooder_replies_when_other_answered: list[int] = []

        async def flood() -> None:
            for text in FLOOD:
                fake_telegram.user_sends_text(FLOODER, text)
                await asyncio.sleep(1 / RATE)

        async def meanwhile() -> None:
            await fake_telegram.wait_for_async(lambda: len(fake_telegram.calls("sendMessage", chat_id=FLOODER))
                                               >= start + 10, timeout=30)  # the flood is under way
            fake_telegram.user_sends_text(OTHER, "/han")
            await fake_telegram.wait_for_messages_async(OTHER, other_before + 1, timeout=60)
            flooder_replies_when_other_answered.append(flooder.count - start)

        await asyncio.gather(flood(), meanwhile())
        await fake_telegram.wait_for_async(lambda: applied(app) == len(FLOOD) + 2 and not unsent(app), timeout=120)
        reply = fake_telegram.sent_to(OTHER)[other_before]
        assert "Hà Nội" in (reply.text or "") and "Quảng Trị" not in (reply.text or "")
        flood_replies = flooder.count - start
    [when] = flooder_replies_when_other_answered
    figure(f"[flood] messages={len(FLOOD)} at {RATE}/s applied={applied(app) - 2} replies={flood_replies} "
          f"other person answered after {when} of them")
    assert when < len(FLOOD), "the other person waited for the whole flood to be answered"

    with app.uow() as uow:
        answers = {a.question_key: a for a in uow.session.scalars(select(Answer))}
        revisions = uow.session.scalars(select(AnswerRevision).order_by(AnswerRevision.id)).all()
        identity = uow.people.identity("telegram", str(FLOODER))
        state = uow.dialogues.load(identity.id)
    assert {k: (a.raw_text, a.comparison) for k, a in answers.items()} == STORED, "applied in order, nothing lost"
    assert len(revisions) == 9, "one revision per accepted answer or comparison; the refused ones wrote nothing"
    for key in STORED:
        numbers = [r.revision for r in revisions if r.question_key == key]
        assert numbers == list(range(1, len(numbers) + 1)), (key, numbers)
    assert state["mode"] == "review", state
    texts = [m.text or "" for m in fake_telegram.sent_to(FLOODER)[start:]]
    assert sum("Chưa hợp lệ" in t for t in texts) == 3, "each refused figure refused once"
    saved = [t for t in texts if "Đã lưu" in t]
    assert saved[0].startswith("Chỉ tiêu 1 · ") or "62%/38%" in saved[0]
    assert sum("Anh/Chị chọn một nút bên dưới" in t for t in texts) == len(FLOOD) - len(PATH)
    app.close()


def applied(app) -> int:  # noqa: ANN001
    with app.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(InboxEvent).where(
            InboxEvent.chat_id == str(FLOODER), InboxEvent.processed_at.is_not(None))) or 0


def unsent(app) -> int:  # noqa: ANN001
    with app.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status != "sent")) or 0
