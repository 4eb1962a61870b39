"""What a nudge says: short, personal, in the person's language, with a button that continues the work."""

from __future__ import annotations

from bot.app import App
from conversations.messages import TextOut
from tests.helpers.app import invite
from tests.helpers.chat import Chat
from tests.helpers.clock import vn
from tests.reminders.world import Bot, add_person, fill, settle, unbundle


def only(bot: Bot, chat_id: str, period: str = "2026-Q4") -> TextOut:
    """The one message about `period` sent to the chat (a part of it, when it bundles several nudges)."""
    [reply] = bot.channel.texts(chat_id, period)
    return reply


def ids(app: App, unit: str, period: str = "2026-Q4", form: str = "CL") -> tuple[int, int]:
    with app.uow() as uow:
        return uow.units.by_code(unit).id, uow.periods.by_code(form, period).id


def test_not_started_draft_and_ready_drafts(app: App, bot: Bot) -> None:
    add_person(app, "QUANGTRI", name="Lê Thị B", user_id=1)
    add_person(app, "HANOI", name="Nguyễn Văn A", user_id=2)
    add_person(app, "HUE", name="Phạm Văn C", user_id=3)
    fill(app, "HANOI", "2026-Q4", answered=2)
    fill(app, "HUE", "2026-Q4")
    app.clock.set(vn(2026, 12, 4, 8, 30))  # d-3 of CL 2026-Q4 (due Saturday 05/12, so Monday 07/12 counts)
    bot.tick()
    new, draft, ready = only(bot, "1"), only(bot, "2"), only(bot, "3")
    assert new.title == "Nhắc hạn nộp: Chỉ tiêu Chiến lược báo chí Quý IV/2026"
    assert new.text == ("Chào Anh/Chị Lê Thị B, Quảng Trị chưa nhập số liệu Quý IV/2026 (gồm 7 câu).\n"
                        "Hạn nộp: 05/12/2026, chuyển sang thứ Hai 07/12/2026 vì trùng ngày nghỉ (còn 3 ngày).")
    assert [(b.label, b.data) for row in new.buttons for b in row] == [
        ("Bắt đầu nhập", "open:{}:{}".format(*ids(app, "QUANGTRI")))]
    assert draft.text.startswith("Chào Anh/Chị Nguyễn Văn A, bản nháp của Hà Nội còn 5/7 câu chưa trả lời: "
                                 "III, IV, V, VI, VII.")
    assert draft.buttons[0][0].label == "Tiếp tục nhập"
    assert ready.text.startswith("Chào Anh/Chị Phạm Văn C, bản nháp của Huế đã trả lời đủ 7 câu nhưng chưa gửi.")
    assert ready.buttons[0][0].label == "Xem lại và gửi"


def test_late_nudge_counts_days_late(app: App, bot: Bot) -> None:
    add_person(app, "QUANGTRI", user_id=1)
    app.clock.set(vn(2026, 12, 10, 9, 0))  # d+3 of Monday 07/12, the day that counts
    bot.tick()
    assert only(bot, "1").text.endswith(
        "Hạn nộp: 05/12/2026, chuyển sang thứ Hai 07/12/2026 vì trùng ngày nghỉ (đã quá hạn 3 ngày).")


def test_provisional_figures_reminder(app: App, bot: Bot) -> None:
    add_person(app, "DANANG", name="Trương Thị D", user_id=4)
    fill(app, "DANANG", "2026-Q4", provisional=("ct1", "ct2"), submit=True)
    app.clock.set(vn(2026, 12, 14, 8, 30))  # prov+7 (Saturday 12/12 moved to Monday)
    bot.tick()
    reply = only(bot, "4")
    assert reply.title == "Cập nhật số liệu chính thức: Chỉ tiêu Chiến lược báo chí Quý IV/2026"
    assert "còn 2 câu là số liệu tạm ước tính: 1, 2." in reply.text
    assert reply.buttons[0][0].label == "Cập nhật số liệu"


