"""Registering with invites; what unregistered people, groups and files get."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from conversations.invites import MAX_FAILURES_PER_HOUR, canonical
from conversations.messages import ButtonIn
from tests.helpers.app import invite
from tests.helpers.chat import Chat


def test_unregistered_person_gets_only_the_invite_explanation(app: App) -> None:
    chat = Chat(app.dialogue_service())
    for action in (lambda: chat.send("xin chào"), lambda: chat.send("/nop"), lambda: chat.send("/tonghop"),
                   lambda: chat.file("photo"), lambda: chat.send("62%/38%")):
        action()
        assert "chưa được đăng ký" in chat.text
        assert "/start MÃ_MỜI" in chat.text
        assert chat.labels == []


def test_start_without_code_explains_how_to_get_an_invite(app: App) -> None:
    chat = Chat(app.dialogue_service())
    chat.send("/start")
    assert "mã mời" in chat.text


def test_invite_registers_the_chat_as_focal_person_of_the_unit(app: App) -> None:
    chat = Chat(app.dialogue_service())
    chat.send(f"/start {invite(app, 'QUANGTRI', name='Lê Thị B')}")
    assert "Chào mừng Anh/Chị Lê Thị B!" in chat.text
    assert "đầu mối của Quảng Trị" in chat.text
    assert "Nộp số liệu" in chat.labels
    chat.send("/start")
    assert "Chào Anh/Chị Lê Thị B" in chat.text and "đầu mối của Quảng Trị" in chat.text


def test_deep_link_payload_without_dashes_and_lower_case_works(app: App) -> None:
    chat = Chat(app.dialogue_service())
    chat.send(f"/start {canonical(invite(app, 'BTC')).lower()}")
    assert "đầu mối của Bộ Tài chính" in chat.text


def test_bare_code_as_first_message_registers_as_on_zalo(app: App) -> None:
    chat = Chat(app.dialogue_service())
    chat.send(invite(app, "HANOI"))
    assert "đầu mối của Hà Nội" in chat.text


def test_used_code_is_refused(app: App) -> None:
    code = invite(app, "QUANGTRI")
    Chat(app.dialogue_service(), "first").send(f"/start {code}")
    second = Chat(app.dialogue_service(), "second")
    second.send(f"/start {code}")
    assert "đã được sử dụng" in second.text
    second.send("/nop")
    assert "chưa được đăng ký" in second.text


def test_expired_code_is_refused(app: App) -> None:
    code = invite(app, "QUANGTRI", days=1)
    app.clock.advance(days=2)  # type: ignore[attr-defined]
    chat = Chat(app.dialogue_service())
    chat.send(f"/start {code}")
    assert "đã hết hạn" in chat.text


def test_unknown_code_is_refused_and_guessing_is_throttled(app: App) -> None:
    chat = Chat(app.dialogue_service())
    for _ in range(MAX_FAILURES_PER_HOUR):
        chat.send("/start AAAA-BBBB-CCCC")
        assert "Mã mời không đúng" in chat.text
    chat.send(f"/start {invite(app, 'QUANGTRI')}")
    assert "quá nhiều lần" in chat.text
    app.clock.advance(hours=1, minutes=1)  # type: ignore[attr-defined]
    chat.send(f"/start {invite(app, 'QUANGTRI')}")
    assert "đã được đăng ký" in chat.text


def test_a_second_invite_says_what_changes_and_asks_first(app: App, province: Chat) -> None:
    code = invite(app, "CBC", "analyst")
    province.send(f"/start {code}")
    assert "Anh/Chị sẽ có thêm vai trò cán bộ tổng hợp của Cục Báo chí" in province.text
    assert "Hiện Anh/Chị là: đầu mối của Quảng Trị." in province.text and province.labels == ["Có", "Không"]
    province.send("/start")
    assert "cán bộ tổng hợp" not in province.text, "nothing is taken before the answer"
    province.send(f"/start {code}")
    province.send("thế là sao")  # neither yes nor no: asked again, nothing taken
    assert "Anh/Chị trả lời «Có» để thêm vai trò cán bộ tổng hợp của Cục Báo chí" in province.text
    province.send("vâng")  # typed words work like the buttons
    assert "Đã thêm vai trò cán bộ tổng hợp của Cục Báo chí." in province.text
    assert "Anh/Chị hiện là: đầu mối của Quảng Trị, cán bộ tổng hợp của Cục Báo chí." in province.text
    assert "Tổng hợp" in province.labels
    province.send("/start")
    assert "đầu mối của Quảng Trị, cán bộ tổng hợp của Cục Báo chí" in province.text
    province.send(f"/start {code}")
    assert "đã được sử dụng" in province.text


def test_a_second_invite_declined_stays_unused(app: App, province: Chat, registered) -> None:
    code = invite(app, "QUANGTRI", "analyst")
    province.send(f"/start {code}")
    province.send("khong")
    assert "Đã hủy, không thêm vai trò nào. Mã mời chưa bị dùng" in province.text
    province.send("/tonghop")
    assert "chỉ dành cho cán bộ tổng hợp hoặc quản trị viên" in province.text
    other = Chat(app.dialogue_service(), "someone")
    other.send(f"/start {code}")  # still usable by the person it was meant for
    assert "đã được đăng ký là cán bộ tổng hợp của Quảng Trị" in other.text
    province.send(f"/start {invite(app, 'QUANGTRI')}")
    assert "Anh/Chị đã là đầu mối của Quảng Trị, không cần dùng mã này." in province.text


def test_an_old_confirmation_button_takes_nothing(app: App, province: Chat) -> None:
    province.send(f"/start {invite(app, 'CBC', 'analyst')}")
    yes = province.button("Có")
    province.send("/huy")
    province.send("/nop")
    province.event(ButtonIn(yes.data))
    assert "đã cũ" in province.text
    province.send("/start")
    assert "cán bộ tổng hợp" not in province.text


def test_an_invite_for_another_person_is_never_taken(app: App, province: Chat) -> None:
    code = invite(app, "QUANGTRI", "analyst", name="Trần Văn C")
    province.send(f"/start {code}")  # the chat belongs to Lê Thị B
    assert "Mã mời này dành cho Trần Văn C, còn kênh chat này đã đăng ký cho Anh/Chị Lê Thị B." in province.text
    assert "chuyển mã cho Trần Văn C để người đó tự gửi /start MÃ_MỜI trên điện thoại" in province.text
    assert province.labels == []
    province.send("có")
    province.send("/start")
    assert "cán bộ tổng hợp" not in province.text
    own = Chat(app.dialogue_service(), "tran-van-c")
    own.send(f"/start {code}")
    assert "Chào mừng Anh/Chị Trần Văn C!" in own.text
    same = invite(app, "QUANGTRI", "analyst", name="le thi  b")  # the same name typed loosely is the same person
    province.send(f"/start {same}")
    assert "Anh/Chị sẽ có thêm vai trò cán bộ tổng hợp của Quảng Trị" in province.text


def test_welcome_and_help_show_only_what_the_roles_can_use(app: App, province: Chat, registered) -> None:
    assert "Gõ /nop để nộp số liệu, /huongdan để xem hướng dẫn." in registered("HANOI").text
    analyst = Chat(app.dialogue_service(), "hn-analyst")
    analyst.send(f"/start {invite(app, 'HANOI', 'analyst')}")
    assert "/tonghop để xem tổng hợp" in analyst.text and "/nop" not in analyst.text
    analyst.send("/huongdan")
    assert "/tonghop" in analyst.text and "/nop" not in analyst.text and "nop," not in analyst.text
    assert "(ví dụ: tong hop, thieu)" in analyst.text
    province.send("/huongdan")
    assert "/nop — nộp" in province.text and "/tonghop" not in province.text and "tong hop" not in province.text
    assert "(ví dụ: nop, han)" in province.text
    central = registered("CBC", "analyst")  # Cục Báo chí answers indicators 3-9 itself: /nop is usable
    assert "/nop để nộp số liệu" in central.text
    central.send("/huongdan")
    assert central.text.count("/nop ") == 1 and "viết phần báo cáo của đơn vị mình" in central.text


def test_reminder_pass_refusal_names_the_role_that_may(province: Chat, registered) -> None:
    analyst = registered("CBC", "analyst")
    analyst.send("/nhacnho")
    assert "Lệnh /nhacnho chỉ dành cho quản trị viên." in analyst.text and "/thieu" in analyst.text
    province.send("nhac nho")
    assert "Lệnh /nhacnho chỉ dành cho quản trị viên." in province.text
    admin = registered("CBC", "admin")
    admin.send("/nhacnho")
    assert "chỉ dành cho" not in admin.text


def test_group_chat_never_takes_data_and_points_to_private_chat(app: App) -> None:
    group = Chat(app.dialogue_service(), "g1", chat_type="group")
    group.send(f"/start {invite(app, 'QUANGTRI')}")
    assert "tin nhắn riêng" in group.text
    group.send("/nop")
    assert "tin nhắn riêng" in group.text
    assert group.send("62%/38%") == []


def test_invite_codes_expire_after_the_days_given(app: App) -> None:
    code = invite(app, "QUANGTRI", days=3)
    with app.uow() as uow:
        from conversations.invites import hash_code

        stored = uow.invites.by_hash(hash_code(code), lock=False)
        assert stored is not None
        assert stored.expires_at - app.clock.now() == timedelta(days=3)
        assert code not in stored.code_hash


def test_link_code_attaches_a_second_channel_to_the_same_person(app: App, province: Chat) -> None:
    province.send("/lienket")
    assert "Mã liên kết của Anh/Chị:" in province.text
    code = province.text.split("Mã liên kết của Anh/Chị: ")[1].split()[0]
    zalo = Chat(app.dialogue_service(), "zalo-user", channel="zalo")
    zalo.send(code)
    assert "Đã liên kết" in zalo.text and "zalo" in zalo.text
    zalo.send("/start")
    assert "đầu mối của Quảng Trị" in zalo.text
    zalo.send("/nop 2026-Q4")
    zalo.send("62/38")
    province.send("/xem 2026-Q4")
    assert "62%/38%" in province.text, "answers are shared between the person's channels"
    province.send("/nop 2026-Q4")
    assert "Chỉ tiêu 2 · " in province.title, "Telegram starts at the first question nobody answered yet"
    zalo.send("Thái Lan 55%")
    assert "Đã lưu so sánh quốc tế" in zalo.text, "while Zalo is still at its own step (state per channel)"
    again = Chat(app.dialogue_service(), "someone-else", channel="zalo")
    again.send(code)
    assert "đã được sử dụng" in again.text
    other = Chat(app.dialogue_service(), "other")
    other.send(f"/start {invite(app, 'HANOI')}")
    province.send("/lienket")
    second = province.text.split("Mã liên kết của Anh/Chị: ")[1].split()[0]
    other.send(f"/start {second}")
    assert "đã được đăng ký cho một người khác" in other.text


def test_start_typed_without_the_slash_registers(app: App) -> None:
    chat = Chat(app.dialogue_service())
    chat.send(f"bắt đầu {invite(app, 'QUANGTRI')}")
    assert "đã được đăng ký là đầu mối của Quảng Trị" in chat.text