def test_escalation_names_the_focal_persons_and_who_cannot_be_reached(app: App, bot: Bot) -> None:
    add_person(app, "QUANGTRI", name="Lê Thị B", phone="0912 345 678")
    add_person(app, "QUANGTRI", name="Hồ Văn K", reachable=False)
    add_person(app, "CBC", "analyst", name="Trần Thị Tổng Hợp", user_id=9)
    fill(app, "QUANGTRI", "2026-Q4", answered=4)
    app.clock.set(vn(2026, 12, 14, 8, 30))  # esc+5 (of Monday 07/12: Saturday 12/12, moved to Monday)
    bot.tick()
    escalation = next(r for r in bot.channel.texts("9", "2026-Q4") if r.title.startswith("Đơn vị quá hạn"))
    assert escalation.title == "Đơn vị quá hạn: Quảng Trị, Quý IV/2026"
    assert escalation.text == (
        "Quảng Trị chưa gửi Chỉ tiêu Chiến lược báo chí Quý IV/2026. Hạn nộp 05/12/2026, chuyển sang thứ Hai "
        "07/12/2026 vì trùng ngày nghỉ, đã quá hạn 7 ngày; "
        "tình trạng: nháp, còn 3/7 câu.\n"
        "Đầu mối: Lê Thị B (0912 345 678), Hồ Văn K (không liên lạc được qua bot).")
    [message] = bot.channel.messages("9")  # with the day's digest and the roll-up nudge: one message
    assert message.title == "Nhắc việc: 4 mục cần Anh/Chị xem"
    assert [p.title for p in unbundle(message)] == [  # Q3 is overdue too: its digest rides along
        "Đơn vị chưa nộp: Chỉ tiêu Chiến lược báo chí Quý III/2026", "Đơn vị chưa nộp: Chỉ tiêu Chiến lược báo chí Quý IV/2026",
        "Báo cáo tổng hợp: Chỉ tiêu Chiến lược báo chí Quý IV/2026", "Đơn vị quá hạn: Quảng Trị, Quý IV/2026"]
    assert [b.data for row in message.buttons for b in row] == [  # a button each; Q4's summary once
        "cmd:tonghop 2026-Q3 CL", "cmd:tonghop 2026-Q4 CL", "cmd:guilen CL 2026-Q4 CBC", "cmd:duyet CL 2026-Q4 CBC"]


def test_digest_lists_late_units_of_the_subtree_only(app: App, bot: Bot) -> None:
    add_person(app, "QUANGTRI", "analyst", name="Hồ Văn Tỉnh", user_id=8, lang="en")
    add_person(app, "QT-BAO")
    fill(app, "QT-DAI", "2026", "CDS", answered=2)
    app.clock.set(vn(2026, 11, 26, 8, 30))  # the morning after 25/11
    bot.tick()
    [digest] = bot.channel.texts("8", "Chuyển đổi số")
    assert digest.title == "Units not yet reported: Chuyển đổi số báo chí, Year 2026"
    assert digest.text.splitlines() == [
        "As of 26/11/2026, 3 of 4 units under Quảng Trị are past their due date without sending:",
        "• Báo Quảng Trị: due 25/11, 1 day(s) late, not started",
        "• Tạp chí Cửa Việt: due 25/11, 1 day(s) late, not started, no focal person registered",
        "• Đài Phát thanh - Truyền hình tỉnh Quảng Trị: due 25/11, 1 day(s) late, draft, 21/23 questions left, "
        "no focal person registered",
    ]
    assert digest.buttons[0][0].data == "cmd:tonghop 2026 CDS"


def test_the_button_continues_right_where_the_draft_stopped(app: App, bot: Bot) -> None:
    chat = Chat(app.dialogue_service(), "77")
    chat.send(f"/start {invite(app, 'QUANGTRI')}")
    chat.send("/nop")
    chat.press("2026-Q4")
    chat.send("62%/38%")
    chat.press("Bỏ qua")  # no international comparison
    chat.send("120.500/150.000")
    chat.press("Bỏ qua")
    assert chat.title == "Mục III · câu 3/7"
    chat.send("/huy")
    settle(app)
    app.clock.set(vn(2026, 12, 4, 8, 30))
    bot.tick()
    nudge = only(bot, "77")
    assert "còn 5/7 câu chưa trả lời: III, IV, V, VI, VII" in nudge.text
    chat.replies = [nudge]
    chat.press("Tiếp tục nhập")
    assert chat.title == "Mục III · câu 3/7"


def test_button_data_fits_telegram(app: App, bot: Bot) -> None:
    add_person(app, "QUANGTRI", user_id=1)
    app.clock.set(vn(2026, 12, 4, 8, 30))
    bot.tick()
    assert bot.channel.sent and all(len(b.data.encode()) <= 64 for _, _, r in bot.channel.sent for row in r.buttons for b in row)


def test_the_provisional_button_opens_the_sent_answers_for_correction(app: App, bot: Bot) -> None:
    chat = Chat(app.dialogue_service(), "78")
    chat.send(f"/start {invite(app, 'DANANG')}")
    settle(app)
    fill(app, "DANANG", "2026-Q4", provisional=("ct2",), submit=True, at=vn(2026, 12, 4, 9, 0))
    app.clock.set(vn(2026, 12, 14, 8, 30))
    bot.tick()
    chat.replies = [only(bot, "78")]
    chat.press("Cập nhật số liệu")
    assert "(tạm ước tính)" in chat.text and "Sửa một câu" in chat.labels


def test_a_long_digest_says_how_many_more_units_are_late(app: App, bot: Bot, monkeypatch) -> None:  # noqa: ANN001
    from conversations.reminders import messages

    monkeypatch.setattr(messages, "MAX_DIGEST_LINES", 5)
    add_person(app, "CBC", role="analyst", name="Phân tích viên", user_id=9)
    app.clock.set(vn(2026, 12, 8, 8, 45))  # the morning after CL 2026-Q4's due date (Sat 05/12 → Mon 07/12)
    bot.tick()
    [digest] = [r for r in bot.channel.texts("9", "2026-Q4") if r.title.startswith("Đơn vị chưa nộp")]
    lines = digest.text.splitlines()
    assert lines[0].startswith("Đến ngày 08/12/2026, 35/35 đơn vị thuộc Cục Báo chí đã quá hạn")
    assert lines[1].startswith("• ") and ": hạn 05/12, chuyển sang 07/12, quá hạn 1 ngày" in lines[1]
    assert len([line for line in lines if line.startswith("• ")]) == 5
    assert lines[-1] == "… và 30 đơn vị khác."


def test_one_message_per_person_per_pass_with_a_button_for_each_part(app: App, bot: Bot) -> None:
    person = add_person(app, "HUE", name="Phạm Văn C", user_id=79)
    with app.uow() as uow:  # the same person also answers for Quảng Trị
        uow.people.grant(uow.people.people_by_id([person])[person], "focal", uow.units.by_code("QUANGTRI"))
        uow.commit()
    fill(app, "QUANGTRI", "2026-Q4", answered=2)
    app.clock.set(vn(2026, 12, 4, 8, 30))
    bot.tick()
    [message] = bot.channel.messages("79")
    assert message.title == "Nhắc việc: 2 mục cần Anh/Chị xem"
    first, second = message.text.split("\n\n")
    assert first.startswith("1. Nhắc hạn nộp: Chỉ tiêu Chiến lược báo chí Quý IV/2026\nChào Anh/Chị Phạm Văn C, Huế")
    assert second.startswith("2. Nhắc hạn nộp: Chỉ tiêu Chiến lược báo chí Quý IV/2026\n"
                             "Chào Anh/Chị Phạm Văn C, bản nháp của Quảng Trị còn 5/7 câu")
    assert [(b.label, b.data) for row in message.buttons for b in row] == [
        ("1. Bắt đầu nhập", "open:{}:{}".format(*ids(app, "HUE"))),
        ("2. Tiếp tục nhập", "open:{}:{}".format(*ids(app, "QUANGTRI")))]
    chat = Chat(app.dialogue_service(), "79")
    chat.replies = [message]
    chat.press("2. Tiếp tục nhập")
    assert "Quảng Trị" in chat.text and "Huế" not in chat.text
